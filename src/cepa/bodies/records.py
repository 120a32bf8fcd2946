"""The canonical records of organisations, accreditations, designations and agreements (cepa.records)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
    scope_child,
    scope_rows,
)

# organisations

CONTACT_FIELDS = ("address", "phone", "email", "website")
ADDRESS_LANGUAGES = ("en", "zh-Hant", "zh-Hans")


def canonical_contact(contact: Mapping[str, Any]) -> dict[str, Any]:
    """The contact object in the contract's key order, empty fields left out."""
    result: dict[str, Any] = {}
    address = contact.get("address") or {}
    put(result, "address", {lang: address[lang] for lang in ADDRESS_LANGUAGES if address.get(lang)})
    for key in CONTACT_FIELDS[1:]:
        put(result, key, contact.get(key))
    return result


def _organisation_rows(record: Mapping[str, Any]) -> Rows:
    return Rows(
        {
            "id": record["id"],
            **name_values(record["name"]),
            "kind": record["kind"],
            "seat": record["seat"],
            "hk_invested": record.get("hk_invested", False),
            "cnca_code": record.get("cnca_code"),
            "contact": canonical_contact(record.get("contact") or {}),
            **recorded_values(record),
        }
    )


def _organisation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "name": names(row),
        "kind": row["kind"],
        "seat": row["seat"],
        "hk_invested": bool(row["hk_invested"]),
    }
    put(record, "cnca_code", row["cnca_code"])
    put(record, "contact", canonical_contact(row["contact"]))
    return recorded(record, row)


# accreditations

def _accreditation_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    events = [
        {
            "accreditation_id": record_id,
            "position": position,
            "on": parse_date(event["on"]),
            "status": event["status"],
            "scope": codes(event["scope"]) if "scope" in event else None,
            "reason": event.get("reason", ""),
            "basis": event.get("basis", ""),
            **recorded_values(event),
        }
        for position, event in enumerate(record.get("events", []))
    ]
    return Rows(
        {
            "id": record_id,
            "organisation_id": record["organisation"],
            "scheme": record["scheme"],
            "granted": parse_date(record["granted"]),
            **recorded_values(record),
        },
        {"scope": scope_rows("accreditation_id", record_id, record["scope"]), "events": events},
    )


def _accreditation_event(row: Row) -> dict[str, Any]:
    event: dict[str, Any] = {"on": format_date(row["on"]), "status": row["status"]}
    if row["scope"] is not None:
        event["scope"] = codes(row["scope"])
    put(event, "reason", row["reason"])
    put(event, "basis", row["basis"])
    return recorded(event, row)


def _accreditation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "scheme": row["scheme"],
        "scope": codes(scope["product_type"] for scope in children["scope"]),
        "granted": format_date(row["granted"]),
    }
    put(record, "events", [_accreditation_event(event) for event in children["events"]])
    return recorded(record, row)


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
            **recorded_values(record),
        },
        {"scope": scope_rows("designation_id", record_id, record["product_types"])},
    )


def _designation_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "role": row["role"],
        "product_types": codes(scope["product_type"] for scope in children["scope"]),
        "from": format_date(row["valid_from"]),
    }
    put(record, "until", format_date(row["valid_until"]))
    put(record, "basis", row["basis"])
    return recorded(record, row)


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
            **recorded_values(record),
        },
        {"scope": scope_rows("agreement_id", record_id, record["product_types"])},
    )


def _agreement_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "kind": row["kind"],
        "party": row["party_id"],
        "counterparty": row["counterparty_id"],
        "product_types": codes(scope["product_type"] for scope in children["scope"]),
        "from": format_date(row["valid_from"]),
    }
    put(record, "until", format_date(row["valid_until"]))
    put(record, "terminated_on", format_date(row["terminated_on"]))
    return recorded(record, row)


ORGANISATIONS = RecordType("organisations", Organisation, (), _organisation_rows, _organisation_record)
ACCREDITATIONS = RecordType(
    "accreditations",
    Accreditation,
    (
        scope_child(AccreditationScope, "accreditation_id"),
        Child("events", AccreditationEvent, "accreditation_id", ("accreditation_id", "position")),
    ),
    _accreditation_rows,
    _accreditation_record,
)
DESIGNATIONS = RecordType(
    "designations", Designation, (scope_child(DesignationScope, "designation_id"),),
    _designation_rows, _designation_record,
)
AGREEMENTS = RecordType(
    "agreements", Agreement, (scope_child(AgreementScope, "agreement_id"),),
    _agreement_rows, _agreement_record,
)
