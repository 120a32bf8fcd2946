"""Import and export of `cepa-registry/1` documents (contract §1).

Import is all-or-nothing: the whole document is checked in memory first, then, in one transaction,
each list is compared with what the registry holds and only new or changed records are written,
with one change set in the history for the lot. Importing the same document again changes nothing
and writes no change set.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Substr

from cepa import writes
from cepa.bodies.models import Organisation
from cepa.catalogue.selectors import code_index, known_codes
from cepa.certificates.models import Certificate, FactoryInspection, TestReport
from cepa.decisions.services import gc_paused
from cepa.history.services import RecordChange, record_changes
from cepa.interchange.bulk import insert_rows, inserted_fields, update_rows
from cepa.interchange.records import RECORD_TYPES, exported_records
from cepa.interchange.schema import FORMAT, LISTS
from cepa.interchange.stream import Reading, entries
from cepa.interchange.validation import Context, ImportProblem, ImportRefused, parse, validate
from cepa.personnel.models import Inspector
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
LARGE_FILE = 4_000_000  # bytes: about as many records, when the count is not known beforehand


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


def _stored_values(model: Any, field_name: str) -> Any:
    def lookup(ids: set[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in chunked(sorted(ids), chunk_size()):
            found.update(model.objects.filter(pk__in=chunk).values_list("pk", field_name))
        return found

    return lookup


def misfitting_certificates(codes: Mapping[str, str | None], exclude: set[str]) -> dict[str, list[str]]:
    """For each organisation and its cnca_code after an import, the stored certificates it issued whose
    number's digits 5-6 would no longer be its code (at most a few of them, in number order), leaving
    out those in `exclude`."""
    found: dict[str, list[str]] = {}
    for issuer, code in codes.items():
        stored: Any = Certificate.objects.filter(issuer_id=issuer)
        if code is not None:
            stored = stored.annotate(body_code=Substr("id", 5, 2)).exclude(body_code=code)
        numbers: list[str] = []
        for number in stored.order_by("id").values_list("id", flat=True).iterator(chunk_size=1_000):
            if number not in exclude:
                numbers.append(number)
                if len(numbers) == 10:
                    break
        if numbers:
            found[issuer] = numbers
    return found


def check_context() -> Context:
    return Context(
        product_types=code_index(),
        families=frozenset(code[:2] for code in known_codes()),
        stored_organisations=stored_organisations,
        stored_inspectors=_stored_values(Inspector, "pk"),
        stored_test_reports=_stored_values(TestReport, "product_type"),
        stored_inspections=_stored_values(FactoryInspection, "product_type"),
        stored_cnca_codes=_stored_values(Organisation, "cnca_code"),
        misfitting_certificates=misfitting_certificates,
    )


# --- import ---------------------------------------------------------------------------------------


class _Progress:
    """A tqdm bar on stderr when asked for and useful; otherwise silent."""

    def __init__(self, enabled: bool, total: int | None, path: str | None = None) -> None:
        self.bar: Any = None
        if total is None and path:
            large = Path(path).stat().st_size >= LARGE_FILE
        else:
            large = (total or 0) >= LARGE_DOCUMENT
        if enabled and (large or sys.stderr.isatty()):
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
def _progress(enabled: bool, total: int | None, path: str | None = None) -> Iterator[_Progress]:
    """`total` None: the count is not known beforehand; a file's size then tells whether it is large."""
    bar = _Progress(enabled, total, path)
    try:
        yield bar
    finally:
        bar.close()


def _record_count(document: Mapping[str, Any]) -> int:
    return sum(len(document.get(name) or []) for name in LISTS)


