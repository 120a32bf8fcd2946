"""`cepa history RECORD_ID [--type LIST] [--json]`: a record's recorded changes, oldest first."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cepa.history.diff import field_changes
from cepa.history.selectors import change_record, changes_of

EXIT_BAD_INPUT = 2


def _value(value: Any) -> str:
    return "(absent)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class Command(BaseCommand):
    help = "Prints the recorded changes of a record: who, when, channel, reason, action and what changed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("record_id", help="the record's id, such as hk-lab-a or 'HOKLAS 901'")
        parser.add_argument("--type", dest="record_type", help="the list (organisations, agreements, ...)")
        parser.add_argument("--json", action="store_true", help="print the changes as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        record_id, record_type = options["record_id"], options["record_type"]
        changes = list(changes_of(record_id, record_type))
        if not changes:
            where = f" in {record_type}" if record_type else ""
            sys.stderr.write(f"cepa history: no recorded changes for {record_id!r}{where}\n")
            raise SystemExit(EXIT_BAD_INPUT)
        if options["json"]:
            found = [change_record(change) for change in changes]
            body = {"record_id": record_id, "record_type": record_type, "changes": found}
            sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
            return
        lines: list[str] = []
        for change in changes:
            item = change_record(change)
            reason = f": {item['reason']}" if item["reason"] else ""
            who = f"by {item['actor']} via {item['channel']}{reason}"
            lines.append(f"{item['at']}  change set {item['changeset']}  {who}")
            lines.append(f"  {item['action']} {item['record_type']} {item['record_id']}")
            for field in field_changes(change.before, change.after):
                lines.append(f"    {field.field}: {_value(field.before)} -> {_value(field.after)}")
        sys.stdout.write("\n".join(lines) + "\n")
