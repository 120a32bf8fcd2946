from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "cepa.enquiries"
    label = "enquiries"
    verbose_name = "Enquiries"
    default_auto_field = "django.db.models.BigAutoField"
