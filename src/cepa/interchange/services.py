"""Import and export of `cepa-registry/1` documents (contract §1).

Import is all-or-nothing: the whole document is checked in memory first, then, in one transaction,
each list is compared with what the registry holds and only new or changed records are written,
with one change set in the history for the lot. Importing the same document again changes nothing
and writes no change set.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction

from cepa.bodies.models import Organisation
from cepa.catalogue.selectors import code_index, known_codes
from cepa.decisions.services import gc_paused
from cepa.history.services import RecordChange, record_changes
from cepa.interchange.bulk import insert_rows, update_rows
from cepa.interchange.records import RECORD_TYPES, exported_records
from cepa.interchange.schema import FORMAT, LISTS
from cepa.interchange.validation import Context, ImportProblem, ImportRefused, parse, validate
from cepa.records import Rows, chunk_size, chunked

__all__ = [
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "ListCounts",
    "document_json",
    "export_document",
    "import_document",
]

# From this many records a document counts as large: progress is shown even when stderr is no terminal.
LARGE_DOCUMENT = 20_000


@dataclass(frozen=True)
class ListCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, ListCounts] = field(default_factory=dict)  # by list name, every list of the format
    changeset_id: int | None = None  # None when nothing changed

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())


# --- context of the checks --------------------------------------------------------------------------

def stored_organisations(ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(sorted(ids), chunk_size()):
        found.update(Organisation.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def check_context() -> Context:
    return Context(
        product_types=code_index(),
        families=frozenset(code[:2] for code in known_codes()),
        stored_organisations=stored_organisations,
    )


# --- import ---------------------------------------------------------------------------------------

class _Progress:
    """A tqdm bar on stderr when asked for and useful; otherwise silent."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar: Any = None
        if enabled and (total >= LARGE_DOCUMENT or sys.stderr.isatty()):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="record", file=sys.stderr, desc="import", mininterval=0.5)

    def stage(self, name: str) -> None:
        if self.bar is not None:
            self.bar.set_description(name)

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[_Progress]:
    bar = _Progress(enabled, total)
    try:
        yield bar
    finally:
        bar.close()


def _record_count(document: Mapping[str, Any]) -> int:
    return sum(len(document.get(name) or []) for name in LISTS)


def _write_list(list_name: str, items: list[dict[str, Any]], changes: list[RecordChange]) -> ListCounts:
    """Upserts one list's records: new ones inserted, changed ones replaced as a whole."""
    record_type = RECORD_TYPES[list_name]
    rows_by_id: dict[str, Rows] = {}
    after: dict[str, dict[str, Any]] = {}
    for item in items:
        rows = record_type.to_rows(item)
        record_id = rows.parent["id"]
        rows_by_id[record_id] = rows
        after[record_id] = record_type.to_record(rows.parent, rows.children)
    # A first import into an empty table needs no look-ups at all.
    before = record_type.load(after) if record_type.model._default_manager.exists() else {}
    created = [key for key in after if key not in before]
    updated = [key for key in after if key in before and before[key] != after[key]]

    insert_rows(record_type.model, [rows_by_id[key].parent for key in created])
    update_rows(record_type.model, [rows_by_id[key].parent for key in updated], record_type.written_fields)
    for child in record_type.children:
        for chunk in chunked(updated, chunk_size()):
            child.model._default_manager.filter(**{f"{child.parent_attname}__in": chunk}).delete()
        insert_rows(
            child.model,
            [row for record_id in (*created, *updated) for row in rows_by_id[record_id].children[child.key]],
        )

    changes.extend(RecordChange(list_name, key, "create", None, after[key]) for key in created)
    changes.extend(RecordChange(list_name, key, "update", before[key], after[key]) for key in updated)
    unchanged = len(after) - len(created) - len(updated)
    return ListCounts(created=len(created), updated=len(updated), unchanged=unchanged)


def import_document(
    *,
    actor: str,
    document: bytes | str | Mapping[str, Any],
    reason: str = "",
    channel: str = "import",
    progress: bool = False,
) -> ImportResult:
    """Imports a `cepa-registry/1` document (JSON text, bytes, or already parsed).

    Raises ImportRefused with every problem (JSON pointer and message) when the document has any;
    then nothing is written.
    """
    if not actor:
        raise ValueError("actor is required")
    with gc_paused():
        return _import(actor=actor, document=document, reason=reason, channel=channel, progress=progress)


# The key of the PostgreSQL advisory lock that serialises imports ("cepa" in ASCII, then "imp").
IMPORT_LOCK = 0x63657061_696D70
# How often an import is tried again when a record it creates was created meanwhile by another writer.
ATTEMPTS = 3
CLASH = (
    "a record of this document was written by someone else at the same time; nothing was imported: "
    "import the document again"
)


def _serialise_imports() -> None:
    """Makes this transaction the only import running until it ends, before it reads what the
    registry holds: the history's "before" of every change is then what the registry really held.

    PostgreSQL: a transaction-level advisory lock (released at commit or rollback). SQLite: the
    transaction began IMMEDIATE (settings), so it already holds the database's write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _import(
    *, actor: str, document: bytes | str | Mapping[str, Any], reason: str, channel: str, progress: bool
) -> ImportResult:
    parsed = parse(document)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _import_once(actor=actor, parsed=parsed, reason=reason, channel=channel, progress=progress)
        except IntegrityError as error:
            # Another writer (a service, not an import: imports wait for each other) created a record
            # this import creates, between its reading and its writing. Read again and try again.
            if attempt == ATTEMPTS:
                raise ImportRefused([ImportProblem("", CLASH)]) from error
    raise AssertionError("unreachable")


def _import_once(*, actor: str, parsed: Any, reason: str, channel: str, progress: bool) -> ImportResult:
    with transaction.atomic():
        _serialise_imports()
        problems = validate(parsed, check_context())
        if problems:
            raise ImportRefused(problems)
        changes: list[RecordChange] = []
        counts: dict[str, ListCounts] = {}
        with _progress(progress, _record_count(parsed)) as bar:
            for list_name in LISTS:
                items = parsed.get(list_name) or []
                bar.stage(list_name)
                counts[list_name] = _write_list(list_name, items, changes) if items else ListCounts()
                bar.advance(len(items))
        changeset = record_changes(actor=actor, reason=reason, channel=channel, changes=changes)
    return ImportResult(counts=counts, changeset_id=changeset.pk if changeset else None)


# --- export ---------------------------------------------------------------------------------------

def export_document() -> dict[str, Any]:
    """The registry as a `cepa-registry/1` document: each list sorted by id, empty lists left out."""
    document: dict[str, Any] = {"format": FORMAT}
    with transaction.atomic():  # one consistent reading
        for list_name in LISTS:
            records = exported_records(list_name)
            if records:
                document[list_name] = records
    return document


def document_json(document: Mapping[str, Any]) -> str:
    """Stable text of a document: UTF-8 characters as they are, two-space indent, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
