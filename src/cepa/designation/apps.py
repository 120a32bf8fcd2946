from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationConfig(AppConfig):
    name = "cepa.designation"
    verbose_name = _("Designation")
    label = "designation"

    def ready(self) -> None:
        # Expressions of interest are not public, and neither is their history.
        from cepa.designation.selectors import expression_of_interest_visible
        from cepa.history.visibility import Policy, register

        register("expressions_of_interest", Policy(visible=expression_of_interest_visible))
