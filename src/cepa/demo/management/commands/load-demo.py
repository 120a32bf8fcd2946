"""`cepa load-demo`: imports the fictional demo registry through the importer; a second run writes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.demo.registry import DEMO_ACTOR, REGISTRY_PATH, demo_document
from cepa.interchange.services import ImportRefused, import_document


class Command(BaseCommand):
    help = "Loads the fictional demo registry (organisations, accreditations, plans, inspectors...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--progress", action="store_true", help="show the importer's progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_document(actor=DEMO_ACTOR, document=demo_document(), reason="demo registry",
                                     channel="import", progress=options["progress"])
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{REGISTRY_PATH.name}: {problem}")
            raise CommandError("the demo registry was refused; nothing written", returncode=2) from refused
        total = result.created + result.updated + result.unchanged
        if result.changeset_id is None:
            self.stdout.write(f"Demo registry already loaded: {total} records unchanged; nothing written.")
        else:
            self.stdout.write(f"Demo registry loaded: {total} records ({result.created} created, "
                              f"{result.updated} updated, {result.unchanged} unchanged).")
