"""Registry records built through the ORM for the decisions' database tests.

Tests here read only; they build rows directly (the services of other apps own the write path and are
tested there). The shipped catalogue is loaded by `migrate`; `catalogue` makes sure the few codes the
tests use exist even if it were not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from django.db import connections

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
from cepa.catalogue.models import Category, ProductType
from cepa.designation.models import ExpressionOfInterest, Plan
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.rules.facts import BEIJING

D = dt.date.fromisoformat


def T(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


TEST_CODES = {
    "0701": ("2020-04-21", None, "electrical_electronic"),
    "0702": ("2020-04-21", None, "electrical_electronic"),
    "0915": ("2023-08-01", None, "electrical_electronic"),
    "0801": ("2020-04-21", "2022-10-11", "electrical_electronic"),
    "2401": ("2019-10-01", None, "non_electrical_electronic"),
}


@pytest.fixture
def keep_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cepa` closes every database connection when a command ends; inside a test's transaction that
    would end the test database connection, so the entry-point tests keep it open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def catalogue(db: None) -> None:
    for code, (start, removed, sector) in TEST_CODES.items():
        if ProductType.objects.filter(code=code).exists():
            continue
        category, _ = Category.objects.get_or_create(
            key=f"test-{sector}", defaults={"name_en": sector, "sector": sector}
        )
        ProductType.objects.create(
            key=f"test-{code}",
            code=code,
            category=category,
            name_en=f"Product {code}",
            route="certification",
            applications_from=D(start),
            removed_on=D(removed) if removed else None,
        )


def organisation(id_: str, kind: str, seat: str, hk_invested: bool = False) -> Organisation:
    return Organisation.objects.create(
        id=id_, kind=kind, seat=seat, hk_invested=hk_invested, name_en=id_.title()
    )


def accreditation(
    id_: str,
    org: str,
    scheme: str,
    granted: str,
    scope: Iterable[str],
    events: Iterable[tuple[str, str, list[str] | None]] = (),
) -> Accreditation:
    record = Accreditation.objects.create(id=id_, organisation_id=org, scheme=scheme, granted=D(granted))
    AccreditationScope.objects.bulk_create(
        AccreditationScope(accreditation=record, product_type=code) for code in scope
    )
    for position, (on, status, event_scope) in enumerate(events):
        AccreditationEvent.objects.create(
            accreditation=record, position=position, on=D(on), status=status, scope=event_scope
        )
    return record


def designation(
    id_: str, org: str, role: str, codes: Iterable[str], start: str, until: str | None = None
) -> Designation:
    record = Designation.objects.create(
        id=id_, organisation_id=org, role=role, valid_from=D(start), valid_until=D(until) if until else None
    )
    DesignationScope.objects.bulk_create(DesignationScope(designation=record, product_type=c) for c in codes)
    return record


def agreement(
    id_: str,
    kind: str,
    party: str,
    counterparty: str,
    codes: Iterable[str],
    start: str,
    until: str | None = None,
    terminated_on: str | None = None,
) -> Agreement:
    record = Agreement.objects.create(
        id=id_,
        kind=kind,
        party_id=party,
        counterparty_id=counterparty,
        valid_from=D(start),
        valid_until=D(until) if until else None,
        terminated_on=D(terminated_on) if terminated_on else None,
    )
    AgreementScope.objects.bulk_create(AgreementScope(agreement=record, product_type=c) for c in codes)
    return record


def plan(
    id_: str,
    year: int,
    role: str,
    codes: list[str],
    published: str | None,
    opens: str,
    closes: str,
    *,
    status: str = "published",
    requires_expression_of_interest: bool = True,
    closed_early_at: str | None = None,
) -> Plan:
    return Plan.objects.create(
        id=id_,
        year=year,
        role=role,
        product_types=codes,
        status=status,
        published=D(published) if published else None,
        opens=T(opens),
        closes=T(closes),
        requires_expression_of_interest=requires_expression_of_interest,
        closed_early_at=T(closed_early_at) if closed_early_at else None,
    )


def expression_of_interest(
    id_: str, org: str, year: int, codes: list[str], submitted: str
) -> ExpressionOfInterest:
    return ExpressionOfInterest.objects.create(
        id=id_, organisation_id=org, year=year, product_types=codes, submitted=T(submitted)
    )


def inspector(
    id_: str,
    grade: str,
    specialties: list[str],
    registered: str,
    expires: str,
    affiliations: Iterable[tuple[str, str, str | None]] = (),
    events: Iterable[dict[str, str]] = (),
) -> Inspector:
    record = Inspector.objects.create(
        id=id_,
        name_en=id_,
        grade=grade,
        specialties=specialties,
        registered=D(registered),
        expires=D(expires),
    )
    for org, start, until in affiliations:
        Affiliation.objects.create(
            inspector=record,
            organisation_id=org,
            valid_from=D(start),
            valid_until=D(until) if until else None,
        )
    for position, event in enumerate(events):
        InspectorEvent.objects.create(
            inspector=record,
            position=position,
            on=D(event["on"]),
            status=event.get("status", ""),
            grade=event.get("grade", ""),
        )
    return record


@pytest.fixture
def registry(catalogue: None) -> None:
    """A small registry: a Hong Kong lab that may test 0701, its Mainland partner, a Hong Kong CB with an
    inspector, a Hong Kong-invested Mainland lab with an expression of interest and a plan."""
    organisation("hk-lab-a", "laboratory", "HK")
    organisation("hk-cb-b", "certification_body", "HK")
    organisation("cn-cb-x", "certification_body", "MAINLAND")
    organisation("cn-lab-m", "laboratory", "MAINLAND", hk_invested=True)
    organisation("os-lab", "laboratory", "OVERSEAS")
    accreditation(
        "HOKLAS 901",
        "hk-lab-a",
        "HOKLAS",
        "2019-03-01",
        ["0701", "0702", "0915"],
        [("2026-05-01", "suspended", ["0915"]), ("2026-08-01", "active", ["0915"])],
    )
    accreditation("HKCAS 041", "hk-cb-b", "HKCAS", "2024-01-01", ["0701", "0702"])
    designation("CNCA-D-17", "cn-cb-x", "certification_body", ["0701", "0702", "0915"], "2018-01-01")
    agreement(
        "AG-0001", "testing", "hk-lab-a", "cn-cb-x", ["0701", "0702", "0915"], "2021-01-01", "2027-12-31"
    )
    agreement("AG-0002", "factory_inspection", "hk-cb-b", "cn-cb-x", ["0701", "0702"], "2025-03-01")
    plan(
        "2026-1",
        2026,
        "laboratory",
        ["0915"],
        "2026-06-01",
        "2026-06-02T09:00:00+08:00",
        "2026-06-12T17:00:00+08:00",
    )
    plan(
        "2026-draft",
        2026,
        "laboratory",
        ["0915"],
        None,
        "2026-05-02T09:00:00+08:00",
        "2026-07-12T17:00:00+08:00",
        status="draft",
    )
    expression_of_interest("EOI-1", "cn-lab-m", 2026, ["0915"], "2026-03-20T11:15:00+08:00")
    inspector(
        "CCAA-0001",
        "inspector",
        ["07"],
        "2024-05-01",
        "2027-04-30",
        [("hk-cb-b", "2024-05-01", None)],
        [{"on": "2025-01-10", "status": "suspended"}, {"on": "2025-02-10", "status": "active"}],
    )
