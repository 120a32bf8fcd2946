from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "cepa.history"
    label = "history"
