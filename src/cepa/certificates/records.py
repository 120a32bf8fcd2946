"""The canonical records of test reports, factory inspections and certificates (cepa.records; contract
§1, rev. 2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.records import (
    Child,
    ImportRows,
    RecordType,
    Row,
    Rows,
    format_date,
    parse_date,
    put,
    recorded,
    recorded_values,
)

# test reports


def _test_report_rows(record: Mapping[str, Any]) -> Rows:
    return Rows(
        {
            "id": record["id"],
            "laboratory_id": record["laboratory"],
            "product_type": record["product_type"],
            "issued": parse_date(record["issued"]),
            "certification_body_id": record["certification_body"],
            **recorded_values(record),
        }
    )


def _test_report_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "laboratory": row["laboratory_id"],
        "product_type": row["product_type"],
        "issued": format_date(row["issued"]),
        "certification_body": row["certification_body_id"],
    }
    return recorded(record, row)


def _test_report_import(record: Mapping[str, Any], day: Any) -> Any:
    # The same values as _test_report_rows then _test_report_record: a validated date string is
    # already its own isoformat.
    source, note = record.get("source", ""), record.get("note", "")
    issued = record["issued"]
    parent = (
        source, note, record["id"], record["laboratory"], record["product_type"], day(issued),
        record["certification_body"],
    )
    after = {
        "id": record["id"],
        "laboratory": record["laboratory"],
        "product_type": record["product_type"],
        "issued": issued,
        "certification_body": record["certification_body"],
    }
    put(after, "source", source)
    put(after, "note", note)
    return parent, (), after


TEST_REPORTS = RecordType(
    "test_reports",
    TestReport,
    (),
    _test_report_rows,
    _test_report_record,
    import_rows=ImportRows(
        ("source", "note", "id", "laboratory_id", "product_type", "issued", "certification_body_id"),
        (),
        _test_report_import,
    ),
)


# factory inspections


def _inspection_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    return Rows(
        {
            "id": record_id,
            "organisation_id": record["organisation"],
            "on_behalf_of_id": record["on_behalf_of"],
            "product_type": record["product_type"],
            "on": parse_date(record["on"]),
            **recorded_values(record),
        },
        {
            "inspectors": [
                {"inspection_id": record_id, "inspector_id": inspector, "position": position}
                for position, inspector in enumerate(record["inspectors"])
            ]
        },
    )


def _inspection_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "on_behalf_of": row["on_behalf_of_id"],
        "inspectors": [entry["inspector_id"] for entry in children["inspectors"]],
        "product_type": row["product_type"],
        "on": format_date(row["on"]),
    }
    return recorded(record, row)


def _inspection_import(record: Mapping[str, Any], day: Any) -> Any:
    record_id = record["id"]
    source, note = record.get("source", ""), record.get("note", "")
    on = record["on"]
    inspectors = record["inspectors"]
    parent = (
        source, note, record_id, record["organisation"], record["on_behalf_of"], record["product_type"],
        day(on),
    )
    links = [(record_id, inspector, position) for position, inspector in enumerate(inspectors)]
    after = {
        "id": record_id,
        "organisation": record["organisation"],
        "on_behalf_of": record["on_behalf_of"],
        "inspectors": list(inspectors),
        "product_type": record["product_type"],
        "on": on,
    }
    put(after, "source", source)
    put(after, "note", note)
    return parent, (links,), after


FACTORY_INSPECTIONS = RecordType(
    "factory_inspections",
    FactoryInspection,
    (Child("inspectors", InspectionInspector, "inspection_id", ("inspection_id", "position")),),
    _inspection_rows,
    _inspection_record,
    import_rows=ImportRows(
        ("source", "note", "id", "organisation_id", "on_behalf_of_id", "product_type", "on"),
        (("inspection_id", "inspector_id", "position"),),
        _inspection_import,
    ),
)


# certificates


def holder(row: Row) -> dict[str, str]:
    """The holder's names object."""
    result = {"en": row["holder_en"]}
    put(result, "zh-Hant", row["holder_zh_hant"])
    put(result, "zh-Hans", row["holder_zh_hans"])
    return result


