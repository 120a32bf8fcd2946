"""Expressions of interest and designation plans through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.decisions.services import decide
from cepa.designation.models import ExpressionOfInterest, Plan, PlanEvent
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import error, get, patch, post
from cepa.history.models import Change, ChangeSet
from cepa.interchange.records import exported_records

pytestmark = pytest.mark.django_db

EOI = {"organisation": "cn-lab-delta", "year": 2027, "product_types": ["0915", "0701"]}
PLAN = {
    "id": "2027-1",
    "year": 2027,
    "role": "certification_body",
    "product_types": ["0915"],
    "window": {"opens": "2027-06-01T09:00:00+08:00", "closes": "2027-06-30T17:00:00+08:00"},
    "requires_expression_of_interest": False,
}


# --- expressions of interest ---------------------------------------------------------------------------


def test_interest_up_to_the_last_second_before_1_april(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-03-31T23:59:59+08:00")
    response = post(api, "/expressions-of-interest", people.delta, EOI)
    assert response.status_code == 201, response.content
    assert response.json()["product_types"] == ["0701", "0915"]
    # Recorded in the change log like an imported one.
    change = Change.objects.get(record_type="expressions_of_interest")
    assert (change.record_id, change.action, change.changeset.actor) == (
        "EOI-2027-0001",
        "create",
        "user:delta",
    )
    second = post(api, "/expressions-of-interest", people.delta, {**EOI, "product_types": ["2301"]})
    assert second.json()["id"] == "EOI-2027-0002"


@pytest.mark.parametrize(
    "moment", ["2027-04-01T00:00:00+08:00", "2027-03-31T16:00:00Z", "2027-11-01T09:00:00"]
)
def test_interest_at_or_after_the_deadline_is_refused(
    api: Client, people: People, clock: Clock, moment: str
) -> None:
    clock.set(moment)
    changesets = ChangeSet.objects.count()
    assert error(post(api, "/expressions-of-interest", people.delta, EOI)) == (
        422,
        "DEADLINE_PASSED",
        ["DEADLINE_PASSED"],
    )
    assert (ExpressionOfInterest.objects.count(), ChangeSet.objects.count()) == (0, changesets)


def test_interest_sent_on_1_april_is_refused_with_the_reading_spelled_out(
    api: Client, people: People, clock: Clock
) -> None:
    clock.set("2027-03-31T23:59:59+08:00")
    assert post(api, "/expressions-of-interest", people.delta, EOI).status_code == 201
    clock.set("2027-04-01T00:00:00+08:00")
    refused = post(api, "/expressions-of-interest", people.delta, EOI).json()
    assert refused["message"] == (
        "Expressions of interest in the 2027 designation plans are due before 2027-04-01T00:00:00+08:00, "
        "that is by 31 March 2027 Beijing time ('before 1 April' excludes 1 April itself); this one was "
        "sent at 2027-04-01T00:00:00+08:00 (Art 12 of the CCC bodies measures; FAQ: written request to "
        "CNCA before 1 April each year)"
    )


def test_a_plan_requires_no_interest_unless_its_publisher_says_so(
    api: Client, people: People, clock: Clock
) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    unsaid = {key: value for key, value in PLAN.items() if key != "requires_expression_of_interest"}
    assert post(api, "/plans", people.cnca, unsaid).status_code == 201
    assert Plan.objects.get(pk="2027-1").requires_expression_of_interest is False
    said = {**PLAN, "id": "2027-2", "requires_expression_of_interest": True}
    assert post(api, "/plans", people.cnca, said).status_code == 201
    assert Plan.objects.get(pk="2027-2").requires_expression_of_interest is True


@pytest.mark.parametrize(
    ("who", "body", "expected"),
    [
        ("cnca", EOI, (403, "FORBIDDEN")),
        ("root", EOI, (403, "FORBIDDEN")),
        ("river", EOI, (403, "FORBIDDEN")),  # another organisation's
        ("harbour", {**EOI, "organisation": "hk-lab-harbour"}, (403, "FORBIDDEN")),  # not a Mainland body
        ("river", "{", (400, "BAD_REQUEST")),
        ("delta", {**EOI, "year": "soon"}, (400, "BAD_REQUEST")),
        ("delta", {**EOI, "product_types": ["07"]}, (400, "BAD_REQUEST")),
        ("delta", {**EOI, "product_types": ["9999"]}, (400, "BAD_REQUEST")),
        ("delta", {**EOI, "extra": True}, (400, "BAD_REQUEST")),
    ],
)
def test_refused_interest_stores_nothing(
    api: Client, people: People, clock: Clock, who: str, body: Any, expected: tuple[int, str]
) -> None:
    assert error(post(api, "/expressions-of-interest", getattr(people, who), body))[:2] == expected
    assert ExpressionOfInterest.objects.count() == 0


def test_officers_see_interest_grouped_by_product_type(api: Client, people: People, clock: Clock) -> None:
    post(api, "/expressions-of-interest", people.delta, EOI)
    post(
        api,
        "/expressions-of-interest",
        people.east,
        {**EOI, "organisation": "cn-cb-east", "product_types": ["0915"]},
    )
    grouped = get(api, "/expressions-of-interest/by-product-type?year=2027", people.cnca).json()
    assert [(g["product_type"], g["organisations"]) for g in grouped] == [("0701", 1), ("0915", 2)]
    assert [e["organisation"] for e in grouped[1]["expressions"]] == ["cn-lab-delta", "cn-cb-east"]
    assert get(api, "/expressions-of-interest/by-product-type?year=2026", people.cnca).json() == []
    # An applicant sees only their own organisation's; the public nothing.
    own = get(api, "/expressions-of-interest/by-product-type", people.east).json()
    assert [(g["product_type"], g["organisations"]) for g in own] == [("0915", 1)]
    assert get(api, "/expressions-of-interest/by-product-type").status_code == 401


def test_interest_under_two_codes_of_one_type_is_one_group(api: Client, people: People, clock: Clock) -> None:
    """0807 and 0907 name one type (contract §1, rev. 2): one group, under the type's main code."""
    post(api, "/expressions-of-interest", people.delta, {**EOI, "product_types": ["0907"]})
    post(
        api,
        "/expressions-of-interest",
        people.east,
        {**EOI, "organisation": "cn-cb-east", "product_types": ["0807", "0907"]},
    )
    grouped = get(api, "/expressions-of-interest/by-product-type?year=2027", people.cnca).json()
    assert [(g["product_type"], g["organisations"]) for g in grouped] == [("0807", 2)]
    assert [e["organisation"] for e in grouped[0]["expressions"]] == ["cn-lab-delta", "cn-cb-east"]


