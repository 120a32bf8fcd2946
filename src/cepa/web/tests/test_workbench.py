"""The officers' workbench: queues oldest first with their age, record pages and decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.designation import services
from cepa.designation.models import Application, Objection
from cepa.history.models import Change
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]


class Clock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock() -> Iterator[Clock]:
    frozen = Clock()
    with mock.patch("cepa.designation.clock.now", side_effect=frozen.now):
        yield frozen


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def submitted(clock: Clock, username: str, organisation: str, codes: list[str], at: str) -> Application:
    clock.moment = dt.datetime.fromisoformat(at)
    application = services.create_application(
        actor=f"user:{username}", user=user(username), organisation=organisation, product_types=codes
    )
    services.submit_application(actor=f"user:{username}", user=user(username), application_id=application.pk)
    application.refresh_from_db()
    return application


@pytest.fixture
def waiting(clock: Clock) -> dict[str, Application]:
    """Two submitted applications (the newer first in id order would be wrong) and one under review."""
    newer = submitted(clock, "pearl", "cn-lab-pearl-delta", ["0915"], "2026-11-24T09:00:00+08:00")
    older = submitted(clock, "bohai", "cn-lab-bohai", ["0701"], "2026-11-10T15:00:00+08:00")
    reviewed = submitted(clock, "pearl", "cn-lab-pearl-delta", ["0701"], "2026-11-12T09:00:00+08:00")
    services.review_application(
        actor="user:cnca", user=user("cnca"), application_id=reviewed.pk, action="start"
    )
    clock.moment = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
    return {"newer": newer, "older": older, "reviewed": reviewed}


def test_cnca_queues_oldest_first_with_their_age(client: Client, waiting: dict[str, Application]) -> None:
    signed_in(client, "cnca")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workbench/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    first, second = waiting["older"].pk, waiting["newer"].pk
    assert html.index(f"/workbench/applications/{first}/") < html.index(f"/workbench/applications/{second}/")
    assert '<td class="age" data-label="Age">16 days</td>' in html  # 10 → 26 November
    assert '<td class="age" data-label="Age">2 days</td>' in html  # 24 → 26 November
    assert '<h2 id="queue-under-review">Applications under review <span class="muted">(1)</span></h2>' in html
    assert "No objection is waiting for a decision." in html


def test_registrar_and_hkas_do_not_see_cnca_queues(client: Client, waiting: dict[str, Application]) -> None:
    html = signed_in(client, "ccaa").get("/workbench/").content.decode()
    assert "Applications to start reviewing" not in html
    path = f"/workbench/applications/{waiting['older'].pk}/"
    assert signed_in(Client(), "ccaa").get(path).status_code == 403


def test_record_page_shows_history_and_the_allowed_decisions(
    client: Client, waiting: dict[str, Application]
) -> None:
    signed_in(client, "cnca")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/workbench/applications/{waiting['reviewed'].pk}/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert "Status changed from Submitted to Under review" in html
    assert 'id="action-approve"' in html and 'id="action-refuse"' in html
    assert 'id="action-start"' not in html


def test_officer_approves_and_the_application_gets_its_objection_period(
    client: Client, waiting: dict[str, Application]
) -> None:
    signed_in(client, "cnca")
    application = waiting["reviewed"]
    page = client.get(f"/workbench/applications/{application.pk}/").content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    response = client.post(
        f"/workbench/applications/{application.pk}/",
        {"action": "approve", "reason": "All conditions met", "seen": seen, "confirmed": "yes"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.objection_period_ends is not None
    html = client.get(response["Location"]).content.decode()
    assert f"Application {application.pk} approved and published for objections." in html
    assert "Reason: All conditions met" in html


@pytest.mark.parametrize("action,heading,button", [
    ("approve", "Approve application {id}?", "Yes, approve"),
    ("refuse", "Refuse application {id}?", "Yes, refuse"),
])
def test_approve_and_refuse_ask_for_confirmation_first(
    client: Client, waiting: dict[str, Application], action: str, heading: str, button: str
) -> None:
    signed_in(client, "cnca")
    application = waiting["reviewed"]
    page = client.get(f"/workbench/applications/{application.pk}/").content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    changes = Change.objects.count()
    asked = client.post(f"/workbench/applications/{application.pk}/",
                        {"action": action, "reason": "Because", "seen": seen})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"<h1>{heading.format(id=application.pk)}</h1>" in html
    assert f'id="confirm-decision">{button}</button>' in html
    assert f'<input type="hidden" name="action" value="{action}">' in html
    assert '<input type="hidden" name="reason" value="Because">' in html
    application.refresh_from_db()
    assert (application.status, Change.objects.count()) == ("under_review", changes)
    done = client.post(f"/workbench/applications/{application.pk}/",
                       {"action": action, "reason": "Because", "seen": seen, "confirmed": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ("approved" if action == "approve" else "refused")


def test_a_decision_needs_an_action_and_a_reason(client: Client, waiting: dict[str, Application]) -> None:
    signed_in(client, "cnca")
    application = waiting["reviewed"]
    changes = Change.objects.count()
    response = client.post(f"/workbench/applications/{application.pk}/", {"action": "approve", "reason": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_reason">Enter the reason for the decision.</a>' in html
    assert 'id="action-approve" checked' in html
    response = client.post(f"/workbench/applications/{application.pk}/", {"reason": "x"})
    assert '<a href="#id_action">Choose a decision.</a>' in response.content.decode()
    application.refresh_from_db()
    assert application.status == "under_review"
    assert Change.objects.count() == changes


def test_someone_else_acted_first_is_a_clear_conflict(
    client: Client, waiting: dict[str, Application]
) -> None:
    signed_in(client, "cnca")
    application = waiting["older"]
    page = client.get(f"/workbench/applications/{application.pk}/").content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    # Another officer starts the review first.
    services.review_application(
        actor="user:cnca2", user=user("cnca2"), application_id=application.pk, action="start"
    )
    changes = Change.objects.count()
    response = client.post(
        f"/workbench/applications/{application.pk}/",
        {"action": "start", "reason": "Looks complete", "seen": seen},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else acted on this application after you opened it: it is now Under review." in html
    assert "Looks complete" in html  # the typed reason stays
    assert Change.objects.count() == changes


def test_a_stale_action_without_the_version_is_refused_by_the_service(
    client: Client, waiting: dict[str, Application]
) -> None:
    signed_in(client, "cnca")
    application = waiting["older"]
    response = client.post(f"/workbench/applications/{application.pk}/", {"action": "approve", "reason": "x"})
    assert response.status_code == 400  # approve is not offered for a submitted application
    application.refresh_from_db()
    assert application.status == "submitted"


def test_objection_queue_and_decision(client: Client, clock: Clock, waiting: dict[str, Application]) -> None:
    application = waiting["reviewed"]
    services.review_application(
        actor="user:cnca", user=user("cnca"), application_id=application.pk, action="approve", reason="ok"
    )
    objection = services.lodge_objection(
        actor="user:bohai",
        user=user("bohai"),
        application_id=application.pk,
        grounds="Their laboratory moved.",
    )
    clock.moment = dt.datetime(2026, 11, 29, 10, 0, tzinfo=BEIJING)
    signed_in(client, "cnca")
    html = client.get("/workbench/").content.decode()
    assert f"/workbench/objections/{objection.pk}/" in html
    assert '<td class="age" data-label="Age">3 days</td>' in html
    page = client.get(f"/workbench/objections/{objection.pk}/").content.decode()
    assert "Their laboratory moved." in page
    response = client.post(
        f"/workbench/objections/{objection.pk}/",
        {"action": "dismiss", "reason": "The move was notified.", "seen": "pending"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "dismissed"
    # A second decision is a conflict and changes nothing.
    changes = Change.objects.count()
    response = client.post(
        f"/workbench/objections/{objection.pk}/", {"action": "uphold", "reason": "No", "seen": "pending"}
    )
    assert response.status_code == 409
    assert "Someone else decided this objection first: it is now Dismissed." in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"
    assert Change.objects.count() == changes


def test_unknown_records_are_not_found(client: Client) -> None:
    signed_in(client, "cnca")
    assert client.get("/workbench/applications/999999/").status_code == 404
    assert client.get("/workbench/objections/999999/").status_code == 404
