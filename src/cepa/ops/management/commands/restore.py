"""`cepa restore FILE [--replace]`: the database from a backup made by `cepa backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores the database from a backup made by `cepa backup`, into an empty database "
        "(--replace: replaces whatever the database holds). Stop the application servers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup made by `cepa backup` on the same engine")
        parser.add_argument(
            "--replace", action="store_true", help="replace the content of a database that is not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore(Path(options["file"]), replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(f"Database restored from {options['file']}")