# --- plans ----------------------------------------------------------------------------------------------


def test_a_draft_plan_is_invisible_until_published(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    drafted = post(api, "/plans", people.cnca, PLAN)
    assert drafted.status_code == 201, drafted.content
    assert drafted.json()["history"][0] | {"when": None} == {
        "who": "cnca",
        "when": None,
        "from": None,
        "to": "draft",
        "reason": "drafted",
        "event": "transition",
    }
    assert get(api, "/plans/2027-1").status_code == 404
    assert get(api, "/plans/2027-1", people.east).status_code == 404
    assert get(api, "/plans/2027-1", people.root).status_code == 200
    assert exported_records("plans") == []
    at_open = "2027-06-02T10:00:00+08:00"
    assert decide("designation", subject="cn-cb-east", product_type="0915", at=at_open).failing == [
        "PLAN_PUBLISHED"
    ]

    published = post(api, "/plans/2027-1/publish", people.cnca)
    assert published.json()["published"] == "2027-05-20"
    assert [p["id"] for p in exported_records("plans")] == ["2027-1"]
    assert decide("designation", subject="cn-cb-east", product_type="0915", at=at_open).allowed is True
    # The public change log starts at publication; the drafting stays private.
    assert list(Change.objects.filter(record_id="2027-1").values_list("record_type", "action")) == [
        ("designation.plans", "create"),
        ("designation.plans", "transition"),
        ("plans", "create"),
    ]


def test_published_plan_window_and_product_types_are_fixed(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    post(api, "/plans", people.cnca, PLAN)
    window = {"opens": "2027-06-02T09:00:00+08:00", "closes": "2027-06-30T17:00:00+08:00"}
    changed = patch(api, "/plans/2027-1", people.cnca, {"window": window, "reason": "start a day later"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["window"]["opens"] == "2027-06-02T09:00:00+08:00"
    post(api, "/plans/2027-1/publish", people.cnca)
    events = PlanEvent.objects.count()
    for body in (
        {"window": window},
        {"product_types": ["0915", "0701"]},
        {"year": 2028},
        {"role": "laboratory"},
    ):
        assert error(patch(api, "/plans/2027-1", people.cnca, body))[:2] == (409, "CONFLICT")
    assert PlanEvent.objects.count() == events
    plan = Plan.objects.get(pk="2027-1")
    assert (plan.product_types, plan.opens.isoformat()) == (["0915"], "2027-06-02T01:00:00+00:00")
    # The requirements may still change.
    texts = {"en": "ISO/IEC 17065", "zh-Hant": "ISO/IEC 17065 認可"}
    assert patch(api, "/plans/2027-1", people.cnca, {"requirements": texts}).json()["requirements"] == texts
    assert error(post(api, "/plans/2027-1/publish", people.cnca))[:2] == (409, "CONFLICT")


@pytest.mark.parametrize(
    ("who", "body", "expected"),
    [
        ("delta", PLAN, (403, "FORBIDDEN")),
        ("root", PLAN, (403, "FORBIDDEN")),
        ("hkas", PLAN, (403, "FORBIDDEN")),
        ("cnca", {**PLAN, "id": "a/b"}, (400, "BAD_REQUEST")),
        ("cnca", {**PLAN, "role": "inspection_body"}, (400, "BAD_REQUEST")),
        ("cnca", {**PLAN, "product_types": ["12345"]}, (400, "BAD_REQUEST")),
        (
            "cnca",
            {**PLAN, "window": {"opens": "2027-06-30T17:00:00+08:00", "closes": "2027-06-01T09:00:00"}},
            (400, "BAD_REQUEST"),
        ),
        ("cnca", {**PLAN, "window": {"opens": "June"}}, (400, "BAD_REQUEST")),
        ("cnca", {**PLAN, "requirements": {"fr": "non"}}, (400, "BAD_REQUEST")),
    ],
)
def test_refused_plans_store_nothing(
    api: Client, people: People, clock: Clock, who: str, body: Any, expected: tuple[int, str]
) -> None:
    assert error(post(api, "/plans", getattr(people, who), body))[:2] == expected
    assert Plan.objects.count() == 0


def test_a_plan_id_is_taken_once(api: Client, people: People, clock: Clock) -> None:
    post(api, "/plans", people.cnca, PLAN)
    assert error(post(api, "/plans", people.cnca, {**PLAN, "year": 2028}))[:2] == (409, "ALREADY_EXISTS")
    assert Plan.objects.get().year == 2027


def test_close_early_with_a_reason(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    post(api, "/plans", people.cnca, PLAN)
    assert error(post(api, "/plans/2027-1/close", people.cnca, {"reason": "x"}))[:2] == (409, "CONFLICT")
    post(api, "/plans/2027-1/publish", people.cnca)
    assert error(post(api, "/plans/2027-1/close", people.cnca, {}))[:2] == (400, "BAD_REQUEST")
    assert error(post(api, "/plans/2027-1/close", people.delta, {"reason": "x"}))[:2] == (403, "FORBIDDEN")
    assert error(post(api, "/plans/nope/close", people.cnca, {"reason": "x"}))[:2] == (404, "NOT_FOUND")
    clock.set("2027-06-10T12:00:00+08:00")
    closed = post(api, "/plans/2027-1/close", people.cnca, {"reason": "enough applicants"})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["status"], body["close_reason"], body["window"]["closes"]) == (
        "closed",
        "enough applicants",
        "2027-06-10T12:00:00+08:00",
    )
    assert [(h["from"], h["to"], h["reason"]) for h in body["history"]] == [
        (None, "draft", "drafted"),
        ("draft", "published", "published"),
        ("published", "closed", "enough applicants"),
    ]
    decision = decide(
        "designation", subject="cn-cb-east", product_type="0915", at="2027-06-11T10:00:00+08:00"
    )
    assert decision.failing == ["WINDOW_OPEN"]
    assert error(post(api, "/plans/2027-1/close", people.cnca, {"reason": "again"}))[:2] == (409, "CONFLICT")


def test_publishing_a_plan_whose_window_closed_is_refused(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-07-01T10:00:00+08:00")
    post(api, "/plans", people.cnca, PLAN)
    assert error(post(api, "/plans/2027-1/publish", people.cnca)) == (422, "WINDOW_CLOSED", ["WINDOW_CLOSED"])
    assert Plan.objects.get().status == "draft"


def test_applications_under_a_plan_need_interest_before_1_april(
    api: Client, people: People, clock: Clock
) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    post(api, "/plans", people.cnca, {**PLAN, "requires_expression_of_interest": True})
    post(api, "/plans/2027-1/publish", people.cnca)
    clock.set("2027-06-05T10:00:00+08:00")
    created = post(
        api, "/applications", people.east, {"organisation": "cn-cb-east", "product_types": ["0915"]}
    )
    assert (created.json()["route"], created.json()["plan"]) == ("plan", "2027-1")
    number = created.json()["id"]
    assert error(post(api, f"/applications/{number}/submit", people.east)) == (
        422,
        "REFUSED",
        ["EXPRESSION_OF_INTEREST"],
    )
    clock.set("2027-07-01T10:00:00+08:00")
    assert error(post(api, f"/applications/{number}/submit", people.east)) == (
        422,
        "REFUSED",
        ["WINDOW_OPEN", "EXPRESSION_OF_INTEREST"],
    )
