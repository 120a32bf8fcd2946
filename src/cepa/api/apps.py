from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cepa.api"
    label = "api"
