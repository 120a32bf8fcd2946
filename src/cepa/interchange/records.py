"""Mapping between stored rows and `cepa-registry/1` records, in both directions.

A record's canonical dict (what export writes and what the history keeps as before/after) is built
from plain row mappings keyed by field attname (`organisation_id`, `valid_from`, ...), so the same
code serves model instances, `.values()` rows and rows derived from an imported record. Canonical
means: the contract's key order, product type lists sorted, timestamps in +08:00, empty optional
fields omitted. Personal data of inspectors is not part of the format and never appears here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from django.db import connection
from django.db.models import Model

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent

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


def _put(record: dict[str, Any], key: str, value: Any) -> None:
    """Sets an optional field, leaving it out when empty."""
    if value is not None and value != "" and value != [] and value != {}:
        record[key] = value


def _names(row: Row) -> dict[str, str]:
    names = {"en": row["name_en"]}
    _put(names, "zh-Hant", row["name_zh_hant"])
    _put(names, "zh-Hans", row["name_zh_hans"])
    return names


def _name_values(names: Mapping[str, str]) -> dict[str, str]:
    return {
        "name_en": names["en"],
        "name_zh_hant": names.get("zh-Hant", ""),
        "name_zh_hans": names.get("zh-Hans", ""),
    }


def _recorded(record: dict[str, Any], row: Row) -> dict[str, Any]:
    _put(record, "source", row["source"])
    _put(record, "note", row["note"])
    return record


def _recorded_values(record: Mapping[str, Any]) -> dict[str, str]:
    return {"source": record.get("source", ""), "note": record.get("note", "")}


def _codes(values: Iterable[str]) -> list[str]:
    return sorted(values)


# --- record types ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Child:
    """A child table of a record: scope rows, events, affiliations."""

    key: str  # name inside Rows.children
    model: type[Model]
    parent_attname: str
    order_by: tuple[str, ...]


@dataclass
class Rows:
    """A record as rows: the parent's field values and each child table's rows (attname → value)."""

    parent: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


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
    exported: Mapping[str, Any] | None = None
    excluded: Mapping[str, Any] | None = None

    @property
    def written_fields(self) -> list[str]:
        """Parent attnames an import writes (everything but the primary key and the kept fields)."""
        return [
            f.attname
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.attname not in self.kept_fields
        ]


def _scope_rows(parent_attname: str, record_id: str, codes: Iterable[str]) -> list[dict[str, Any]]:
    return [{parent_attname: record_id, "product_type": code} for code in _codes(codes)]


# organisations

def _organisation_rows(record: Mapping[str, Any]) -> Rows:
    return Rows(
        {
            "id": record["id"],
            **_name_values(record["name"]),
            "kind": record["kind"],
            "seat": record["seat"],
            "hk_invested": record.get("hk_invested", False),
            "cnca_code": record.get("cnca_code"),
            **_recorded_values(record),
        }
    )


def _organisation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "name": _names(row),
        "kind": row["kind"],
        "seat": row["seat"],
        "hk_invested": bool(row["hk_invested"]),
    }
    _put(record, "cnca_code", row["cnca_code"])
    return _recorded(record, row)


# accreditations

def _accreditation_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    events = [
        {
            "accreditation_id": record_id,
            "position": position,
            "on": parse_date(event["on"]),
            "status": event["status"],
            "scope": _codes(event["scope"]) if "scope" in event else None,
            "reason": event.get("reason", ""),
            "basis": event.get("basis", ""),
            **_recorded_values(event),
        }
        for position, event in enumerate(record.get("events", []))
    ]
    return Rows(
        {
            "id": record_id,
            "organisation_id": record["organisation"],
            "scheme": record["scheme"],
            "granted": parse_date(record["granted"]),
            **_recorded_values(record),
        },
        {"scope": _scope_rows("accreditation_id", record_id, record["scope"]), "events": events},
    )


def _accreditation_event(row: Row) -> dict[str, Any]:
    event: dict[str, Any] = {"on": format_date(row["on"]), "status": row["status"]}
    if row["scope"] is not None:
        event["scope"] = _codes(row["scope"])
    _put(event, "reason", row["reason"])
    _put(event, "basis", row["basis"])
    return _recorded(event, row)


def _accreditation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "scheme": row["scheme"],
        "scope": _codes(scope["product_type"] for scope in children["scope"]),
        "granted": format_date(row["granted"]),
    }
    _put(record, "events", [_accreditation_event(event) for event in children["events"]])
    return _recorded(record, row)


# designations

def _designation_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    return Rows(
        {
            "id": record_id,
            "organisation_id": record["organisation"],
            "role": record["role"],
            "valid_from": parse_date(record["from"]),
            "valid_until": parse_date(record.get("until")),
            "basis": record.get("basis", ""),
            **_recorded_values(record),
        },
        {"scope": _scope_rows("designation_id", record_id, record["product_types"])},
    )


def _designation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "role": row["role"],
        "product_types": _codes(scope["product_type"] for scope in children["scope"]),
        "from": format_date(row["valid_from"]),
    }
    _put(record, "until", format_date(row["valid_until"]))
    _put(record, "basis", row["basis"])
    return _recorded(record, row)


# agreements

def _agreement_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    return Rows(
        {
            "id": record_id,
            "kind": record["kind"],
            "party_id": record["party"],
            "counterparty_id": record["counterparty"],
            "valid_from": parse_date(record["from"]),
            "valid_until": parse_date(record.get("until")),
            "terminated_on": parse_date(record.get("terminated_on")),
            **_recorded_values(record),
        },
        {"scope": _scope_rows("agreement_id", record_id, record["product_types"])},
    )


def _agreement_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "kind": row["kind"],
        "party": row["party_id"],
        "counterparty": row["counterparty_id"],
        "product_types": _codes(scope["product_type"] for scope in children["scope"]),
        "from": format_date(row["valid_from"]),
    }
    _put(record, "until", format_date(row["valid_until"]))
    _put(record, "terminated_on", format_date(row["terminated_on"]))
    return _recorded(record, row)


# plans: an interchange plan is a published plan; one closed early shows the early close.

def _plan_rows(record: Mapping[str, Any]) -> Rows:
    window = record["window"]
    return Rows(
        {
            "id": record["id"],
            "year": int(record["year"]),
            "role": record["role"],
            "product_types": _codes(record["product_types"]),
            "status": PlanStatus.PUBLISHED,
            "published": parse_date(record["published"]),
            "opens": parse_timestamp(window["opens"]),
            "closes": parse_timestamp(window["closes"]),
            "requires_expression_of_interest": record["requires_expression_of_interest"],
            "closed_early_at": None,
            "close_reason": "",
            **_recorded_values(record),
        }
    )


def _plan_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    closes = row["closes"]
    if row["status"] == PlanStatus.CLOSED and row["closed_early_at"] is not None:
        closes = min(closes, row["closed_early_at"])
    record: dict[str, Any] = {
        "id": row["id"],
        "year": row["year"],
        "role": row["role"],
        "product_types": _codes(row["product_types"]),
    }
    _put(record, "published", format_date(row["published"]))
    record["window"] = {"opens": format_timestamp(row["opens"]), "closes": format_timestamp(closes)}
    record["requires_expression_of_interest"] = bool(row["requires_expression_of_interest"])
    return _recorded(record, row)


# expressions of interest

def _eoi_rows(record: Mapping[str, Any]) -> Rows:
    return Rows(
        {
            "id": record["id"],
            "organisation_id": record["organisation"],
            "year": int(record["year"]),
            "product_types": _codes(record["product_types"]),
            "submitted": parse_timestamp(record["submitted"]),
            **_recorded_values(record),
        }
    )


def _eoi_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "year": row["year"],
        "product_types": _codes(row["product_types"]),
        "submitted": format_timestamp(row["submitted"]),
    }
    return _recorded(record, row)


# inspectors

def _affiliation_key(row: Row) -> tuple[Any, ...]:
    return (row["valid_from"], row["organisation_id"], row["valid_until"] or date.max)


def _inspector_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    affiliations = [
        {
            "inspector_id": record_id,
            "organisation_id": affiliation["organisation"],
            "valid_from": parse_date(affiliation["from"]),
            "valid_until": parse_date(affiliation.get("until")),
        }
        for affiliation in record["affiliations"]
    ]
    events = [
        {
            "inspector_id": record_id,
            "position": position,
            "on": parse_date(event["on"]),
            "status": event.get("status", ""),
            "grade": event.get("grade", ""),
            "reason": event.get("reason", ""),
            "basis": event.get("basis", ""),
            **_recorded_values(event),
        }
        for position, event in enumerate(record.get("events", []))
    ]
    return Rows(
        {
            "id": record_id,
            **_name_values(record["name"]),
            "grade": record["grade"],
            "specialties": _codes(record["specialties"]),
            "registered": parse_date(record["registered"]),
            "expires": parse_date(record["expires"]),
            **_recorded_values(record),
        },
        {"affiliations": sorted(affiliations, key=_affiliation_key), "events": events},
    )


def _inspector_event(row: Row) -> dict[str, Any]:
    event: dict[str, Any] = {"on": format_date(row["on"])}
    _put(event, "status", row["status"])
    _put(event, "grade", row["grade"])
    _put(event, "reason", row["reason"])
    _put(event, "basis", row["basis"])
    return _recorded(event, row)


def _affiliation(row: Row) -> dict[str, Any]:
    affiliation = {"organisation": row["organisation_id"], "from": format_date(row["valid_from"])}
    _put(affiliation, "until", format_date(row["valid_until"]))
    return affiliation


def _inspector_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "name": _names(row),
        "grade": row["grade"],
        "specialties": _codes(row["specialties"]),
        "registered": format_date(row["registered"]),
        "expires": format_date(row["expires"]),
        "affiliations": [_affiliation(a) for a in sorted(children["affiliations"], key=_affiliation_key)],
    }
    _put(record, "events", [_inspector_event(event) for event in children["events"]])
    return _recorded(record, row)


def _scope_child(model: type[Model], parent_attname: str) -> Child:
    return Child("scope", model, parent_attname, (parent_attname, "product_type"))


RECORD_TYPES: dict[str, RecordType] = {
    "organisations": RecordType("organisations", Organisation, (), _organisation_rows, _organisation_record),
    "accreditations": RecordType(
        "accreditations",
        Accreditation,
        (
            _scope_child(AccreditationScope, "accreditation_id"),
            Child("events", AccreditationEvent, "accreditation_id", ("accreditation_id", "position")),
        ),
        _accreditation_rows,
        _accreditation_record,
    ),
    "designations": RecordType(
        "designations", Designation, (_scope_child(DesignationScope, "designation_id"),),
        _designation_rows, _designation_record,
    ),
    "agreements": RecordType(
        "agreements", Agreement, (_scope_child(AgreementScope, "agreement_id"),),
        _agreement_rows, _agreement_record,
    ),
    "plans": RecordType(
        "plans", Plan, (), _plan_rows, _plan_record,
        kept_fields=("requirements_en", "requirements_zh_hant", "requirements_zh_hans"),
        excluded={"status": PlanStatus.DRAFT},
    ),
    "expressions_of_interest": RecordType(
        "expressions_of_interest", ExpressionOfInterest, (), _eoi_rows, _eoi_record,
    ),
    "inspectors": RecordType(
        "inspectors",
        Inspector,
        (
            Child("affiliations", Affiliation, "inspector_id", ("inspector_id", "valid_from", "id")),
            Child("events", InspectorEvent, "inspector_id", ("inspector_id", "position")),
        ),
        _inspector_rows,
        _inspector_record,
        kept_fields=("date_of_birth", "identity_document", "email", "phone"),
    ),
}

RECORD_TYPE_OF_MODEL: dict[type[Model], str] = {rt.model: name for name, rt in RECORD_TYPES.items()}


# --- reading stored records in bulk ---------------------------------------------------------------

def chunk_size() -> int:
    """How many ids fit one IN list on this database."""
    limit = connection.features.max_query_params or 10_000
    return max(1, min(limit - 10, 5_000))


def chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _parent_fields(record_type: RecordType) -> list[str]:
    return [f.attname for f in record_type.model._meta.concrete_fields]


def _child_fields(child: Child) -> list[str]:
    return [f.attname for f in child.model._meta.concrete_fields if not f.primary_key]


def _build(
    record_type: RecordType,
    parents: Iterable[Row],
    children: Mapping[str, Mapping[str, list[Row]]],
) -> dict[str, dict[str, Any]]:
    empty: list[Row] = []
    return {
        parent["id"]: record_type.to_record(
            parent, {key: rows.get(parent["id"], empty) for key, rows in children.items()}
        )
        for parent in parents
    }


def _group(rows: Iterable[Row], attname: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[attname]].append(row)
    return grouped


def load_records(list_name: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The canonical dicts of the stored records with these ids (missing ids are left out).

    A few queries per chunk of ids, whatever the number of records.
    """
    record_type = RECORD_TYPES[list_name]
    id_list = sorted(set(ids))
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunked(id_list, chunk_size()):
        parents = list(
            record_type.model._default_manager.filter(pk__in=chunk).values(*_parent_fields(record_type))
        )
        present = [parent["id"] for parent in parents]
        children: dict[str, dict[str, list[Row]]] = {}
        for child in record_type.children:
            if not present:
                children[child.key] = {}
                continue
            rows = child.model._default_manager.filter(**{f"{child.parent_attname}__in": present})
            values = rows.order_by(*child.order_by).values(*_child_fields(child))
            children[child.key] = _group(values, child.parent_attname)
        found.update(_build(record_type, parents, children))
    return found


