"""Registry records built straight through the ORM, with the defaults most tests want.

The services of each app own the write path and are tested there; these build the rows a test reads.
Dates and moments are ISO strings or date/datetime objects; a moment without a zone is Beijing time.
Positional arguments follow each model's main fields, so a call reads like the record it makes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from pypdf import PdfWriter

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
from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.designation.models import ExpressionOfInterest, Plan
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.rules.facts import BEIJING

Day = str | dt.date
Moment = str | dt.datetime
EVENT = ("on", "status", "scope")  # an accreditation event given as a tuple


def D(value: Day) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def T(value: Moment) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def _day(value: Day | None) -> dt.date | None:
    return D(value) if value is not None else None


def organisation(
    id_: str, kind: str, seat: str, hk_invested: bool = False, *, name: str | None = None, **fields: Any
) -> Organisation:
    """`name` defaults to the id in words ("hk-lab-a" is "Hk Lab A"); `fields` are other columns
    (name_zh_hant, cnca_code, ...)."""
    return Organisation.objects.create(
        id=id_,
        kind=kind,
        seat=seat,
        hk_invested=hk_invested,
        name_en=name or id_.replace("-", " ").title(),
        **fields,
    )


def accreditation(
    id_: str,
    org: str,
    scheme: str,
    granted: Day,
    scope: Iterable[str] = (),
    events: Iterable[tuple[Day, str, list[str] | None] | Mapping[str, Any]] = (),
) -> Accreditation:
    """`events` are (on, status, scope) or mappings that may add a reason."""
    record = Accreditation.objects.create(id=id_, organisation_id=org, scheme=scheme, granted=D(granted))
    AccreditationScope.objects.bulk_create(
        AccreditationScope(accreditation=record, product_type=code) for code in scope
    )
    for position, event in enumerate(events):
        fields: dict[str, Any] = (
            dict(event) if isinstance(event, Mapping) else dict(zip(EVENT, event, strict=True))
        )
        AccreditationEvent.objects.create(
            accreditation=record, position=position, **{**fields, "on": D(fields["on"])}
        )
    return record


def designation(
    id_: str,
    org: str,
    role: str,
    codes: Iterable[str],
    start: Day,
    until: Day | None = None,
    **fields: Any,
) -> Designation:
    record = Designation.objects.create(
        id=id_, organisation_id=org, role=role, valid_from=D(start), valid_until=_day(until), **fields
    )
    DesignationScope.objects.bulk_create(DesignationScope(designation=record, product_type=c) for c in codes)
    return record


def agreement(
    id_: str,
    kind: str,
    party: str,
    counterparty: str,
    codes: Iterable[str],
    start: Day,
    until: Day | None = None,
    terminated_on: Day | None = None,
) -> Agreement:
    record = Agreement.objects.create(
        id=id_,
        kind=kind,
        party_id=party,
        counterparty_id=counterparty,
        valid_from=D(start),
        valid_until=_day(until),
        terminated_on=_day(terminated_on),
    )
    AgreementScope.objects.bulk_create(AgreementScope(agreement=record, product_type=c) for c in codes)
    return record


def plan(
    id_: str,
    year: int,
    role: str,
    codes: list[str],
    published: Day | None,
    opens: Moment,
    closes: Moment,
    *,
    status: str = "published",
    requires_expression_of_interest: bool = True,
    closed_early_at: Moment | None = None,
) -> Plan:
    return Plan.objects.create(
        id=id_,
        year=year,
        role=role,
        product_types=codes,
        status=status,
        published=_day(published),
        opens=T(opens),
        closes=T(closes),
        requires_expression_of_interest=requires_expression_of_interest,
        closed_early_at=T(closed_early_at) if closed_early_at else None,
    )


def expression_of_interest(
    id_: str, org: str, year: int, codes: list[str], submitted: Moment
) -> ExpressionOfInterest:
    return ExpressionOfInterest.objects.create(
        id=id_, organisation_id=org, year=year, product_types=codes, submitted=T(submitted)
    )


def inspector(
    id_: str,
    grade: str,
    specialties: list[str],
    registered: Day,
    expires: Day,
    affiliations: Iterable[tuple[str, Day, Day | None]] = (),
    events: Iterable[Mapping[str, Any]] = (),
    *,
    name: str | None = None,
    **fields: Any,
) -> Inspector:
    """`affiliations` are (organisation, from, until); `events` mappings of on, status, grade, reason.
    `name` defaults to the id; `fields` are other columns (name_zh_hant, personal data, ...)."""
    record = Inspector.objects.create(
        id=id_,
        name_en=name or id_,
        grade=grade,
        specialties=specialties,
        registered=D(registered),
        expires=D(expires),
        **fields,
    )
    for org, start, until in affiliations:
        Affiliation.objects.create(
            inspector=record, organisation_id=org, valid_from=D(start), valid_until=_day(until)
        )
    for position, event in enumerate(events):
        InspectorEvent.objects.create(inspector=record, position=position, **{**event, "on": D(event["on"])})
    return record


def test_report(
    id_: str, laboratory: str, product_type: str, issued: Day, certification_body: str, **fields: Any
) -> TestReport:
    """A laboratory's test report made for `certification_body`; `fields`: source, note."""
    return TestReport.objects.create(
        id=id_,
        laboratory_id=laboratory,
        product_type=product_type,
        issued=D(issued),
        certification_body_id=certification_body,
        **fields,
    )


