from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationConfig(AppConfig):
    name = "cepa.designation"
    verbose_name = _("Designation")
    label = "designation"
