"""Django's migrate, then the shipped catalogue: a migrated database always holds its reference data."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS

from cepa.catalogue.services import load_reference_data_when_migrated


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        if options.get("plan") or options.get("check_unapplied"):
            return
        alias = options.get("database") or DEFAULT_DB_ALIAS
        loaded = load_reference_data_when_migrated(actor="system:migrate", alias=alias)
        if loaded and options.get("verbosity", 1) >= 1:
            self.stdout.write("Loaded the shipped CCC catalogue reference data.")
