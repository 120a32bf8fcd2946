"""`cepa export [--out FILE]`: writes the registry as a cepa-registry/1 document."""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from cepa.interchange.services import document_json, export_document


class Command(BaseCommand):
    help = "Writes the registry as a cepa-registry/1 document (to standard output, or --out FILE)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", help="the file to write (replaced whole, only once complete)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = document_json(export_document())
        out = options["out"]
        if not out or out == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        target = Path(out)
        try:
            # Written beside the target, then renamed: a reader never sees half a document.
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
            os.replace(temporary, target)
        except OSError as error:
            sys.stderr.write(f"cepa export: cannot write {out}: {error.strerror or error}\n")
            raise SystemExit(2) from error
