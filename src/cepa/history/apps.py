from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "cepa.history"
    verbose_name = _("Change history")
    label = "history"

    def ready(self) -> None:
        # Not business logic: `cepa migrate` also prepares the shared cache's table (cepa.caching).
        from cepa.caching import create_cache_tables

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="cepa.caching")
