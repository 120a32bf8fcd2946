"""Finding 3 of issue 12: an approved application is public for its decision, dates and the outcome of
objections; who objected and the applicant's documents stay with the applicant and the officers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client

from cepa.designation.models import Objection
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF, get, post, upload
from cepa.designation.tests.test_transitions import application_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(api: Client, people: People, clock: Clock) -> int:
    """Approved, with a document, an objection by river dismissed and one by east pending."""
    number = application_in(api, people, "submitted")
    assert upload(api, number, people.delta, PDF, name="capability.pdf").status_code == 201
    post(api, f"/applications/{number}/review", people.cnca, {"action": "start"})
    post(api, f"/applications/{number}/review", people.cnca, {"action": "approve"})
    first = post(api, f"/applications/{number}/objections", people.river, {"grounds": "river's grounds"})
    post(
        api,
        f"/objections/{first.json()['id']}/review",
        people.cnca,
        {"action": "dismiss", "reason": "no case"},
    )
    post(api, f"/applications/{number}/objections", people.east, {"grounds": "east's grounds"})
    return number


def _steps(body: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    return [(e["event"], e["who"], e["from"], e["to"]) for e in body["history"]]


@pytest.mark.parametrize("who", [None, "harbour"])
def test_the_public_sees_the_decision_dates_and_outcomes_not_objectors_or_documents(
    api: Client, people: People, approved: int, who: str | None
) -> None:
    response = get(api, f"/applications/{approved}", getattr(people, who) if who else None)
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body)
    assert [
        name
        for name in ("river", "east", "capability.pdf", hashlib.sha256(PDF).hexdigest()[:12])
        if name in text
    ] == []
    assert (body["status"], body["designation_from"], body["objection_period_ends"]) == (
        "approved",
        "2026-01-05",
        "2026-01-26",
    )
    assert (body["documents"], body["objections"]) == ([], [])
    assert _steps(body) == [
        ("transition", "delta", None, "draft"),
        ("transition", "delta", "draft", "submitted"),
        ("transition", "cnca", "submitted", "under_review"),
        ("transition", "cnca", "under_review", "approved"),
        ("objection_lodged", "", "approved", "approved"),
        ("objection_dismissed", "cnca", "approved", "approved"),
        ("objection_lodged", "", "approved", "approved"),
    ]
    first = Objection.objects.filter(lodged_by="river").get().pk
    assert body["history"][5]["reason"] == f"objection {first} dismissed: no case"


@pytest.mark.parametrize("who", ["delta", "cnca", "hkas", "root"])
def test_the_applicant_and_officers_still_see_everything(
    api: Client, people: People, approved: int, who: str
) -> None:
    body = get(api, f"/applications/{approved}", getattr(people, who)).json()
    assert [d["filename"] for d in body["documents"]] == ["capability.pdf"]
    assert [o["lodged_by"] for o in body["objections"]] == ["river", "east"]
    assert [(e["event"], e["who"]) for e in body["history"] if e["event"] != "transition"] == [
        ("document_added", "delta"),
        ("objection_lodged", "river"),
        ("objection_dismissed", "cnca"),
        ("objection_lodged", "east"),
    ]
    assert body["history"][2]["reason"] == f"document capability.pdf ({hashlib.sha256(PDF).hexdigest()[:12]})"


def test_an_objector_sees_their_own_objection_but_not_the_others(
    api: Client, people: People, approved: int
) -> None:
    body = get(api, f"/applications/{approved}", people.river).json()
    assert [(o["lodged_by"], o["status"]) for o in body["objections"]] == [("river", "dismissed")]
    assert "east" not in json.dumps(body) and body["documents"] == []


def test_the_public_list_shows_no_objectors_or_documents(api: Client, people: People, approved: int) -> None:
    listed = get(api, "/applications").json()
    assert [a["id"] for a in listed["items"]] == [approved]
    assert [name for name in ("river", "east", "capability") if name in json.dumps(listed)] == []


def test_the_public_detail_stays_within_its_query_budget(
    api: Client, people: People, approved: int, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        assert get(api, f"/applications/{approved}").status_code == 200
