"""`cepa load-reference-data`: loads the shipped CCC catalogue into the database (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.catalogue.reference_data import ReferenceDataError
from cepa.catalogue.services import load_reference_data


class Command(BaseCommand):
    help = "Loads the shipped CCC catalogue reference data; does nothing when it is already loaded."
    requires_system_checks: list[str] = []  # it touches only its own tables

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", default="cli:load-reference-data", help="who the change log names")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed = load_reference_data(actor=options["actor"])
        except (ReferenceDataError, ValueError) as error:
            raise CommandError(str(error)) from error
        if changed:
            self.stdout.write("Reference data loaded.")
        else:
            self.stdout.write("Reference data already up to date; nothing written.")
