"""The canonical record of each registry model: the layer domain services and interchange share.

A record's canonical dict is what export writes and what the history keeps as before/after. It is built
from plain row mappings keyed by field attname (`organisation_id`, `valid_from`, ...), so the same code
serves model instances, `.values()` rows and rows derived from an imported record. Canonical means: the
contract's key order, product type lists sorted, timestamps in +08:00, empty optional fields omitted.
Personal data of inspectors is not part of the format and never appears here.

This module holds what is independent of any model (values, ordering, reading in bulk) and imports no
app; each domain app describes its own records with it (`bodies.records`, `designation.records`,
`personnel.records`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from django.db import connection
from django.db.models import Model

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

Row = Mapping[str, Any]


# --- values: formatting and parsing -------------------------------------------------------------

def format_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def format_timestamp(value: datetime) -> str:
    return value.astimezone(BEIJING).isoformat()


def parse_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def parse_timestamp(value: str) -> datetime:
    """ISO 8601; a timestamp without an offset is Beijing/Hong Kong time."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed


# --- fields shared by several record types ---------------------------------------------------------

def put(record: dict[str, Any], key: str, value: Any) -> None:
    """Sets an optional field, leaving it out when empty."""
    if value is not None and value != "" and value != [] and value != {}:
        record[key] = value


def names(row: Row) -> dict[str, str]:
    result = {"en": row["name_en"]}
    put(result, "zh-Hant", row["name_zh_hant"])
    put(result, "zh-Hans", row["name_zh_hans"])
    return result


def name_values(names: Mapping[str, str]) -> dict[str, str]:
    return {
        "name_en": names["en"],
        "name_zh_hant": names.get("zh-Hant", ""),
        "name_zh_hans": names.get("zh-Hans", ""),
    }


def recorded(record: dict[str, Any], row: Row) -> dict[str, Any]:
    put(record, "source", row["source"])
    put(record, "note", row["note"])
    return record


def recorded_values(record: Mapping[str, Any]) -> dict[str, str]:
    return {"source": record.get("source", ""), "note": record.get("note", "")}


def codes(values: Iterable[str]) -> list[str]:
    return sorted(values)


def scope_rows(parent_attname: str, record_id: str, product_types: Iterable[str]) -> list[dict[str, Any]]:
    return [{parent_attname: record_id, "product_type": code} for code in codes(product_types)]


# --- record types ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Child:
    """A child table of a record: scope rows, events, affiliations."""

    key: str  # name inside Rows.children
    model: type[Model]
    parent_attname: str
    order_by: tuple[str, ...]


def scope_child(model: type[Model], parent_attname: str) -> Child:
    return Child("scope", model, parent_attname, (parent_attname, "product_type"))


@dataclass
class Rows:
    """A record as rows: the parent's field values and each child table's rows (attname → value)."""

    parent: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportRows:
    """A validated record as tuples of column values, and its canonical dict: what `to_rows` then
    `to_record` give, in one step. `build(record, day)` returns (parent values, each child's rows in the
    order of `RecordType.children`, canonical dict); `day` turns a validated YYYY-MM-DD string into the
    value the database takes. `parent` and `children` name the attnames the values follow."""

    parent: tuple[str, ...]
    children: tuple[tuple[str, ...], ...]
    build: Callable[
        [Mapping[str, Any], Callable[[str], Any]],
        tuple[tuple[Any, ...], tuple[list[tuple[Any, ...]], ...], dict[str, Any]],
    ]