test_report.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def factory_inspection(
    id_: str,
    organisation: str,
    on_behalf_of: str,
    inspectors: Iterable[str],
    product_type: str,
    on: Day,
    **fields: Any,
) -> FactoryInspection:
    """A factory inspection by `organisation`'s `inspectors` (in order) for `on_behalf_of`."""
    record = FactoryInspection.objects.create(
        id=id_,
        organisation_id=organisation,
        on_behalf_of_id=on_behalf_of,
        product_type=product_type,
        on=D(on),
        **fields,
    )
    InspectionInspector.objects.bulk_create(
        InspectionInspector(inspection=record, inspector_id=inspector, position=position)
        for position, inspector in enumerate(inspectors)
    )
    return record


def certificate(
    id_: str,
    issuer: str,
    product_type: str,
    issued: Day,
    expires: Day,
    test_reports: Iterable[str] = (),
    factory_inspections: Iterable[str] = (),
    events: Iterable[tuple[Day, str] | Mapping[str, Any]] = (),
    *,
    holder: str = "Pearl Appliances Ltd",
    **fields: Any,
) -> Certificate:
    """A certificate citing reports and inspections by id (in order); `events` are (on, status) or
    mappings of on, status, reason. `fields`: holder_zh_hant, holder_zh_hans, source, note."""
    record = Certificate.objects.create(
        id=id_,
        holder_en=holder,
        product_type=product_type,
        issuer_id=issuer,
        issued=D(issued),
        expires=D(expires),
        **fields,
    )
    CertificateReport.objects.bulk_create(
        CertificateReport(certificate=record, test_report_id=report, position=position)
        for position, report in enumerate(test_reports)
    )
    CertificateInspection.objects.bulk_create(
        CertificateInspection(certificate=record, inspection_id=inspection, position=position)
        for position, inspection in enumerate(factory_inspections)
    )
    for position, event in enumerate(events):
        values: dict[str, Any] = (
            dict(event) if isinstance(event, Mapping) else {"on": event[0], "status": event[1]}
        )
        CertificateEvent.objects.create(
            certificate=record, position=position, **{**values, "on": D(values["on"])}
        )
    return record


def pdf(pages: int = 1) -> bytes:
    """A real PDF (blank A7 pages, made by pypdf), for uploads: a file that merely starts with %PDF-
    is refused."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=210, height=298)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
