"""Reads of certificates and their chain: a certificate's status on a date (contract rev. 2, §1), in
Python and as SQL; the records the API and the pages show, in a fixed few queries; the day's status of
every certificate, streamed; the current certificates that rest on a body's work.

Every record is public (Certificate.objects.restrict: every row)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cepa.certificates.filters import CertificateFilter
from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.certificates.records import holder as holder_names
from cepa.certificates.status import status_on, valid_on
from cepa.filters import filtered

NUMBER = re.compile(r"[0-9]{16}")
NUMBER_RULE = _(
    "A CCC certificate number has 16 digits: the year (4 digits), the issuing body's CNCA code (2), the "
    "product type's code (4) and a serial number (6), for example 2026010701000123."
)


# --- lists -----------------------------------------------------------------------------------------


def certificates(user: Any, **filters: Any) -> QuerySet[Certificate]:
    """The certificates the filters select (holder, issuer, product_type, laboratory, inspector, status,
    on), by number."""
    return filtered(CertificateFilter, Certificate.objects.restrict(user, "view"), filters).order_by("id")


def current_with_laboratory(laboratory: str, day: dt.date) -> QuerySet[Certificate]:
    """Every certificate valid on `day` whose chain contains a report of `laboratory`.

    An uncorrelated `id IN (…)` rather than a correlated EXISTS: the database starts from the
    laboratory's reports (index on laboratory) and looks each certificate up by its key, instead of
    testing every certificate current on `day` (SQLite: 0.5 ms rather than 136 ms at 50,000
    certificates; the plans are in the commit that made this change)."""
    cited = CertificateReport.objects.filter(test_report__laboratory_id=laboratory).values("certificate_id")
    return Certificate.objects.filter(valid_on(day), id__in=cited).order_by("id")


def current_with_inspector(inspector: str, day: dt.date) -> QuerySet[Certificate]:
    """Every certificate valid on `day` whose chain contains an inspection by `inspector` (as
    current_with_laboratory: from the inspector's entries, not from every current certificate)."""
    cited = CertificateInspection.objects.filter(
        inspection__inspector_entries__inspector_id=inspector
    ).values("certificate_id")
    return Certificate.objects.filter(valid_on(day), id__in=cited).order_by("id")


# The chain query's SQL, compiled once per database alias: building the queryset (three nested
# EXISTS of the status) costs the ORM a few milliseconds, many times the query itself once it starts
# from the laboratory's reports. Parameters are found again by sentinel values.
_SOME_LABORATORY = "\x1flaboratory\x1f"
_SOME_DAY = dt.date(1111, 11, 11)
_CHAIN_SQL: dict[str, tuple[str, list[Any]]] = {}


def current_ids_with_laboratory(laboratory: str, day: dt.date) -> list[str]:
    """The numbers current_with_laboratory(laboratory, day) selects, in order, through its SQL compiled
    on first use. One query."""
    connection = connections[router.db_for_read(Certificate)]
    compiled = _CHAIN_SQL.get(connection.alias)
    if compiled is None:
        query = current_with_laboratory(_SOME_LABORATORY, _SOME_DAY).values_list("id", flat=True).query
        sql, params = query.sql_with_params()
        some_day = connection.ops.adapt_datefield_value(_SOME_DAY)
        slots = [
            "laboratory" if param == _SOME_LABORATORY else "day" if param == some_day else (param,)
            for param in params
        ]
        compiled = _CHAIN_SQL[connection.alias] = (sql, slots)
    sql, slots = compiled
    values = {"laboratory": laboratory, "day": connection.ops.adapt_datefield_value(day)}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[slot] if slot.__class__ is str else slot[0] for slot in slots])
        return [row[0] for row in cursor.fetchall()]


def resting_on(organisation: str, day: dt.date) -> int:
    """How many certificates valid on `day` rest on `organisation`'s work: it issued them, tested for
    them, or inspected for them. One query."""
    reports = CertificateReport.objects.filter(
        certificate=OuterRef("pk"), test_report__laboratory_id=organisation
    )
    inspections = CertificateInspection.objects.filter(
        certificate=OuterRef("pk"), inspection__organisation_id=organisation
    )
    return (
        Certificate.objects.filter(valid_on(day))
        .filter(Q(issuer_id=organisation) | Exists(reports) | Exists(inspections))
        .count()
    )


