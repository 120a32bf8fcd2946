"""Django's migrate, then the shipped catalogue: a migrated database always holds its reference data."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from cepa.catalogue.services import load_reference_data


def fully_migrated(alias: str) -> bool:
    executor = MigrationExecutor(connections[alias])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        if options.get("plan") or options.get("check_unapplied"):
            return
        alias = options.get("database") or DEFAULT_DB_ALIAS
        # Partial migrations (to a named target) may lack the tables; the next full migrate loads.
        if not fully_migrated(alias):
            return
        if load_reference_data(actor="system:migrate") and options.get("verbosity", 1) >= 1:
            self.stdout.write("Loaded the shipped CCC catalogue reference data.")
