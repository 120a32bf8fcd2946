from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "cepa.bodies"
    label = "bodies"
