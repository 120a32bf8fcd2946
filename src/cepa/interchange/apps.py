from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "cepa.interchange"
    label = "interchange"
