"""`cepa schema`: prints the JSON Schema (draft 2020-12) of the cepa-registry/1 format."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from cepa.interchange.schema import schema_json


class Command(BaseCommand):
    help = "Prints the JSON Schema of the cepa-registry/1 interchange format."

    def handle(self, *args: Any, **options: Any) -> None:
        sys.stdout.write(schema_json())
