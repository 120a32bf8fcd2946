from django.apps import AppConfig


class DesignationConfig(AppConfig):
    name = "cepa.designation"
    label = "designation"

    def ready(self) -> None:
        # Expressions of interest are not public, and neither is their history.
        from cepa.designation.selectors import expression_of_interest_visible
        from cepa.history.visibility import Policy, register

        register("expressions_of_interest", Policy(visible=expression_of_interest_visible))
