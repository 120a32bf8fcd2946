from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cepa.web"
    label = "web"
