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
        # An inspector's history shows as its page does: status and grade reasons only to those who may
        # read its personal matters.
        from cepa.history.visibility import Policy, register
        from cepa.personnel import permissions  # noqa: F401
        from cepa.personnel.selectors import history_redaction

        register("inspectors", Policy(visible=lambda user, record_id: True, redaction=history_redaction))