def exported_records(list_name: str) -> list[dict[str, Any]]:
    """Every stored record of a list that export writes, sorted by id."""
    record_type = RECORD_TYPES[list_name]
    parents = record_type.model._default_manager.all()
    if record_type.excluded:
        parents = parents.exclude(**record_type.excluded)
    parent_rows = list(parents.order_by("pk").values(*_parent_fields(record_type)))
    children: dict[str, dict[str, list[Row]]] = {}
    for child in record_type.children:
        rows = child.model._default_manager.order_by(*child.order_by).values(*_child_fields(child))
        children[child.key] = _group(rows.iterator(chunk_size=5_000), child.parent_attname)
    built = _build(record_type, parent_rows, children)
    # Sorted in Python so the order never depends on the database's collation.
    return [built[key] for key in sorted(built)]


# --- helpers for other apps -------------------------------------------------------------------------

def record_type_of(model: type[Model]) -> str:
    """The interchange list name (and history record_type) of a registry model."""
    return RECORD_TYPE_OF_MODEL[model]


def record_of(instance: Model) -> dict[str, Any]:
    """The canonical interchange dict of one stored registry record (its children read from the DB)."""
    list_name = record_type_of(type(instance))
    return load_records(list_name, [instance.pk])[instance.pk]


def rows_of(list_name: str, record: Mapping[str, Any]) -> Rows:
    """A validated interchange record as rows (attname → value) for its table and its child tables."""
    return RECORD_TYPES[list_name].to_rows(record)


def canonical(list_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form of a validated interchange record: exactly what export gives once it is stored."""
    record_type = RECORD_TYPES[list_name]
    rows = record_type.to_rows(record)
    return record_type.to_record(rows.parent, rows.children)


def model_rows(list_name: str, record: Mapping[str, Any]) -> tuple[Model, list[Model]]:
    """A validated interchange record as unsaved model instances: the record and its child rows."""
    record_type = RECORD_TYPES[list_name]
    rows = record_type.to_rows(record)
    parent = record_type.model(**rows.parent)
    models_by_key = {child.key: child.model for child in record_type.children}
    children = [models_by_key[key](**row) for key, child_rows in rows.children.items() for row in child_rows]
    return parent, children