def _write_list(
    list_name: str, items: list[dict[str, Any]], changes: list[RecordChange], *, table_was_empty: bool = False
) -> ListCounts:
    """Upserts one list's records: new ones inserted, changed ones replaced as a whole.

    `table_was_empty`: the list's table held nothing when the import began (a streamed import writes
    a list in parts; an id of this part cannot be in an earlier part, ids being unique in a list)."""
    record_type = RECORD_TYPES[list_name]
    if table_was_empty and record_type.import_rows is not None:
        columns = direct_columns(list_name)
        if columns is not None:
            return _write_new(list_name, items, changes, columns)
    rows_by_id: dict[str, Rows] = {}
    after: dict[str, dict[str, Any]] = {}
    for item in items:
        rows = record_type.to_rows(item)
        record_id = rows.parent["id"]
        rows_by_id[record_id] = rows
        after[record_id] = record_type.to_record(rows.parent, rows.children)
    # A first import into an empty table needs no look-ups at all.
    stored = not table_was_empty and record_type.model._default_manager.exists()
    before = record_type.load(after) if stored else {}
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


@cache
def direct_columns(list_name: str) -> tuple[list[str], list[list[str]]] | None:
    """The columns of a list's table and of each child table, when its `import_rows` follows them
    exactly (else None: the rows are made the general way)."""
    record_type = RECORD_TYPES[list_name]
    direct = record_type.import_rows
    assert direct is not None
    tables = [(record_type.model, direct.parent)]
    tables += [
        (child.model, names) for child, names in zip(record_type.children, direct.children, strict=True)
    ]
    columns = []
    for model, attnames in tables:
        fields = inserted_fields(model)
        if [f.attname for f in fields] != list(attnames):
            return None
        columns.append([f.column for f in fields])
    return columns[0], columns[1:]


def _same(value: str) -> str:
    return value


def _day_value() -> Callable[[str], Any]:
    """How a validated YYYY-MM-DD goes to the database: as it is where Django would pass a date's
    isoformat (SQLite), else the date adapted as Django adapts it."""
    adapt = connection.ops.adapt_datefield_value
    sample = date(2000, 1, 2)
    if adapt(sample) == sample.isoformat():
        return _same
    return lambda value: adapt(date.fromisoformat(value))


def _write_new(
    list_name: str,
    items: list[dict[str, Any]],
    changes: list[RecordChange],
    columns: tuple[list[str], list[list[str]]],
) -> ListCounts:
    """Inserts the validated records of a part of a list whose table held nothing when the import began:
    each record to its rows and its canonical dict in one step (RecordType.import_rows)."""
    record_type = RECORD_TYPES[list_name]
    direct = record_type.import_rows
    assert direct is not None
    build, day = direct.build, _day_value()
    parents = []
    children: list[list[tuple[Any, ...]]] = [[] for _ in record_type.children]
    created = []
    for item in items:
        parent, links, after = build(item, day)
        parents.append(parent)
        for rows, more in zip(children, links, strict=True):
            rows.extend(more)
        created.append(RecordChange(list_name, after["id"], "create", None, after))
    parent_columns, child_columns = columns
    writes.insert(record_type.model._meta.db_table, parent_columns, parents)
    for child, names, rows in zip(record_type.children, child_columns, children, strict=True):
        if rows:
            writes.insert(child.model._meta.db_table, names, rows)
    changes.extend(created)
    return ListCounts(created=len(items))


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


# --- streamed import of a file ------------------------------------------------------------------------

# The lists a streamed import reads in parts; the others (tens of thousands of records at most) are read
# whole. A certificate cites only reports and inspections, and nothing cites a certificate.
STREAMED = ("test_reports", "factory_inspections", "certificates")
PART = 5_000
COLLECT_EVERY = 10


@dataclass
class _Index:
    """What one pass over a file's streamed lists leaves: every id (for references and ids twice) and the
    product type of each report and inspection."""

    ids: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in STREAMED})
    product_types: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"test_reports": {}, "factory_inspections": {}}
    )
    problems: list[ImportProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {name: 0 for name in STREAMED})


    interned: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, position: int, value: Any) -> None:
        """Indexes one record of a streamed list."""
        self.counts[key] += 1
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return
        record_id = value["id"]
        first = self.ids[key].setdefault(record_id, position)
        if first != position:
            self.problems.append(
                ImportProblem(
                    f"/{key}/{position}/id",
                    f"id {json.dumps(record_id, ensure_ascii=False)} appears twice in {key} "
                    f"(first at /{key}/{first})",
                )
            )
        if key in self.product_types and isinstance(value.get("product_type"), str):
            code = value["product_type"]
            self.product_types[key][record_id] = self.interned.setdefault(code, code)