@dataclass(frozen=True)
class RecordType:
    name: str  # the interchange list name, also the history record_type
    model: type[Model]
    children: tuple[Child, ...]
    to_rows: Callable[[Mapping[str, Any]], Rows]
    to_record: Callable[[Row, Mapping[str, Sequence[Row]]], dict[str, Any]]
    # Fields kept when an import replaces the record: not part of the format (personal data, workflow).
    kept_fields: tuple[str, ...] = ()
    # Which stored rows export leaves out (records still in a workflow).
    excluded: Mapping[str, Any] | None = None
    # For a list imported by the million: a validated record straight to the values of its rows and its
    # canonical dict, without the row dicts between (see ImportRows).
    import_rows: ImportRows | None = None

    @property
    def written_fields(self) -> list[str]:
        """Parent attnames an import writes (everything but the primary key and the kept fields)."""
        return [
            f.attname
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.attname not in self.kept_fields
        ]

    def load(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The canonical dicts of the stored records with these ids (missing ids are left out).

        A few queries per chunk of ids, whatever the number of records.
        """
        id_list = sorted(set(ids))
        found: dict[str, dict[str, Any]] = {}
        for chunk in chunked(id_list, chunk_size()):
            parents = list(self.model._default_manager.filter(pk__in=chunk).values(*self._parent_fields()))
            present = [parent["id"] for parent in parents]
            children: dict[str, dict[str, list[Row]]] = {}
            for child in self.children:
                if not present:
                    children[child.key] = {}
                    continue
                rows = child.model._default_manager.filter(**{f"{child.parent_attname}__in": present})
                values = rows.order_by(*child.order_by).values(*_child_fields(child))
                children[child.key] = _group(values, child.parent_attname)
            found.update(self._build(parents, children))
        return found

    def in_order(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The canonical dicts of these ids, in the given order (one query per table)."""
        found = self.load(ids)
        return [found[record_id] for record_id in ids if record_id in found]

    def record_of(self, instance: Model) -> dict[str, Any]:
        """The canonical dict of one stored record (its children read from the database)."""
        return self.load([instance.pk])[instance.pk]

    def exported(self) -> list[dict[str, Any]]:
        """Every stored record that export writes, sorted by id."""
        parents = self.model._default_manager.all()
        if self.excluded:
            parents = parents.exclude(**self.excluded)
        parent_rows = list(parents.order_by("pk").values(*self._parent_fields()))
        children: dict[str, dict[str, list[Row]]] = {}
        for child in self.children:
            rows = child.model._default_manager.order_by(*child.order_by).values(*_child_fields(child))
            children[child.key] = _group(rows.iterator(chunk_size=5_000), child.parent_attname)
        built = self._build(parent_rows, children)
        # Sorted in Python so the order never depends on the database's collation.
        return [built[key] for key in sorted(built)]

    def canonical(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The canonical form of a validated record: exactly what export gives once it is stored."""
        rows = self.to_rows(record)
        return self.to_record(rows.parent, rows.children)

    def model_rows(self, record: Mapping[str, Any]) -> tuple[Model, list[Model]]:
        """A validated record as unsaved model instances: the record and its child rows."""
        rows = self.to_rows(record)
        parent = self.model(**rows.parent)
        models_by_key = {child.key: child.model for child in self.children}
        children = [
            models_by_key[key](**row) for key, child_rows in rows.children.items() for row in child_rows
        ]
        return parent, children

    def _parent_fields(self) -> list[str]:
        return [f.attname for f in self.model._meta.concrete_fields]

    def _build(
        self, parents: Iterable[Row], children: Mapping[str, Mapping[str, list[Row]]]
    ) -> dict[str, dict[str, Any]]:
        empty: list[Row] = []
        return {
            parent["id"]: self.to_record(
                parent, {key: rows.get(parent["id"], empty) for key, rows in children.items()}
            )
            for parent in parents
        }


# --- reading in bulk --------------------------------------------------------------------------------

def chunk_size() -> int:
    """How many ids fit one IN list on this database."""
    limit = connection.features.max_query_params or 10_000
    return max(1, min(limit - 10, 5_000))


def chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _child_fields(child: Child) -> list[str]:
    return [f.attname for f in child.model._meta.concrete_fields if not f.primary_key]


def _group(rows: Iterable[Row], attname: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[attname]].append(row)
    return grouped
