"""Finding 8 of issue 12 in the portal: a day out of the accepted range (1900-2200) is refused on the
field that holds it, in the page's language, and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.bodies.models import Agreement
from cepa.filings.models import AgreementFiling
from cepa.filings.services import review
from cepa.web.tests.conftest import signed_in
from cepa.web.tests.test_portal_filings import GOOD, file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_a_filing_dated_out_of_range_is_refused_on_the_field(client: Client, field: str) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/filings/new/", {**GOOD, field: "9999-12-31"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#id_{field}">Ensure this value is less than or equal to 2200-12-31.</a>' in html
    assert not AgreementFiling.objects.exists()


def test_a_termination_dated_9999_is_refused_on_the_field_in_chinese_too(client: Client) -> None:
    signed_in(client, "harbour")
    filing = file(client)
    review.review_filing(actor="user:cnca", filing_id=filing.pk, action="accept")
    client.cookies["django_language"] = "zh-hans"
    response = client.post(f"/portal/filings/{filing.pk}/terminate/", {"on": "9999-12-31"})
    assert response.status_code == 400
    assert '<a href="#id_on">确保该值小于或等于2200-12-31。</a>' in response.content.decode()
    assert Agreement.objects.get(pk=filing.pk).terminated_on is None
    assert AgreementFiling.objects.get(pk=filing.pk).status == "accepted"