def _add_small(small: dict[str, Any], key: str, position: int | None, value: Any) -> None:
    if position is None:
        small[key] = value
    else:
        small.setdefault(key, []).append(value)


def _first_pass(path: str) -> tuple[dict[str, Any], _Index]:
    """The document without its streamed lists, and the index of those."""
    small: dict[str, Any] = {}
    index = _Index()
    for key, position, value in entries(path):
        if key not in STREAMED or position is None:
            _add_small(small, key, position, value)
        else:
            index.add(key, position, value)
    return small, index


class _TwoPassesNeeded(Exception):
    """The file is not in the order one pass needs (see _OnePass); read it twice."""


class _OnePass:
    """Reads a file once when its streamed lists come last, reports and inspections before the
    certificates that cite them (the order export writes): first everything else, then the streamed
    lists in parts, each record indexed as it is read. A file in another order raises
    _TwoPassesNeeded as soon as that shows."""

    def __init__(self, path: str) -> None:
        self.reading = Reading()
        self.entries = entries(path, self.reading)
        self.index = _Index()
        self.first: tuple[str, int, Any] | None = None

    def small(self) -> dict[str, Any]:
        small: dict[str, Any] = {}
        for key, position, value in self.entries:
            if key in STREAMED and position is not None:
                self.first = (key, position, value)
                break
            _add_small(small, key, position, value)
        return small

    def _streamed(self) -> Iterator[tuple[str, int, Any]]:
        if self.first is None:
            return
        yield self.first
        done: set[str] = set()
        current = self.first[0]
        for key, position, value in self.entries:
            if position is None:  # a value that is no list, or an empty one, after the streamed lists
                raise _TwoPassesNeeded
            if key != current:
                done.add(current)
                current = key
                if (
                    key not in STREAMED
                    or key in done
                    or (key != "certificates" and "certificates" in done)
                ):
                    raise _TwoPassesNeeded
            elif position == 0:  # the same list again, at once
                raise _TwoPassesNeeded
            yield key, position, value

    def parts(self) -> Iterator[tuple[str, int, list[Any]]]:
        current: str | None = None
        start = 0
        items: list[Any] = []
        for key, position, value in self._streamed():
            if key != current or len(items) >= PART:
                if items and current is not None:
                    yield current, start, items
                current, start, items = key, position, []
            self.index.add(key, position, value)
            items.append(value)
        if items and current is not None:
            yield current, start, items


def _remembered(stored: Callable[[set[str]], Mapping[str, Any]]) -> Callable[[set[str]], dict[str, Any]]:
    """A lookup of stored records that asks the registry about each id once in the whole import: the
    parts cite the same organisations, inspectors, reports over and over, and a query would also wait
    for the writes handed over (cepa.writes)."""
    found: dict[str, Any] = {}
    absent: set[str] = set()

    def lookup(ids: set[str]) -> dict[str, Any]:
        new = ids - found.keys() - absent
        if new:
            answer = stored(new)
            found.update(answer)
            absent.update(new - answer.keys())
        return {key: found[key] for key in ids if key in found}

    return lookup


