from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "cepa.certificates"
    label = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The issuers hear of links that stopped being eligible with the registry's other reminders.
        from cepa.certificates.cascade import affected_reminders
        from cepa.reminders.planner import add_source

        add_source(affected_reminders)
