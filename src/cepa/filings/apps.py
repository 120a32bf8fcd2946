from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "cepa.filings"
    label = "filings"
    verbose_name = "Agreement filings"
    default_auto_field = "django.db.models.BigAutoField"