def _stream_context(small: dict[str, Any], index: _Index, *, complete: bool = True) -> Context:
    """Lookups for a part of a streamed list: the rest of the document first, then the registry (each
    id asked once). `complete`: the index holds the whole file (else the misfit check, which needs every
    certificate of the file, asks for two passes)."""
    base = check_context()
    organisations = {
        record["id"]: record.get("cnca_code") if isinstance(record.get("cnca_code"), str) else None
        for record in small.get("organisations") or []
        if isinstance(record, dict) and isinstance(record.get("id"), str)
    }
    inspectors = {
        record["id"]
        for record in small.get("inspectors") or []
        if isinstance(record, dict) and "id" in record
    }

    def known(in_document: Any, stored: Any) -> Any:
        def lookup(ids: set[str]) -> dict[str, Any]:
            found = {key: in_document[key] for key in ids if key in in_document}
            rest = ids - found.keys()
            if rest:
                found.update(stored(rest))
            return found

        return lookup

    stored_organisation_ids = known(
        organisations, _remembered(lambda rest: dict.fromkeys(stored_organisations(rest)))
    )

    def organisation_ids(ids: set[str]) -> set[str]:
        return set(stored_organisation_ids(ids))

    certificates = index.ids["certificates"]

    def misfits(codes: Mapping[str, str | None], exclude: set[str]) -> dict[str, list[str]]:
        if not complete:
            raise _TwoPassesNeeded
        found = misfitting_certificates(codes, exclude)
        return {org: [n for n in numbers if n not in certificates] for org, numbers in found.items()}

    return Context(
        product_types=base.product_types,
        families=base.families,
        stored_organisations=organisation_ids,
        stored_inspectors=known(dict.fromkeys(inspectors), _remembered(base.stored_inspectors)),
        stored_test_reports=known(index.product_types["test_reports"], _remembered(base.stored_test_reports)),
        stored_inspections=known(
            index.product_types["factory_inspections"], _remembered(base.stored_inspections)
        ),
        stored_cnca_codes=known(organisations, _remembered(base.stored_cnca_codes)),
        misfitting_certificates=misfits,
    )


def _shifted(problems: list[ImportProblem], list_name: str, start: int) -> list[ImportProblem]:
    """Problems of a part of a list, their pointers counted from the start of the whole list."""
    prefix = f"/{list_name}/"
    shifted = []
    for problem in problems:
        pointer = problem.pointer
        if pointer.startswith(prefix):
            position, _, rest = pointer[len(prefix) :].partition("/")
            if position.isdigit():
                pointer = f"{prefix}{int(position) + start}" + (f"/{rest}" if rest else "")
        shifted.append(ImportProblem(pointer, problem.message))
    return shifted


def _parts(path: str, reading: Reading) -> Iterator[tuple[str, int, list[Any]]]:
    """The streamed lists in parts of PART records: (list name, index of the first, records)."""
    current: str | None = None
    start = 0
    items: list[Any] = []
    for key, position, value in entries(path, reading):
        if key not in STREAMED or position is None:
            continue
        if key != current or len(items) >= PART:
            if items and current is not None:
                yield current, start, items
            current, start, items = key, position, []
        items.append(value)
    if items and current is not None:
        yield current, start, items


def _problem_order(problem: ImportProblem) -> Any:
    from cepa.interchange.validation import _sort_key

    parts = tuple(int(p) if p.isdigit() else p for p in problem.pointer.split("/")[1:])
    return (_sort_key(parts), problem.message)


# SQLite's page cache during a streamed import, in KiB: the import fills several tables and their
# indexes part by part, and with the default 2 MB each part pushes the others' pages out.
SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def import_file(
    *, actor: str, path: str, reason: str = "", channel: str = "import", progress: bool = False
) -> ImportResult:
    """Imports a `cepa-registry/1` document from a file, reading its test reports, factory inspections
    and certificates in parts: memory holds one part of them at a time, never the whole list.

    Same rules as `import_document`: all or nothing (each part is checked, then written, inside one
    transaction that a problem anywhere rolls back, so nothing stays written), problems with their
    pointers in document order, one change set for the lot.

    A file in export order (the streamed lists last, certificates after what they cite) is read once,
    its rows written by a thread of their own while the next part is read and checked (cepa.writes;
    COPY on PostgreSQL); a file in another order is read twice, first for the index of its ids."""
    if not actor:
        raise ValueError("actor is required")
    with gc_paused():
        try:
            return _import_file(actor=actor, path=path, reason=reason, channel=channel, progress=progress)
        except _TwoPassesNeeded:
            return _import_file(
                actor=actor, path=path, reason=reason, channel=channel, progress=progress, one_pass=False
            )


