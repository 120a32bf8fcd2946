"""Statuses on a date: the same answers as the engine's, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Accreditation, Agreement, Designation
from cepa.decisions import selectors, services
from cepa.decisions.selectors import NOT_YET, ScopeStatus
from cepa.testing.factories import D, T, accreditation, agreement, designation, organisation, plan

pytestmark = pytest.mark.usefixtures("catalogue")


def _labs(count: int) -> list[str]:
    ids = []
    for i in range(count):
        ids.append(organisation(f"lab-{i}", "laboratory", "HK").id)
        accreditation(
            f"HOKLAS {i}",
            f"lab-{i}",
            "HOKLAS",
            "2019-01-01",
            ["0701", "0702"],
            [("2026-01-01", "suspended", ["0702"]), ("2026-03-01", "withdrawn", None)],
        )
    return ids


def test_accredited_organisations_follow_status_events_in_two_queries() -> None:
    ids = _labs(5)
    organisation("lab-late", "laboratory", "HK")
    accreditation("HOKLAS late", "lab-late", "HOKLAS", "2026-06-01", ["0701"])
    organisation("cb", "certification_body", "HK")
    accreditation("HKCAS 1", "cb", "HKCAS", "2019-01-01", ["0702"])
    everyone = [*ids, "lab-late", "cb"]
    with CaptureQueriesContext(connection) as queries:
        found = selectors.accredited_organisations(everyone, D("2026-02-01"))
    assert len(queries) == 2
    assert found == {*ids, "cb"}  # the late one is not granted yet
    assert selectors.accredited_organisations(everyone, D("2026-02-01"), codes=["0702"]) == {"cb"}
    assert selectors.accredited_organisations(everyone, D("2026-02-01"), scheme="HOKLAS") == set(ids)
    assert selectors.accredited_organisations(everyone, D("2026-07-01")) == {"lab-late", "cb"}


def test_accreditation_statuses_read_the_prefetched_records_without_a_query() -> None:
    _labs(1)
    accreditation("HOKLAS late", "lab-0", "HOKLAS", "2026-06-01", ["0915"])
    records = list(Accreditation.objects.prefetch_related("scope_entries", "events").order_by("id"))
    with CaptureQueriesContext(connection) as queries:
        statuses = selectors.accreditation_statuses(records, D("2026-02-01"))
    assert len(queries) == 0
    assert statuses == {
        "HOKLAS 0": [
            ScopeStatus("0701", "active", D("2019-01-01")),
            ScopeStatus("0702", "suspended", D("2026-01-01")),
        ],
        "HOKLAS late": [ScopeStatus("0915", NOT_YET, D("2026-06-01"))],
    }


def test_designations_and_agreements_in_force_on_a_date_and_as_filters() -> None:
    organisation("cb", "certification_body", "MAINLAND")
    organisation("lab", "laboratory", "HK")
    designation("D-1", "cb", "certification_body", ["0701"], "2020-01-01", "2025-12-31")
    agreement("A-1", "testing", "lab", "cb", ["0701"], "2020-01-01", None, "2026-01-01")
    record_d, record_a = Designation.objects.get(), Agreement.objects.get()
    days = {"2019-12-31": False, "2020-01-01": True, "2025-12-31": True, "2026-01-01": False}
    for day, expected in days.items():
        on = D(day)
        assert selectors.designation_in_force(record_d, on) is expected
        assert selectors.agreement_in_force(record_a, on) is expected
        assert Designation.objects.filter(selectors.in_force_filter(on)).exists() is expected
        assert Agreement.objects.filter(selectors.agreement_in_force_filter(on)).exists() is expected


def _record(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "CCAA-1",
        "grade": "provisional",
        "specialties": ["07"],
        "registered": "2024-01-01",
        "expires": "2027-12-31",
        "affiliations": [
            {"organisation": "cb-a", "from": "2024-01-01", "until": "2025-06-30"},
            {"organisation": "cb-b", "from": "2025-07-01"},
        ],
        "events": events,
    }


def test_inspector_standing_on_a_date() -> None:
    record = _record([
        {"on": "2025-01-01", "grade": "inspector"},
        {"on": "2026-01-01", "status": "suspended", "reason": "x"},
    ])
    assert selectors.inspector_standing(record, D("2024-06-01")) == selectors.InspectorStanding(
        "active", D("2024-01-01"), "provisional", True, "cb-a"
    )
    assert selectors.inspector_standing(record, D("2026-02-01")) == selectors.InspectorStanding(
        "suspended", D("2026-01-01"), "inspector", True, "cb-b"
    )
    assert not selectors.inspector_standing(record, D("2028-01-01")).registration_valid


def test_a_plan_closes_at_its_window_end_or_when_closed_early() -> None:
    window = ("2026-05-01", "2026-05-01T09:00", "2026-06-30T17:00")
    assert selectors.plan_closes(plan("P-1", 2026, "laboratory", ["0701"], *window)) == T("2026-06-30T17:00")
    early = plan(
        "P-2", 2026, "laboratory", ["0701"], *window, status="closed", closed_early_at="2026-06-01T12:00"
    )
    assert selectors.plan_closes(early) == T("2026-06-01T12:00")


def test_interest_deadlines() -> None:
    assert selectors.interest_deadline(2027) == T("2027-04-01T00:00")
    assert selectors.next_interest_deadline(T("2027-03-31T23:59")) == T("2027-04-01T00:00")
    assert selectors.next_interest_deadline(T("2027-04-01T00:00")) == T("2028-04-01T00:00")


def test_designation_decisions_for_several_types_agree_with_decide() -> None:
    organisation("cb", "certification_body", "MAINLAND", hk_invested=True)
    plan("2026-1", 2026, "certification_body", ["0701", "0702"], "2026-05-01", "2026-05-01T09:00",
         "2026-06-30T17:00")
    at = T("2026-06-01T10:00")
    together = services.designation_decisions("cb", ["0702", "9999", "0701"], at)
    assert [d.product_type for d in together] == ["0702", "0701"]  # unknown codes left out
    for decision in together:
        alone = services.decide("designation", subject="cb", product_type=decision.product_type, at=at)
        assert decision.to_json() == alone.to_json()
    assert services.designation_decisions("nobody", ["0701"], at) == []
