"""Agreement filings in the portal (file, see the returned reason, file again, terminate) and in the
workbench (accept or return, with conflicts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Agreement
from cepa.filings.models import AgreementFiling
from cepa.filings.services import review
from cepa.history.models import Change
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

TODAY = dt.datetime.now(BEIJING).date()
START = TODAY + dt.timedelta(days=10)
GOOD = {
    "kind": "testing",
    "counterparty": "cn-cb-huaxia",
    "product_types": "0914, 0915",
    "valid_from": START.isoformat(),
    "valid_until": "",
}


def file(client: Client, **changes: str) -> AgreementFiling:
    response = client.post("/portal/filings/new/", {**GOOD, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    filing = AgreementFiling.objects.order_by("-filed_at", "-id").first()
    assert filing is not None
    assert response["Location"] == f"/portal/filings/{filing.pk}/"
    return filing


def test_file_an_agreement(client: Client) -> None:
    signed_in(client, "harbour")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/portal/filings/new/")
    assert page.status_code == 200
    assert len(queries) <= 20
    html = page.content.decode()
    assert 'id="id_kind-testing"' in html and 'id="id_kind-sampling"' not in html  # a laboratory tests
    filing = file(client)
    assert (filing.party_id, filing.status, filing.product_types) == (
        "hk-lab-harbourview",
        "filed",
        ["0914", "0915"],
    )
    html = client.get(f"/portal/filings/{filing.pk}/").content.decode()
    assert f"Agreement {filing.pk} filed with CNCA." in html
    assert "Nothing to do now: CNCA will review the filing." in html
    assert "Created as Filed" in html


def test_a_counterparty_not_designated_is_refused_naming_the_product_types(client: Client) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/filings/new/", {**GOOD, "counterparty": "cn-cb-beifang"})
    assert response.status_code == 422
    html = response.content.decode()
    assert '<li><a href="#id_product_types">' in html
    assert "is not a designated certification body for 0914, 0915 on every day from" in html
    assert 'value="0914, 0915"' in html
    assert not AgreementFiling.objects.exists()


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"kind": ""}, "kind", "Choose the kind of agreement."),
        ({"counterparty": ""}, "counterparty", "Choose the Mainland certification body."),
        (
            {"valid_from": "31/12/2027"},
            "valid_from",
            "Enter a real date as year-month-day, such as 2027-01-31.",
        ),
        (
            {"valid_until": "2020-01-01"},
            "valid_until",
            "The end date must be the same as or after the start date.",
        ),
    ],
)
def test_filing_form_errors(client: Client, changes: dict[str, str], field: str, message: str) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/filings/new/", {**GOOD, **changes})
    assert response.status_code == 400
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert not AgreementFiling.objects.exists()


def test_a_mainland_body_sees_filings_it_is_counterparty_of_but_cannot_file(client: Client) -> None:
    filing = file(signed_in(client, "harbour"))
    html = signed_in(Client(), "xiangjiang").get("/portal/filings/").content.decode()
    assert "Agreements are filed by their Hong Kong party." in html
    assert filing.pk not in html  # xiangjiang is not the counterparty of this one
    response = signed_in(Client(), "xiangjiang").post("/portal/filings/new/", {**GOOD, "kind": "sampling"})
    assert response.status_code == 422
    assert "Your organisation cannot be the party of this kind of agreement" in response.content.decode()
    assert AgreementFiling.objects.count() == 1


def test_returned_filing_shows_the_reason_and_can_be_filed_again(client: Client) -> None:
    signed_in(client, "harbour")
    filing = file(client)
    review.review_filing(
        actor="user:cnca", filing_id=filing.pk, action="return", reason="Signature page missing"
    )
    html = client.get(f"/portal/filings/{filing.pk}/").content.decode()
    assert "CNCA returned the filing: correct it and file it again." in html
    assert "CNCA&#x27;s reason:" in html or "CNCA's reason:" in html
    assert "Signature page missing" in html
    again = client.get(f"/portal/filings/new/?from_filing={filing.pk}").content.decode()
    assert 'value="0914, 0915"' in again
    assert f'value="{START.isoformat()}"' in again
    second = file(client)
    assert second.pk != filing.pk


def test_officer_accepts_a_filing_from_the_workbench(client: Client) -> None:
    filing = file(signed_in(Client(), "harbour"))
    signed_in(client, "cnca")
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/workbench/")
    assert len(queries) <= 20
    assert f"/workbench/filings/{filing.pk}/" in home.content.decode()
    response = client.post(
        f"/workbench/filings/{filing.pk}/", {"action": "accept", "reason": "In order", "seen": "filed"}
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == "accepted"
    assert Agreement.objects.filter(pk=filing.pk, party_id="hk-lab-harbourview").exists()
    changes = Change.objects.count()
    response = client.post(
        f"/workbench/filings/{filing.pk}/", {"action": "return", "reason": "x", "seen": "filed"}
    )
    assert response.status_code == 409
    assert (
        "Someone else acted on this filing after you opened it: it is now Accepted."
        in response.content.decode()
    )
    assert Change.objects.count() == changes


def test_applicant_records_a_termination(client: Client) -> None:
    signed_in(client, "harbour")
    filing = file(client)
    review.review_filing(actor="user:cnca", filing_id=filing.pk, action="accept")
    bad = client.post(f"/portal/filings/{filing.pk}/terminate/", {"on": "2000-01-01"})
    assert bad.status_code == 422
    assert (
        "The date must fall within the agreement&#x27;s dates." in bad.content.decode()
        or "The date must fall within the agreement's dates." in bad.content.decode()
    )
    end = (START + dt.timedelta(days=30)).isoformat()
    response = client.post(f"/portal/filings/{filing.pk}/terminate/", {"on": end, "reason": "Ended"})
    assert response.status_code == 302
    assert Agreement.objects.get(pk=filing.pk).terminated_on == START + dt.timedelta(days=30)


def test_another_organisations_filing_is_not_found(client: Client) -> None:
    filing = file(signed_in(client, "harbour"))
    other = signed_in(Client(), "victoria")
    assert other.get(f"/portal/filings/{filing.pk}/").status_code == 404
    assert other.post(f"/portal/filings/{filing.pk}/terminate/", {"on": START.isoformat()}).status_code == 404
    assert AgreementFiling.objects.get(pk=filing.pk).status == "filed"


def test_the_filing_pages_say_which_cnca_procedure_applies(client: Client) -> None:
    signed_in(client, "harbour")
    assert 'id="procedure">An agreement dated from 1 March 2025 is filed with CNCA.' in client.get(
        "/portal/filings/new/"
    ).content.decode()
    filed = file(client)
    html = client.get(f"/portal/filings/{filed.pk}/").content.decode()
    assert ('<dt>Procedure</dt><dd id="procedure">Filing with CNCA (agreements dated from 1 March 2025)</dd>'
            in html)
    earlier = file(client, valid_from="2025-02-28")
    html = client.get(f"/portal/filings/{earlier.pk}/").content.decode()
    assert '<dd id="procedure">Approval by CNCA (agreements dated before 1 March 2025)</dd>' in html
    workbench = signed_in(Client(), "cnca").get(f"/workbench/filings/{earlier.pk}/").content.decode()
    assert '<dd id="procedure">Approval by CNCA (agreements dated before 1 March 2025)</dd>' in workbench
