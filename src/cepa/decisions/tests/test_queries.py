"""A decision costs a small constant number of queries, whatever the size of the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.decisions import services
from cepa.testing.factories import (
    accreditation,
    agreement,
    designation,
    expression_of_interest,
    inspector,
    organisation,
    plan,
)

pytestmark = pytest.mark.usefixtures("catalogue")

MAX_TESTING = 6
MAX_INSPECTION = 10
MAX_DESIGNATION = 5
MAX_ENQUIRY = 2


def grow(size: int, start: int = 0) -> None:
    """Adds `size` Hong Kong labs, CBs, Mainland CBs and inspectors, each with their records."""
    for i in range(start, start + size):
        organisation(f"lab-{i:03}", "laboratory", "HK")
        organisation(f"cb-{i:03}", "certification_body", "MAINLAND")
        organisation(f"hkcb-{i:03}", "certification_body", "HK")
        organisation(f"mlab-{i:03}", "laboratory", "MAINLAND")
        accreditation(
            f"HOKLAS {i:03}",
            f"lab-{i:03}",
            "HOKLAS",
            "2019-01-01",
            ["0701", "0702"],
            [("2026-01-01", "suspended", ["0702"]), ("2026-02-01", "active", None)],
        )
        accreditation(f"HKCAS {i:03}", f"hkcb-{i:03}", "HKCAS", "2019-01-01", ["0701", "0702"])
        designation(f"D-{i:03}", f"cb-{i:03}", "certification_body", ["0701", "0702"], "2018-01-01")
        designation(f"DL-{i:03}", f"mlab-{i:03}", "laboratory", ["0701"], "2018-01-01")
        agreement(f"AG-{i:03}", "testing", f"lab-{i:03}", f"cb-{i:03}", ["0701", "0702"], "2020-01-01")
        agreement(f"FI-{i:03}", "factory_inspection", f"hkcb-{i:03}", f"cb-{i:03}", ["0701"], "2020-01-01")
        plan(f"P-{i:03}", 2026, "laboratory", ["0915"], "2026-05-01", "2026-06-01T09:00", "2026-06-30T17:00")
        expression_of_interest(f"EOI-{i:03}", f"mlab-{i:03}", 2026, ["0915"], "2026-03-01T09:00")
        inspector(
            f"CCAA-{i:03}",
            "inspector",
            ["07"],
            "2020-01-01",
            "2030-01-01",
            [(f"hkcb-{i:03}", "2020-01-01", None)],
            [{"on": "2021-01-01", "grade": "senior"}],
        )


def count(action: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return len(queries), result


QUESTIONS: list[tuple[str, int, Callable[[], Any]]] = [
    (
        "testing",
        MAX_TESTING,
        lambda: services.decide("testing", subject="lab-000", product_type="0702", on="2026-05-20"),
    ),
    (
        "testing-mainland",
        MAX_TESTING,
        lambda: services.decide("testing", subject="mlab-000", product_type="0701", on="2026-05-20"),
    ),
    (
        "inspection",
        MAX_INSPECTION,
        lambda: services.decide(
            "inspection", subject="CCAA-000", org="hkcb-000", product_type="0701", on="2026-05-20"
        ),
    ),
    (
        "designation",
        MAX_DESIGNATION,
        lambda: services.decide(
            "designation", subject="mlab-000", product_type="0915", at="2026-06-05T10:00:00"
        ),
    ),
    ("enquiry", MAX_ENQUIRY, lambda: services.decide("enquiry", product_type="0701")),
]


@pytest.mark.parametrize(("name", "limit", "action"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_one_decision_uses_the_same_few_queries_for_a_small_and_a_large_registry(
    name: str, limit: int, action: Callable[[], Any], django_assert_max_num_queries: Any
) -> None:
    grow(1)
    small, first = count(action)
    grow(49, start=1)
    with django_assert_max_num_queries(limit):
        large, second = count(action)
    assert small == large
    assert first.to_json() == second.to_json()
    assert first.allowed is True


def test_testing_for_all_fifty_labs_uses_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    grow(2)
    small, decisions = count(lambda: services.testing_for_all("0702", on="2026-05-20"))
    assert len(decisions) == 4
    grow(48, start=2)
    with django_assert_max_num_queries(MAX_TESTING):
        large, decisions = count(lambda: services.testing_for_all("0702", on="2026-05-20"))
    assert small == large
    assert len(decisions) == 100
    allowed = [d.subject for d in decisions if d.allowed]
    assert allowed == [f"lab-{i:03}" for i in range(50)]
    refused_mainland = [d for d in decisions if (d.subject or "").startswith("mlab-")]
    assert all(d.failing == ["DESIGNATED"] for d in refused_mainland)


def test_testing_for_all_on_a_suspension_day() -> None:
    grow(3)
    decisions = services.testing_for_all("0702", on="2026-01-15")
    hong_kong = [d for d in decisions if (d.subject or "").startswith("lab-")]
    assert [d.failing for d in hong_kong] == [["ACCREDITATION_SUSPENDED"]] * 3


def test_inspection_for_all_uses_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    grow(2)
    small, decisions = count(lambda: services.inspection_for_all("0701", on="2026-05-20"))
    grow(48, start=2)
    with django_assert_max_num_queries(MAX_INSPECTION):
        large, decisions = count(lambda: services.inspection_for_all("0701", on="2026-05-20"))
    assert small == large
    assert len(decisions) == 50
    assert all(d.allowed for d in decisions)


def test_designation_for_all_uses_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    grow(2)
    small, _ = count(lambda: services.designation_for_all("0915", at="2026-06-05T10:00:00"))
    grow(48, start=2)
    with django_assert_max_num_queries(MAX_DESIGNATION):
        large, decisions = count(lambda: services.designation_for_all("0915", at="2026-06-05T10:00:00"))
    assert small == large
    labs = [d for d in decisions if (d.subject or "").startswith("mlab-")]
    assert len(labs) == 50 and all(d.allowed for d in labs)


def test_testing_for_laboratories_decides_those_asked_as_for_all(django_assert_max_num_queries: Any) -> None:
    grow(20)
    everyone = {d.subject: d.to_json() for d in services.testing_for_all("0702", on="2026-05-20")}
    asked = ["lab-003", "mlab-007", "cb-001", "hkcb-002", "no-such-body", "lab-019"]
    with django_assert_max_num_queries(MAX_TESTING):
        some = services.testing_for_laboratories("0702", asked, on="2026-05-20")
    # The laboratories among them, in id order, each decided exactly as for every laboratory at once.
    assert [d.subject for d in some] == ["lab-003", "lab-019", "mlab-007"]
    assert [d.to_json() for d in some] == [everyone["lab-003"], everyone["lab-019"], everyone["mlab-007"]]
    assert services.testing_for_laboratories("0702", [], on="2026-05-20") == []
