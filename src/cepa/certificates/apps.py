from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "cepa.certificates"
    label = "certificates"
    verbose_name = "Certificates"
    default_auto_field = "django.db.models.BigAutoField"
