from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "cepa.filings"
    label = "filings"
    verbose_name = _("Agreement filings")
    default_auto_field = "django.db.models.BigAutoField"
