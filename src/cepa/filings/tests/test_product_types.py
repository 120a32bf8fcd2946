"""Filings name product types as the catalogue does (contract §1, rev. 2): a type by any of its codes
or, without a published code, by its key; a counterparty designated for a type under one of its codes
covers a filing naming another."""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.filings.tests.conftest import People
from cepa.filings.tests.helpers import designate, post, today
from cepa.filings.tests.test_api import FILINGS, body, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundled(people: People) -> People:
    # 0807 and 0907 are one type; brake linings have no published code.
    designate("CNCA-X-3", "cn-cb-x", ["0807", "brake-linings"], "2018-01-01")
    return people


@pytest.mark.parametrize("codes", [["0907"], ["0807", "0907"], ["brake-linings"]])
def test_a_designation_under_one_code_covers_a_filing_under_another(
    client: Client, bundled: People, codes: list[str]
) -> None:
    response = post(client, FILINGS, body(product_types=codes), bundled.lab.headers)
    assert response.status_code == 201, response.json()
    assert response.json()["product_types"] == sorted(codes)


def test_the_counterparty_is_not_designated_for_a_key_it_does_not_name(
    client: Client, bundled: People
) -> None:
    before = state()
    response = post(
        client, FILINGS, body(product_types=["0907", "motorcycle-helmets"]), bundled.lab.headers
    )
    assert (response.status_code, response.json()["failing"]) == (422, ["motorcycle-helmets"])
    assert state() == before


@pytest.mark.parametrize(
    ("codes", "field", "message"),
    [
        (["no-such-type"], "product_types", "unknown product type codes no-such-type"),
        (["Brake-Linings"], "product_types.0", "String should match pattern"),
        (["0807", "09070"], "product_types.1", "String should match pattern"),
    ],
)
def test_a_name_no_catalogue_has_is_refused_naming_the_field(
    client: Client, bundled: People, codes: list[str], field: str, message: str
) -> None:
    before = state()
    response = post(client, FILINGS, body(product_types=codes), bundled.lab.headers)
    assert response.status_code == 400, response.json()
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert error["message"].startswith(message)
    assert state() == before


def test_the_service_refuses_an_unknown_key_with_nothing_written(bundled: People) -> None:
    from cepa.errors import InvalidInput
    from cepa.filings.services import submission

    before = state()
    with pytest.raises(InvalidInput) as refused:
        submission.file_agreement(
            actor="user:lab",
            kind="testing",
            party="hk-lab-a",
            counterparty="cn-cb-x",
            product_types=["no-such-type"],
            valid_from=today(),
            valid_until=None,
        )
    assert list(refused.value.errors) == ["product_types"]
    assert state() == before
