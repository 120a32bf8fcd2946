from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cepa.demo"
    label = "demo"
