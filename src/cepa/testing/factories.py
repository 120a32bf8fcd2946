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
        InspectorEvent.objects.create(
            inspector=record, position=position, **{**event, "on": D(event["on"])}
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
