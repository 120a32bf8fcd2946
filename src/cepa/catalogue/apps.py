from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cepa.catalogue"
    label = "catalogue"
