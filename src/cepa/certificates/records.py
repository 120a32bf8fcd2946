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


TEST_REPORTS = RecordType("test_reports", TestReport, (), _test_report_rows, _test_report_record)


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


FACTORY_INSPECTIONS = RecordType(
    "factory_inspections",
    FactoryInspection,
    (Child("inspectors", InspectionInspector, "inspection_id", ("inspection_id", "position")),),
    _inspection_rows,
    _inspection_record,
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
)
