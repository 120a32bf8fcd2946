"""The portal's forms take product types as the catalogue names them (contract §1, rev. 2): a type by
any of its codes (0807 and 0907 are one type) or by its key when it has no published code; a name no
catalogue has is refused at its field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client

from cepa.designation.models import ExpressionOfInterest
from cepa.filings.models import AgreementFiling
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
START = dt.datetime.now(BEIJING).date() + dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield


def test_interest_by_bundled_code_and_key(client: Client) -> None:
    signed_in(client, "pearl")
    data = {"year": "2027", "product_types": "0907, brake-linings"}
    before = set(ExpressionOfInterest.objects.values_list("id", flat=True))
    assert client.post("/portal/expressions-of-interest/", data).status_code == 302
    created = ExpressionOfInterest.objects.exclude(id__in=before).get()
    assert (created.organisation_id, created.product_types) == (
        "cn-lab-pearl-delta",
        ["0907", "brake-linings"],
    )


@pytest.mark.parametrize("typed", ["no-such-type", "0907 no-such-type"])
def test_interest_naming_no_catalogue_type_is_refused(client: Client, typed: str) -> None:
    signed_in(client, "pearl")
    before = ExpressionOfInterest.objects.count()
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "product_types": typed})
    assert response.status_code == 400
    assert (
        '<li><a href="#id_product_types">No product type has the code no-such-type.</a></li>'
        in response.content.decode()
    )
    assert ExpressionOfInterest.objects.count() == before


def test_a_filing_for_0907_with_a_counterparty_designated_for_0807(client: Client) -> None:
    # cn-cb-lingnan's designation names the type 0807/0907 as 0807.
    signed_in(client, "harbour")
    data = {
        "kind": "testing",
        "counterparty": "cn-cb-lingnan",
        "product_types": "0907",
        "valid_from": START.isoformat(),
        "valid_until": "",
    }
    response = client.post("/portal/filings/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AgreementFiling.objects.get(counterparty_id="cn-cb-lingnan").product_types == ["0907"]
