"""Registry records built through the ORM for the decisions' database tests.

Tests here read only; they build rows directly (the services of other apps own the write path and are
tested there). The shipped catalogue is loaded by `migrate`; `catalogue` makes sure the few codes the
tests use exist even if it were not.
"""

from __future__ import annotations

import pytest
from django.db import connections

from cepa.catalogue.models import Category, ProductType
from cepa.testing.factories import (
    D,
    accreditation,
    agreement,
    designation,
    expression_of_interest,
    inspector,
    organisation,
    plan,
)

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