# --- records ---------------------------------------------------------------------------------------


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def certificate_records(ids: Sequence[str], day: dt.date) -> list[dict[str, Any]]:
    """The certificates of these ids with their chain and their status on `day`, in the given order.
    Five queries, whatever the number of reports and inspections."""
    ids = list(ids)
    rows = {
        row["id"]: row
        for row in Certificate.objects.filter(pk__in=ids).values(
            "id",
            "holder_en",
            "holder_zh_hant",
            "holder_zh_hans",
            "product_type",
            "issuer_id",
            "issuer__name_en",
            "issued",
            "expires",
            "source",
            "note",
        )
    }
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in CertificateEvent.objects.filter(certificate_id__in=list(rows)).order_by(
        "certificate_id", "position"
    ):
        events[event.certificate_id].append({"on": event.on, "status": event.status, "reason": event.reason})
    reports: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in (
        CertificateReport.objects.filter(certificate_id__in=list(rows))
        .select_related("test_report")
        .order_by("certificate_id", "position")
    ):
        report = link.test_report
        reports[link.certificate_id].append(
            {
                "id": report.pk,
                "laboratory": report.laboratory_id,
                "product_type": report.product_type,
                "issued": _day(report.issued),
                "certification_body": report.certification_body_id,
            }
        )
    inspection_links = list(
        CertificateInspection.objects.filter(certificate_id__in=list(rows))
        .select_related("inspection")
        .order_by("certificate_id", "position")
    )
    inspectors: dict[str, list[str]] = defaultdict(list)
    if inspection_links:
        for entry in InspectionInspector.objects.filter(
            inspection_id__in={link.inspection_id for link in inspection_links}
        ).order_by("inspection_id", "position"):
            inspectors[entry.inspection_id].append(entry.inspector_id)
    inspections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for inspection_link in inspection_links:
        inspection = inspection_link.inspection
        inspections[inspection_link.certificate_id].append(
            {
                "id": inspection.pk,
                "organisation": inspection.organisation_id,
                "on_behalf_of": inspection.on_behalf_of_id,
                "inspectors": inspectors[inspection.pk],
                "product_type": inspection.product_type,
                "on": _day(inspection.on),
            }
        )
    records = []
    for certificate_id in ids:
        row = rows.get(certificate_id)
        if row is None:
            continue
        own_events = events[certificate_id]
        records.append(
            {
                "id": row["id"],
                "holder": holder_names(row),
                "product_type": row["product_type"],
                "issuer": row["issuer_id"],
                "issued": _day(row["issued"]),
                "expires": _day(row["expires"]),
                "on": day.isoformat(),
                "status": status_on(
                    row["issued"], row["expires"], [(e["on"], e["status"]) for e in own_events], day
                ),
                "test_reports": reports[certificate_id],
                "factory_inspections": inspections[certificate_id],
                "events": [
                    {"on": _day(e["on"]), "status": e["status"], "reason": e["reason"]} for e in own_events
                ],
            }
        )
    return records


def certificate_record(number: str, day: dt.date) -> dict[str, Any] | None:
    """One certificate's record, or None for a number that is malformed or unknown."""
    if not isinstance(number, str) or not NUMBER.fullmatch(number):
        return None
    found = certificate_records([number], day)
    return found[0] if found else None


def number_is_well_formed(number: str) -> bool:
    return isinstance(number, str) and NUMBER.fullmatch(number) is not None


# --- the day's status of every certificate, streamed ----------------------------------------------

STATUS_COLUMNS = ("id", "status", "issuer", "product_type", "issued", "expires")


def statuses(day: dt.date, chunk: int = 5_000) -> Iterator[tuple[str, str, str, str, str, str]]:
    """(id, status, issuer, product_type, issued, expires) of every certificate on `day`, by number, in
    constant memory: the certificates and their events are read side by side in number order (two
    chunked queries) and merged."""
    certificates_rows = (
        Certificate.objects.order_by("id")
        .values_list("id", "issuer_id", "product_type", "issued", "expires")
        .iterator(chunk_size=chunk)
    )
    event_rows = (
        CertificateEvent.objects.order_by("certificate_id", "position")
        .values_list("certificate_id", "on", "status")
        .iterator(chunk_size=chunk)
    )
    pending = next(event_rows, None)
    for number, issuer, product_type, issued, expires in certificates_rows:
        own: list[tuple[dt.date, str]] = []
        while pending is not None and pending[0] < number:
            pending = next(event_rows, None)  # an event of no certificate (cannot happen: a foreign key)
        while pending is not None and pending[0] == number:
            own.append((pending[1], pending[2]))
            pending = next(event_rows, None)
        yield (
            number,
            status_on(issued, expires, own, day),
            issuer,
            product_type,
            issued.isoformat(),
            expires.isoformat(),
        )


# --- what a body records and sees -----------------------------------------------------------------


def reports_of(laboratory: str) -> QuerySet[TestReport]:
    return TestReport.objects.filter(laboratory_id=laboratory).select_related("certification_body")


def inspections_of(organisation: str) -> QuerySet[FactoryInspection]:
    return FactoryInspection.objects.filter(organisation_id=organisation).select_related("on_behalf_of")


def reports_for(certification_body: str, product_types: Iterable[str] | None = None) -> QuerySet[TestReport]:
    """The reports made for a certification body (what it may cite)."""
    found = TestReport.objects.filter(certification_body_id=certification_body)
    if product_types is not None:
        found = found.filter(product_type__in=list(product_types))
    return found.select_related("laboratory").order_by("-issued", "id")


def inspections_for(certification_body: str) -> QuerySet[FactoryInspection]:
    return (
        FactoryInspection.objects.filter(on_behalf_of_id=certification_body)
        .select_related("organisation")
        .order_by("-on", "id")
    )


def issued_by(issuer: str) -> QuerySet[Certificate]:
    return Certificate.objects.filter(issuer_id=issuer).order_by("-issued", "-id")


def report_record(report_id: str) -> dict[str, Any] | None:
    if not isinstance(report_id, str) or "\x00" in report_id:
        return None
    report = TestReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    return {
        "id": report.pk,
        "laboratory": report.laboratory_id,
        "product_type": report.product_type,
        "issued": report.issued.isoformat(),
        "certification_body": report.certification_body_id,
    }


def inspection_record(inspection_id: str) -> dict[str, Any] | None:
    if not isinstance(inspection_id, str) or "\x00" in inspection_id:
        return None
    inspection = FactoryInspection.objects.filter(pk=inspection_id).first()
    if inspection is None:
        return None
    return {
        "id": inspection.pk,
        "organisation": inspection.organisation_id,
        "on_behalf_of": inspection.on_behalf_of_id,
        "inspectors": list(
            inspection.inspector_entries.order_by("position").values_list("inspector_id", flat=True)
        ),
        "product_type": inspection.product_type,
        "on": inspection.on.isoformat(),
    }
