from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "cepa.personnel"
    verbose_name = _("Inspectors")
    label = "personnel"

    def ready(self) -> None:
        # The register's expiries and confirmations are planned with the registry's other dates.
        from cepa.personnel.notify import inspector_reminders
        from cepa.reminders.planner import add_source

        add_source(inspector_reminders)
        # The register's own permissions join the project's named permissions.
        from cepa.personnel import permissions  # noqa: F401
