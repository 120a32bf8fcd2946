"""The canonical record of an inspector (cepa.records): the register's public part, no personal data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.records import (
    Child,
    RecordType,
    Row,
    Rows,
    codes,
    format_date,
    name_values,
    names,
    parse_date,
    put,
    recorded,
    recorded_values,
)


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
            **recorded_values(event),
        }
        for position, event in enumerate(record.get("events", []))
    ]
    return Rows(
        {
            "id": record_id,
            **name_values(record["name"]),
            "grade": record["grade"],
            "specialties": codes(record["specialties"]),
            "registered": parse_date(record["registered"]),
            "expires": parse_date(record["expires"]),
            **recorded_values(record),
        },
        {"affiliations": sorted(affiliations, key=_affiliation_key), "events": events},
    )


def _inspector_event(row: Row) -> dict[str, Any]:
    event: dict[str, Any] = {"on": format_date(row["on"])}
    put(event, "status", row["status"])
    put(event, "grade", row["grade"])
    put(event, "reason", row["reason"])
    put(event, "basis", row["basis"])
    return recorded(event, row)


def _affiliation(row: Row) -> dict[str, Any]:
    affiliation = {"organisation": row["organisation_id"], "from": format_date(row["valid_from"])}
    put(affiliation, "until", format_date(row["valid_until"]))
    return affiliation


def _inspector_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "name": names(row),
        "grade": row["grade"],
        "specialties": codes(row["specialties"]),
        "registered": format_date(row["registered"]),
        "expires": format_date(row["expires"]),
        "affiliations": [_affiliation(a) for a in sorted(children["affiliations"], key=_affiliation_key)],
    }
    put(record, "events", [_inspector_event(event) for event in children["events"]])
    return recorded(record, row)


INSPECTORS = RecordType(
    "inspectors",
    Inspector,
    (
        Child("affiliations", Affiliation, "inspector_id", ("inspector_id", "valid_from", "id")),
        Child("events", InspectorEvent, "inspector_id", ("inspector_id", "position")),
    ),
    _inspector_rows,
    _inspector_record,
    kept_fields=("date_of_birth", "identity_document", "email", "phone"),
)
