"""Django's flush, which empties the whole database, lifting the change-log triggers for that moment.

Reference data is part of a migrated database, so the shipped catalogue is loaded again afterwards
(transactional tests flush between tests and expect the catalogue to be there).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from cepa.catalogue.services import load_reference_data_when_migrated
from cepa.history.triggers import create_triggers, drop_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        drop_triggers(connection)
        try:
            super().handle(**options)
        finally:
            create_triggers(connection)
        load_reference_data_when_migrated(actor="system:flush", alias=options["database"])
