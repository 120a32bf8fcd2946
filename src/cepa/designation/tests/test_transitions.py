"""Every refused transition of an application: the error code, in the contract's order, and nothing
changed (status, history, change log)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.bodies.models import Designation
from cepa.designation.models import Application, ApplicationEvent
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import error, get, post
from cepa.history.models import ChangeSet

pytestmark = pytest.mark.django_db

# How to bring a routine-route application (a Mainland laboratory, household appliances) to a status.
PATHS: dict[str, list[tuple[str, str, dict[str, str] | None]]] = {
    "draft": [],
    "submitted": [("delta", "submit", None)],
    "under_review": [("delta", "submit", None), ("cnca", "review", {"action": "start"})],
    "information_requested": [
        ("delta", "submit", None),
        ("cnca", "review", {"action": "start"}),
        ("cnca", "review", {"action": "request_information", "reason": "more"}),
    ],
    "approved": [
        ("delta", "submit", None),
        ("cnca", "review", {"action": "start"}),
        ("cnca", "review", {"action": "approve"}),
    ],
    "refused": [
        ("delta", "submit", None),
        ("cnca", "review", {"action": "start"}),
        ("cnca", "review", {"action": "refuse", "reason": "no"}),
    ],
    "withdrawn": [("delta", "withdraw", None)],
}


def application_in(api: Client, people: People, status: str) -> int:
    created = post(
        api, "/applications", people.delta, {"organisation": "cn-lab-delta", "product_types": ["0701"]}
    )
    assert created.status_code == 201, created.content
    number = created.json()["id"]
    for who, action, body in PATHS[status]:
        response = post(api, f"/applications/{number}/{action}", getattr(people, who), body)
        assert response.status_code == 200, response.content
    assert Application.objects.get(pk=number).status == status
    return number


def snapshot(number: int) -> tuple[Any, ...]:
    application = Application.objects.get(pk=number)
    return (
        application.status,
        application.submitted,
        application.decided,
        application.designation_id,
        application.route,
        application.plan_id,
        application.objection_period_ends,
        ApplicationEvent.objects.filter(application_id=number).count(),
        ChangeSet.objects.count(),
        Designation.objects.count(),
    )


REFUSALS = [
    # role or organisation: 403
    ("draft", "cnca", "submit", None, 403, "FORBIDDEN"),
    ("draft", "root", "submit", None, 403, "FORBIDDEN"),
    ("submitted", "delta", "review", {"action": "start"}, 403, "FORBIDDEN"),
    ("submitted", "hkas", "review", {"action": "start"}, 403, "FORBIDDEN"),
    ("submitted", "root", "review", {"action": "start"}, 403, "FORBIDDEN"),
    ("under_review", "river", "review", {"action": "approve"}, 403, "FORBIDDEN"),
    ("draft", "cnca", "withdraw", None, 403, "FORBIDDEN"),
    # another organisation's application, or an officer's look at a draft, that the user may not see:
    # 404, as for no such application, never 403 (issue 12, finding 11)
    ("draft", "river", "submit", None, 404, "NOT_FOUND"),
    ("submitted", "river", "withdraw", None, 404, "NOT_FOUND"),
    ("draft", "cnca", "review", {"action": "start"}, 404, "NOT_FOUND"),
    ("draft", "cnca", "review", {"action": "request_information", "reason": "x"}, 404, "NOT_FOUND"),
    ("draft", "cnca", "review", {"action": "approve"}, 404, "NOT_FOUND"),
    # malformed body: 400 (before the status)
    ("submitted", "cnca", "review", {"action": "bless"}, 400, "BAD_REQUEST"),
    ("under_review", "cnca", "review", {"action": "refuse"}, 400, "BAD_REQUEST"),
    ("under_review", "cnca", "review", {"action": "request_information", "reason": "  "}, 400, "BAD_REQUEST"),
    ("approved", "cnca", "review", "not json", 400, "BAD_REQUEST"),
    ("draft", "delta", "withdraw", {"reason": 7}, 400, "BAD_REQUEST"),
    # status: 409
    *[
        (status, "delta", "submit", None, 409, "CONFLICT")
        for status in ("submitted", "under_review", "approved", "refused", "withdrawn")
    ],
    *[
        (status, "cnca", "review", {"action": "start"}, 409, "CONFLICT")
        for status in ("under_review", "information_requested", "approved", "refused", "withdrawn")
    ],
    *[
        (status, "cnca", "review", {"action": "request_information", "reason": "x"}, 409, "CONFLICT")
        for status in ("submitted", "information_requested", "approved")
    ],
    *[
        (status, "cnca", "review", {"action": "approve"}, 409, "CONFLICT")
        for status in ("submitted", "information_requested", "approved", "refused", "withdrawn")
    ],
    *[
        (status, "cnca", "review", {"action": "refuse", "reason": "x"}, 409, "CONFLICT")
        for status in ("submitted", "information_requested", "approved")
    ],
    *[
        (status, "delta", "withdraw", None, 409, "CONFLICT")
        for status in ("under_review", "approved", "refused", "withdrawn")
    ],
]


@pytest.mark.parametrize(("status", "who", "action", "body", "code", "name"), REFUSALS)
def test_refused_transition_changes_nothing(
    api: Client,
    people: People,
    clock: Clock,
    status: str,
    who: str,
    action: str,
    body: Any,
    code: int,
    name: str,
) -> None:
    number = application_in(api, people, status)
    before = snapshot(number)
    response = post(api, f"/applications/{number}/{action}", getattr(people, who), body)
    assert error(response)[:2] == (code, name), response.content
    assert snapshot(number) == before


@pytest.mark.parametrize("action", ["submit", "review", "withdraw"])
def test_without_a_token_401(api: Client, people: People, clock: Clock, action: str) -> None:
    number = application_in(api, people, "draft")
    before = snapshot(number)
    assert error(post(api, f"/applications/{number}/{action}", None)) == (401, "NOT_AUTHENTICATED", None)
    bad = Client(headers={"Authorization": "Bearer nope"})
    assert bad.post(f"/api/v1/applications/{number}/{action}").status_code == 401
    assert snapshot(number) == before


def test_errors_come_in_the_contracts_order(api: Client, people: People, clock: Clock) -> None:
    number = application_in(api, people, "approved")
    before = snapshot(number)
    # A role that may not review, on a record that does not exist, with a malformed body: 403.
    assert error(post(api, "/applications/999999999/review", people.delta, "{"))[:2] == (403, "FORBIDDEN")
    # The right role, no such record, a malformed body: 404.
    assert error(post(api, "/applications/999999999/review", people.cnca, "{"))[:2] == (404, "NOT_FOUND")
    assert error(post(api, "/applications/abc/review", people.cnca, "{"))[:2] == (404, "NOT_FOUND")
    # The record exists in a status that does not allow it, with a malformed body: 400.
    assert error(post(api, f"/applications/{number}/review", people.cnca, {"action": 1}))[:2] == (
        400,
        "BAD_REQUEST",
    )
    # A well-formed body in the wrong status: 409.
    assert error(post(api, f"/applications/{number}/review", people.cnca, {"action": "start"}))[:2] == (
        409,
        "CONFLICT",
    )
    # Another organisation's application, published (approved) so the user may see it: 403 before the
    # status, naming no organisation.
    refused = post(api, f"/applications/{number}/submit", people.river)
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "FORBIDDEN",
        "message": "you may not submit this application: it is not your organisation's",
    }
    assert snapshot(number) == before


def test_submit_refused_by_the_decision_lists_failing_codes(
    api: Client, people: People, clock: Clock
) -> None:
    # Li-ion cells (0915) take the plan route, and there is no plan: the draft can be made, not submitted.
    created = post(
        api, "/applications", people.delta, {"organisation": "cn-lab-delta", "product_types": ["0915"]}
    )
    assert (created.status_code, created.json()["route"], created.json()["plan"]) == (201, "plan", None)
    number = created.json()["id"]
    before = snapshot(number)
    assert error(post(api, f"/applications/{number}/submit", people.delta)) == (
        422,
        "REFUSED",
        ["PLAN_PUBLISHED"],
    )
    assert snapshot(number) == before


def test_mixed_routes_are_refused_and_nothing_is_stored(api: Client, people: People, clock: Clock) -> None:
    body = {"organisation": "cn-lab-delta", "product_types": ["0701", "0915"]}
    changesets = ChangeSet.objects.count()
    assert error(post(api, "/applications", people.delta, body)) == (422, "MIXED_ROUTES", ["MIXED_ROUTES"])
    assert (Application.objects.count(), ChangeSet.objects.count()) == (0, changesets)


@pytest.mark.parametrize(
    ("who", "body", "expected"),
    [
        ("cnca", {"organisation": "cn-lab-delta", "product_types": ["0701"]}, (403, "FORBIDDEN", None)),
        ("river", {"organisation": "cn-lab-delta", "product_types": ["0701"]}, (403, "FORBIDDEN", None)),
        ("delta", {"organisation": "cn-lab-delta", "product_types": ["9999"]}, (400, "BAD_REQUEST", None)),
        ("delta", {"organisation": "cn-lab-delta", "product_types": []}, (400, "BAD_REQUEST", None)),
        ("delta", {"organisation": "cn-lab-delta"}, (400, "BAD_REQUEST", None)),
        (
            "delta",
            {"organisation": "cn-lab-delta", "product_types": ["0701"], "x": 1},
            (400, "BAD_REQUEST", None),
        ),
        (
            "harbour",
            {"organisation": "hk-lab-harbour", "product_types": ["0701"]},
            (422, "REFUSED", ["MAINLAND_ESTABLISHED"]),
        ),
    ],
)
def test_refused_applications_store_nothing(
    api: Client, people: People, clock: Clock, who: str, body: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    changesets = ChangeSet.objects.count()
    assert error(post(api, "/applications", getattr(people, who), body)) == expected
    assert (Application.objects.count(), ChangeSet.objects.count()) == (0, changesets)


def test_withdraw_from_each_allowed_status(api: Client, people: People, clock: Clock) -> None:
    for status in ("draft", "submitted", "information_requested"):
        number = application_in(api, people, status)
        response = post(api, f"/applications/{number}/withdraw", people.delta, {"reason": "next year"})
        assert response.json()["status"] == "withdrawn"
        assert response.json()["history"][-1]["reason"] == "next year"
        assert response.json()["history"][-1]["from"] == status


def test_refusal_is_final_and_keeps_the_reason(api: Client, people: People, clock: Clock) -> None:
    number = application_in(api, people, "refused")
    record = get(api, f"/applications/{number}", people.delta).json()
    assert (record["status"], record["history"][-1]["reason"], record["history"][-1]["who"]) == (
        "refused",
        "no",
        "cnca",
    )
    assert "designation_from" not in record
