from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "cepa.personnel"
    label = "personnel"
