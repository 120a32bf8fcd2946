from django.apps import AppConfig


class DesignationConfig(AppConfig):
    name = "cepa.designation"
    label = "designation"
