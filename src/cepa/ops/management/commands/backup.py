"""`cepa backup FILE`: the whole database into FILE, while the registry serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Writes the whole database to FILE while the registry serves (SQLite: its online backup; "
        "PostgreSQL: pg_dump's custom format). Restore it with `cepa restore FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup to write (replaced only once complete)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(f"Backup written to {options['file']}")