def _certificate_rows(record: Mapping[str, Any]) -> Rows:
    record_id = record["id"]
    names = record["holder"]
    events = [
        {
            "certificate_id": record_id,
            "position": position,
            "on": parse_date(event["on"]),
            "status": event["status"],
            "reason": event.get("reason", ""),
            **recorded_values(event),
        }
        for position, event in enumerate(record.get("events", []))
    ]
    return Rows(
        {
            "id": record_id,
            "holder_en": names["en"],
            "holder_zh_hant": names.get("zh-Hant", ""),
            "holder_zh_hans": names.get("zh-Hans", ""),
            "product_type": record["product_type"],
            "issuer_id": record["issuer"],
            "issued": parse_date(record["issued"]),
            "expires": parse_date(record["expires"]),
            **recorded_values(record),
        },
        {
            "test_reports": [
                {"certificate_id": record_id, "test_report_id": report, "position": position}
                for position, report in enumerate(record["test_reports"])
            ],
            "factory_inspections": [
                {"certificate_id": record_id, "inspection_id": inspection, "position": position}
                for position, inspection in enumerate(record.get("factory_inspections", []))
            ],
            "events": events,
        },
    )


def _certificate_event(row: Row) -> dict[str, Any]:
    event: dict[str, Any] = {"on": format_date(row["on"]), "status": row["status"]}
    put(event, "reason", row["reason"])
    return recorded(event, row)


def _certificate_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "holder": holder(row),
        "product_type": row["product_type"],
        "issuer": row["issuer_id"],
        "issued": format_date(row["issued"]),
        "expires": format_date(row["expires"]),
        "test_reports": [link["test_report_id"] for link in children["test_reports"]],
    }
    put(record, "factory_inspections", [link["inspection_id"] for link in children["factory_inspections"]])
    put(record, "events", [_certificate_event(event) for event in children["events"]])
    return recorded(record, row)


def _certificate_import(record: Mapping[str, Any], day: Any) -> Any:
    record_id = record["id"]
    source, note = record.get("source", ""), record.get("note", "")
    names = record["holder"]
    zh_hant, zh_hans = names.get("zh-Hant", ""), names.get("zh-Hans", "")
    issued, expires = record["issued"], record["expires"]
    parent = (
        source, note, record_id, names["en"], zh_hant, zh_hans, record["product_type"], record["issuer"],
        day(issued), day(expires),
    )
    reports = record["test_reports"]
    inspections = record.get("factory_inspections", [])
    holder_names = {"en": names["en"]}
    put(holder_names, "zh-Hant", zh_hant)
    put(holder_names, "zh-Hans", zh_hans)
    after: dict[str, Any] = {
        "id": record_id,
        "holder": holder_names,
        "product_type": record["product_type"],
        "issuer": record["issuer"],
        "issued": issued,
        "expires": expires,
        "test_reports": list(reports),
    }
    put(after, "factory_inspections", list(inspections))
    event_rows = []
    events = []
    for position, event in enumerate(record.get("events", [])):
        event_source, event_note = event.get("source", ""), event.get("note", "")
        reason = event.get("reason", "")
        event_rows.append(
            (event_source, event_note, record_id, position, day(event["on"]), event["status"], reason)
        )
        shown: dict[str, Any] = {"on": event["on"], "status": event["status"]}
        put(shown, "reason", reason)
        put(shown, "source", event_source)
        put(shown, "note", event_note)
        events.append(shown)
    put(after, "events", events)
    put(after, "source", source)
    put(after, "note", note)
    links = (
        [(record_id, report, position) for position, report in enumerate(reports)],
        [(record_id, inspection, position) for position, inspection in enumerate(inspections)],
        event_rows,
    )
    return parent, links, after


CERTIFICATES = RecordType(
    "certificates",
    Certificate,
    (
        Child("test_reports", CertificateReport, "certificate_id", ("certificate_id", "position")),
        Child("factory_inspections", CertificateInspection, "certificate_id", ("certificate_id", "position")),
        Child("events", CertificateEvent, "certificate_id", ("certificate_id", "position")),
    ),
    _certificate_rows,
    _certificate_record,
    import_rows=ImportRows(
        (
            "source", "note", "id", "holder_en", "holder_zh_hant", "holder_zh_hans", "product_type",
            "issuer_id", "issued", "expires",
        ),
        (
            ("certificate_id", "test_report_id", "position"),
            ("certificate_id", "inspection_id", "position"),
            ("source", "note", "certificate_id", "position", "on", "status", "reason"),
        ),
        _certificate_import,
    ),
)
