"""Inspector transfers: requested in the portal by the new body, decided by the CCAA registrar in the
workbench; the public inspector lookup then shows the new body."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.history.models import Change
from cepa.personnel.models import Affiliation, Transfer
from cepa.personnel.services import registration
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

INSPECTOR = "CCAA-2022-CCC-0108"  # at hk-cb-lion-peak, registered until 2028-10-09


def request(client: Client, inspector: str = INSPECTOR, effective: str = "2027-03-01") -> Transfer:
    response = client.post("/portal/transfers/new/", {"inspector": inspector, "effective": effective})
    assert response.status_code == 302, response.content.decode()[:3000]
    transfer = Transfer.objects.order_by("-id").first()
    assert transfer is not None
    assert response["Location"] == f"/portal/transfers/{transfer.pk}/"
    return transfer


def test_request_a_transfer(client: Client) -> None:
    signed_in(client, "victoria")
    transfer = request(client)
    assert (transfer.to_organisation_id, transfer.from_organisation_id, transfer.status) == (
        "hk-cb-victoria",
        "hk-cb-lion-peak",
        "requested",
    )
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/portal/transfers/{transfer.pk}/").content.decode()
    assert len(queries) <= 20
    assert f"Transfer request {transfer.pk} sent to CCAA." in html
    assert "Nothing to do now: the CCAA registrar will decide the request." in html
    assert "Created as Requested" in html
    listing = client.get("/portal/transfers/").content.decode()
    assert f'<a href="/portal/transfers/{transfer.pk}/">Transfer {transfer.pk}</a>' in listing


@pytest.mark.parametrize(
    "inspector,effective,field,message",
    [
        (
            "CCAA-2022-CCC-0101",
            "2027-03-01",
            "inspector",
            "The inspector is already affiliated with hk-cb-victoria",
        ),
        (INSPECTOR, "2030-01-01", "effective", "The registration is not valid on 2030-01-01"),
        ("CCAA-0000", "2027-03-01", "inspector", "No inspector has this registration number."),
        ("", "2027-03-01", "inspector", "Enter the inspector&#x27;s registration number."),
        (INSPECTOR, "", "effective", "Enter the date, such as 2027-01-31."),
    ],
)
def test_refused_requests_say_why_at_the_field(
    client: Client, inspector: str, effective: str, field: str, message: str
) -> None:
    signed_in(client, "victoria")
    changes = Change.objects.count()
    response = client.post("/portal/transfers/new/", {"inspector": inspector, "effective": effective})
    assert response.status_code in (400, 422)
    html = response.content.decode()
    assert f'<li><a href="#id_{field}">{message}' in html
    assert f'value="{inspector}"' in html
    assert not Transfer.objects.exists()
    assert Change.objects.count() == changes


def test_a_laboratory_cannot_take_an_inspector(client: Client) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/transfers/new/", {"inspector": INSPECTOR, "effective": "2027-03-01"})
    assert response.status_code == 422
    assert "<li>hk-lab-harbourview is not a certification body.</li>" in response.content.decode()
    assert not Transfer.objects.exists()


def test_refusal_reasons_in_traditional_chinese(client: Client) -> None:
    signed_in(client, "victoria", "zh-hant")
    response = client.post("/portal/transfers/new/", {"inspector": INSPECTOR, "effective": "2030-01-01"})
    assert response.status_code == 422
    assert "2030-01-01" in response.content.decode()
    assert "The registration is not valid" not in response.content.decode()


def test_the_old_body_sees_the_request_but_another_body_does_not(client: Client) -> None:
    transfer = request(signed_in(client, "victoria"))
    assert signed_in(Client(), "pearl").get(f"/portal/transfers/{transfer.pk}/").status_code == 404


def test_registrar_approves_and_the_public_lookup_shows_the_new_body(client: Client) -> None:
    transfer = request(signed_in(Client(), "victoria"))
    signed_in(client, "ccaa")
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/workbench/").content.decode()
    assert len(queries) <= 20
    assert f"/workbench/transfers/{transfer.pk}/" in home
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/workbench/transfers/{transfer.pk}/")
    assert page.status_code == 200
    assert len(queries) <= 20
    response = client.post(
        f"/workbench/transfers/{transfer.pk}/",
        {"action": "approve", "reason": "Employment contract seen", "seen": "requested"},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "approved"
    assert list(
        Affiliation.objects.filter(inspector_id=INSPECTOR)
        .order_by("valid_from")
        .values_list("organisation_id", "valid_until")
    ) == [("hk-cb-lion-peak", transfer.effective.replace(day=28, month=2)), ("hk-cb-victoria", None)]
    html = client.get(response["Location"]).content.decode()
    assert f"Transfer {transfer.pk} approved." in html
    assert "Status changed from Requested to Approved" in html
    public = Client().get(f"/inspectors/?number={INSPECTOR}&on=2027-03-01").content.decode()
    assert "hk-cb-victoria" in public or "Victoria" in public
    # A second decision is a conflict; nothing changes.
    changes = Change.objects.count()
    again = client.post(
        f"/workbench/transfers/{transfer.pk}/", {"action": "refuse", "reason": "No", "seen": "requested"}
    )
    assert again.status_code == 409
    assert "Someone else decided this transfer first: it is now Approved." in again.content.decode()
    assert Change.objects.count() == changes


def test_registrar_refusal_needs_a_reason_and_the_applicant_sees_it(client: Client) -> None:
    transfer = request(signed_in(Client(), "victoria"))
    signed_in(client, "ccaa")
    response = client.post(f"/workbench/transfers/{transfer.pk}/", {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    assert Transfer.objects.get(pk=transfer.pk).status == "requested"
    client.post(
        f"/workbench/transfers/{transfer.pk}/", {"action": "refuse", "reason": "No contract attached"}
    )
    html = signed_in(Client(), "victoria").get(f"/portal/transfers/{transfer.pk}/").content.decode()
    assert "Refused. You may make a new request once the reason is dealt with." in html
    assert "No contract attached" in html


def test_cnca_officer_cannot_decide_transfers(client: Client) -> None:
    transfer = request(signed_in(Client(), "victoria"))
    response = signed_in(client, "cnca").post(
        f"/workbench/transfers/{transfer.pk}/", {"action": "approve", "reason": "x"}
    )
    assert response.status_code == 403
    assert Transfer.objects.get(pk=transfer.pk).status == "requested"


def test_approval_refused_by_the_rules_shows_the_reasons(client: Client) -> None:
    transfer = request(signed_in(Client(), "victoria"))
    registration.change_status(
        actor="user:ccaa",
        inspector_id=INSPECTOR,
        status="cancelled",
        on=dt.date(2026, 12, 1),
        reason="Cancelled",
    )
    signed_in(client, "ccaa")
    changes = Change.objects.count()
    response = client.post(
        f"/workbench/transfers/{transfer.pk}/", {"action": "approve", "reason": "ok", "seen": "requested"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The rules do not allow this now. Nothing was changed: see the reasons below." in html
    assert "<li>The registration was cancelled on 2026-12-01; cancellation is final.</li>" in html
    assert Transfer.objects.get(pk=transfer.pk).status == "requested"
    assert Change.objects.count() == changes
