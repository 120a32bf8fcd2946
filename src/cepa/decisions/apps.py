from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "cepa.decisions"
    label = "decisions"
