"""The scripted journey of the designation workflow, end to end through the API."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from cepa.decisions.services import decide
from cepa.designation.models import ExpressionOfInterest
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF, error, get, post, upload

pytestmark = pytest.mark.django_db


def steps(record: dict[str, Any]) -> list[tuple[str | None, str, str, str]]:
    return [(entry["from"], entry["to"], entry["event"], entry["who"]) for entry in record["history"]]


def test_interest_plan_application_objection_and_designation_in_force(
    api: Client, people: People, clock: Clock
) -> None:
    # Interest is accepted strictly before 1 April 00:00 Beijing time.
    clock.set("2026-03-31T23:59:00+08:00")
    eoi = {"organisation": "cn-lab-delta", "year": 2026, "product_types": ["0915"]}
    accepted = post(api, "/expressions-of-interest", people.delta, eoi)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json() == {
        "id": "EOI-2026-0001",
        "organisation": "cn-lab-delta",
        "year": 2026,
        "product_types": ["0915"],
        "submitted": "2026-03-31T23:59:00+08:00",
    }
    clock.set("2026-04-01T00:00:00+08:00")
    late = post(api, "/expressions-of-interest", people.river, {**eoi, "organisation": "cn-lab-river"})
    assert error(late) == (422, "DEADLINE_PASSED", ["DEADLINE_PASSED"])
    assert list(ExpressionOfInterest.objects.values_list("id", "organisation_id")) == [
        ("EOI-2026-0001", "cn-lab-delta")
    ]
    grouped = get(api, "/expressions-of-interest/by-product-type?year=2026", people.cnca).json()
    assert [(g["product_type"], g["organisations"]) for g in grouped] == [("0915", 1)]
    assert grouped[0]["expressions"][0]["organisation"] == "cn-lab-delta"

    # The officer drafts a plan (invisible to the public and the decisions), then publishes it.
    clock.set("2026-09-01T10:00:00+08:00")
    plan = {
        "id": "2026-2",
        "year": 2026,
        "role": "laboratory",
        "product_types": ["0915"],
        "window": {"opens": "2026-09-07T09:00:00+08:00", "closes": "2026-09-30T17:00:00+08:00"},
        "requires_expression_of_interest": True,
        "requirements": {"en": "Able to test to GB 31241", "zh-Hans": "具备 GB 31241 检测能力"},
    }
    drafted = post(api, "/plans", people.cnca, plan)
    assert drafted.status_code == 201, drafted.content
    assert drafted.json()["status"] == "draft"
    assert "published" not in drafted.json()
    assert get(api, "/plans/2026-2").status_code == 404
    before = decide(
        "designation", subject="cn-lab-delta", product_type="0915", at="2026-09-08T10:00:00+08:00"
    )
    assert before.failing == ["PLAN_PUBLISHED"]
    published = post(api, "/plans/2026-2/publish", people.cnca)
    assert published.status_code == 200, published.content
    assert (published.json()["status"], published.json()["published"]) == ("published", "2026-09-01")
    assert get(api, "/plans/2026-2").json()["status"] == "published"

    # The applicant applies within the window, with a supporting document.
    clock.set("2026-09-10T10:00:00+08:00")
    created = post(
        api, "/applications", people.delta, {"organisation": "cn-lab-delta", "product_types": ["0915"]}
    )
    assert created.status_code == 201, created.content
    application = created.json()
    number = application["id"]
    assert (application["status"], application["route"], application["plan"]) == ("draft", "plan", "2026-2")
    assert upload(api, number, people.delta, PDF).status_code == 201
    assert post(api, f"/applications/{number}/submit", people.delta).json()["status"] == "submitted"

    # Review, a request for information, the answer, approval.
    clock.set("2026-09-11T09:30:00+08:00")
    review = f"/applications/{number}/review"
    assert post(api, review, people.cnca, {"action": "start"}).json()["status"] == "under_review"
    clock.set("2026-09-14T11:00:00+08:00")
    asked = post(
        api, review, people.cnca, {"action": "request_information", "reason": "Send the GB 31241 report"}
    )
    assert asked.json()["status"] == "information_requested"
    clock.set("2026-09-15T09:00:00+08:00")
    assert post(api, f"/applications/{number}/submit", people.delta).json()["status"] == "submitted"
    clock.set("2026-09-16T09:00:00+08:00")
    assert post(api, review, people.cnca, {"action": "start"}).json()["status"] == "under_review"
    clock.set("2026-09-24T16:00:00+08:00")  # Thursday; 25 September (Mid-Autumn) is a holiday
    approved = post(
        api, review, people.cnca, {"action": "approve", "reason": "meets the plan's requirements"}
    )
    assert approved.status_code == 200, approved.content
    result = approved.json()
    # The decision is published on approval: the designation is in force from the approval day.
    # Objections: 15 working days after it, from 25 Sep: 28-30 Sep, 8-9 Oct, Saturday 10 Oct (worked),
    # 12-16 and 19-22 Oct; 1-7 October is the National Day holiday.
    assert (result["status"], result["objection_period_ends"], result["designation_from"]) == (
        "approved",
        "2026-10-22",
        "2026-09-24",
    )
    assert result["designation_date_provisional"] is False
    designation = result["designation"]
    assert designation == f"CNCA-APPLICATION-{number}"

    # Someone objects during the period; the officer dismisses it. After the period, too late.
    clock.set("2026-09-24T17:00:00+08:00")  # the day of approval itself
    objection = post(api, f"/applications/{number}/objections", people.river, {"grounds": "Not equipped"})
    assert objection.status_code == 201, objection.content
    clock.set("2026-09-25T10:00:00+08:00")
    dismissed = post(
        api,
        f"/objections/{objection.json()['id']}/review",
        people.cnca,
        {"action": "dismiss", "reason": "capability confirmed on site"},
    )
    assert dismissed.json()["status"] == "dismissed"
    clock.set("2026-10-22T23:59:59+08:00")  # the last day of the period: still in time
    last = post(api, f"/applications/{number}/objections", people.river, {"grounds": "Still not equipped"})
    assert last.status_code == 201, last.content
    clock.set("2026-10-23T00:00:00+08:00")
    too_late = post(api, f"/applications/{number}/objections", people.river, {"grounds": "Late"})
    assert error(too_late) == (422, "OBJECTION_PERIOD_ENDED", ["OBJECTION_PERIOD_ENDED"])
    clock.set("2026-10-26T10:00:00+08:00")
    dismissed = post(
        api, f"/objections/{last.json()['id']}/review", people.cnca, {"action": "dismiss", "reason": "again"}
    )
    assert dismissed.json()["status"] == "dismissed"

    # The designation is in force from the day of approval: the testing decision turns on it.
    refused = decide("testing", subject="cn-lab-delta", product_type="0915", on="2026-09-23")
    assert (refused.allowed, refused.failing) == (False, ["DESIGNATED"])
    allowed = decide("testing", subject="cn-lab-delta", product_type="0915", on="2026-09-24")
    assert (allowed.allowed, allowed.failing) == (True, [])
    on_the_day = get(api, "/decisions/testing?subject=cn-lab-delta&product_type=0915&on=2026-09-24").json()
    assert on_the_day["allowed"] is True
    after_the_period = decide("testing", subject="cn-lab-delta", product_type="0915", on="2026-10-23")
    assert after_the_period.allowed is True
    registry = get(api, f"/designations/{designation}").json()
    assert (registry["organisation"], registry["role"], registry["product_types"], registry["from"]) == (
        "cn-lab-delta",
        "laboratory",
        ["0915"],
        "2026-09-24",
    )

    # The record with its status and full history.
    record = get(api, f"/applications/{number}", people.delta).json()
    assert record["status"] == "approved"
    assert steps(record) == [
        (None, "draft", "transition", "delta"),
        ("draft", "draft", "document_added", "delta"),
        ("draft", "submitted", "transition", "delta"),
        ("submitted", "under_review", "transition", "cnca"),
        ("under_review", "information_requested", "transition", "cnca"),
        ("information_requested", "submitted", "transition", "delta"),
        ("submitted", "under_review", "transition", "cnca"),
        ("under_review", "approved", "transition", "cnca"),
        ("approved", "approved", "objection_lodged", "river"),
        ("approved", "approved", "objection_dismissed", "cnca"),
        ("approved", "approved", "objection_lodged", "river"),
        ("approved", "approved", "objection_dismissed", "cnca"),
    ]
    assert record["history"][4]["reason"] == "Send the GB 31241 report"
    assert record["history"][7]["when"] == "2026-09-24T16:00:00+08:00"
    assert [(d["filename"], d["sha256"]) for d in record["documents"]] == [
        ("capability.pdf", hashlib.sha256(PDF).hexdigest())
    ]
    assert [(o["status"], o["lodged_by"]) for o in record["objections"]] == [
        ("dismissed", "river"),
        ("dismissed", "river"),
    ]
