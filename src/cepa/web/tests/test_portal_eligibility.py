"""Applications that say what is possible (issue 11, point 5): eligibility is checked before a draft is
created; a draft that can never be submitted says why and offers no Submit button; submitting asks for
confirmation first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cepa.designation import services as designation
from cepa.designation.models import Application
from cepa.history.models import Change
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield


def draft(username: str, organisation: str, *codes: str) -> Application:
    user = get_user_model().objects.get(username=username)
    return designation.create_application(
        actor=f"user:{username}", user=user, organisation=organisation, product_types=list(codes)
    )


@pytest.mark.parametrize(
    "username,codes,why",
    [
        ("xiangjiang", "2401", "2401: the application window of plan 2026-5 closed on 30 September 2026."),
        (
            "xiangjiang",
            "0701",
            "0701: no published designation plan covers this product type for bodies like yours.",
        ),
        ("harbour", "0914", "0914: only a body established in the Mainland may apply to be designated."),
    ],
)
def test_no_draft_is_created_when_it_could_never_be_submitted(
    client: Client, username: str, codes: str, why: str
) -> None:
    signed_in(client, username)
    before = (Application.objects.count(), Change.objects.count())
    response = client.post("/portal/applications/new/", {"other": codes})
    assert response.status_code == 422
    html = response.content.decode()
    assert "No draft was created: an application for these product types could never be submitted." in html
    assert f"<li>{why}</li>" in html
    assert (Application.objects.count(), Change.objects.count()) == before


def test_a_draft_that_can_never_be_submitted_says_why_without_a_submit_button(client: Client) -> None:
    application = draft("xiangjiang", "cn-cb-xiangjiang", "2401")
    signed_in(client, "xiangjiang", "zh-hant")
    html = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert 'id="never-submittable"' in html
    assert "2401：計劃 2026-5 的申請期已於 2026年9月30日 結束。" in html
    assert 'id="submit-form"' not in html
    assert "此申請在現況下永遠無法提交" in html


def test_a_draft_waiting_for_its_window_has_no_submit_button_yet(client: Client) -> None:
    signed_in(client, "bohai")
    response = client.post("/portal/applications/new/", {"other": "2401"})  # plan 2027-1 opens in May
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'id="never-submittable"' not in html
    assert 'id="cannot-submit-yet"' in html and 'id="submit-form"' not in html


def test_submitting_asks_for_confirmation_first(client: Client) -> None:
    signed_in(client, "pearl")
    response = client.post("/portal/applications/new/", {"suggested": ["0914"]})
    application = Application.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.get(response["Location"]).content.decode()
    assert 'id="submit-form"' in page
    asked = client.post(f"/portal/applications/{application.pk}/submit/")
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"<h1>Submit application {application.pk} to CNCA?</h1>" in html
    assert 'name="confirmed" value="yes"' in html
    application.refresh_from_db()
    assert application.status == "draft"
    done = client.post(f"/portal/applications/{application.pk}/submit/", {"confirmed": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
