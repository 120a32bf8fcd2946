"""`cepa import FILE`: imports a cepa-registry/1 document (FILE `-` reads standard input).

Exit 0 when imported; 2 with one line per problem on stderr ("<pointer>: <message>").
"""

from __future__ import annotations

import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cepa.interchange.schema import LISTS
from cepa.interchange.services import ImportRefused, ImportResult, import_document, import_file

EXIT_REFUSED = 2
# From this size a file is read in parts (services.import_file), so memory never holds its millions of
# certificates, reports and inspections at once.
STREAM_FROM = 32 * 1024 * 1024


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli:unknown"


class Command(BaseCommand):
    help = "Imports a cepa-registry/1 document: all or nothing, recorded in the history."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the JSON document, or - for standard input")
        parser.add_argument("--reason", default="", help="why, for the history")
        parser.add_argument("--actor", default="", help="who, for the history (default cli:<login name>)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if path != "-" and os.path.isfile(path) and os.path.getsize(path) >= STREAM_FROM:
            self.import_streamed(path, options)
            return
        try:
            if path == "-":
                content = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    content = handle.read()
        except OSError as error:
            sys.stderr.write(f"cepa import: cannot read {path}: {error.strerror or error}\n")
            raise SystemExit(EXIT_REFUSED) from error
        try:
            result = import_document(
                actor=options["actor"] or default_actor(),
                document=content,
                reason=options["reason"],
                channel="import",
                progress=True,
            )
        except ImportRefused as refused:
            # A problem may quote text that is not valid Unicode (a lone surrogate): shown escaped.
            text = "".join(f"{problem}\n" for problem in refused.problems)
            sys.stderr.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))
            raise SystemExit(EXIT_REFUSED) from refused
        self.stdout.write(summary(result))

    def import_streamed(self, path: str, options: dict[str, Any]) -> None:
        try:
            result = import_file(
                actor=options["actor"] or default_actor(),
                path=path,
                reason=options["reason"],
                channel="import",
                progress=True,
            )
        except ImportRefused as refused:
            sys.stderr.write("".join(f"{problem}\n" for problem in refused.problems))
            raise SystemExit(EXIT_REFUSED) from refused
        except OSError as error:
            sys.stderr.write(f"cepa import: cannot read {path}: {error.strerror or error}\n")
            raise SystemExit(EXIT_REFUSED) from error
        self.stdout.write(summary(result))


def summary(result: ImportResult) -> str:
    lines = []
    for list_name in LISTS:
        counts = result.counts.get(list_name)
        if counts and (counts.created or counts.updated or counts.unchanged):
            numbers = f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
            lines.append(f"{list_name}: {numbers}")
    if result.changeset_id is None:
        lines.append("no changes: nothing recorded")
    else:
        lines.append(f"recorded as change set {result.changeset_id}")
    return "\n".join(lines)
