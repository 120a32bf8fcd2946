from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cepa.ops"
    label = "ops"