def _import_file(
    *, actor: str, path: str, reason: str, channel: str, progress: bool, one_pass: bool = True
) -> ImportResult:
    reading = Reading()
    if one_pass:
        once = _OnePass(path)
        small, index, reading = once.small(), once.index, once.reading
        parts = once.parts()
    else:
        small, index = _first_pass(path)
        parts = _parts(path, reading)
    problems: list[ImportProblem] = list(index.problems)
    context = _stream_context(small, index, complete=not one_pass)
    # The streamed lists' records are checked part by part below; what stands here for them is an
    # empty list, or a value that is no list (which the schema refuses).
    problems.extend(validate(small, context))
    small_document = {k: v for k, v in small.items() if k not in STREAMED}
    counts: dict[str, ListCounts] = {}
    changeset: Any = None
    # One pass: how many records the streamed lists hold is known at their end only.
    total = None
    if not one_pass:
        total = sum(len(small_document.get(n) or []) for n in LISTS) + sum(index.counts.values())
    was_empty = {name: not RECORD_TYPES[name].model._default_manager.exists() for name in STREAMED}
    try:
        with (
            transaction.atomic(),
            _sqlite_cache(),
            writes.overlapped(),
            _progress(progress, total, path) as bar,
        ):
            if not problems:
                changes: list[RecordChange] = []
                for list_name in LISTS:
                    if list_name in STREAMED:
                        continue
                    items = small_document.get(list_name) or []
                    bar.stage(list_name)
                    counts[list_name] = _write_list(list_name, items, changes) if items else ListCounts()
                    bar.advance(len(items))
                changeset = record_changes(actor=actor, reason=reason, channel=channel, changes=changes)
            totals: dict[str, list[int]] = {name: [0, 0, 0] for name in STREAMED}
            indexed = len(index.problems)
            for part, (list_name, start, items) in enumerate(parts, start=1):
                if part % COLLECT_EVERY == 0:
                    # The collector is paused for speed; what a part leaves in reference cycles
                    # (query machinery, mostly) is freed here, so memory stays flat. The young
                    # generations only (what the last parts made): a full collection also walks the
                    # whole process, at twice the time; the little that outlives two of these waits
                    # for the collector once it runs again.
                    gc.collect(1)
                bar.stage(list_name)
                # One pass: ids twice found while reading this part.
                problems.extend(index.problems[indexed:])
                indexed = len(index.problems)
                part_problems = validate(
                    {"format": FORMAT, list_name: items},
                    context,
                    duplicate_ids=False,
                    clean_text=not reading.escapes,
                )
                problems.extend(_shifted(part_problems, list_name, start))
                if not problems:
                    changes = []
                    written = _write_list(list_name, items, changes, table_was_empty=was_empty[list_name])
                    changeset = record_changes(
                        actor=actor, reason=reason, channel=channel, changes=changes, into=changeset
                    )
                    total_counts = totals[list_name]
                    total_counts[0] += written.created
                    total_counts[1] += written.updated
                    total_counts[2] += written.unchanged
                bar.advance(len(items))
            if problems:
                raise ImportRefused(sorted(problems, key=_problem_order))
            for list_name in STREAMED:
                created, updated, unchanged = totals[list_name]
                counts[list_name] = ListCounts(created=created, updated=updated, unchanged=unchanged)
    except ImportRefused as refused:
        # Each problem once, in document order (the whole-document checks may repeat a part's).
        unique = list(dict.fromkeys(refused.problems))
        raise ImportRefused(sorted(unique, key=_problem_order)) from None
    ordered = {name: counts.get(name, ListCounts()) for name in LISTS}
    return ImportResult(counts=ordered, changeset_id=changeset.pk if changeset else None)
