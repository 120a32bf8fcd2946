"""The registry's lists filtered by product type find a type under any of its codes or its key
(contract §1, rev. 2): a filter on 0907 finds records scoped 0807, once each; so does the list of
accredited bodies the directory builds on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.decisions.selectors import accredited_organisations
from cepa.decisions.tests.conftest import D, accreditation, agreement, designation, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db: Any) -> None:
    organisation("hk-lab", "laboratory", "HK")
    organisation("hk-cb", "certification_body", "HK")
    organisation("cn-cb", "certification_body", "MAINLAND")
    # The same type twice in one scope, and a type by its key.
    accreditation("HOKLAS 1", "hk-lab", "HOKLAS", "2020-01-01", ["0807", "0907"])
    accreditation("HOKLAS 2", "hk-lab", "HOKLAS", "2020-01-01", ["brake-linings"])
    accreditation("HKCAS 1", "hk-cb", "HKCAS", "2020-01-01", ["0701"])
    designation("CNCA-1", "cn-cb", "certification_body", ["0807"], "2020-01-01")
    designation("CNCA-2", "cn-cb", "certification_body", ["0701"], "2020-01-01")
    agreement("AGR-1", "testing", "hk-lab", "cn-cb", ["0907", "brake-linings"], "2020-01-01")


def ids(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("code", "accreditations", "designations", "agreements"),
    [
        ("0907", ["HOKLAS 1"], ["CNCA-1"], ["AGR-1"]),
        ("0807", ["HOKLAS 1"], ["CNCA-1"], ["AGR-1"]),
        ("brake-linings", ["HOKLAS 2"], [], ["AGR-1"]),
        ("motorcycle-helmets", [], [], []),
        ("no-such-type", [], [], []),  # like a code no catalogue has (9999): nothing matches
    ],
)
def test_lists_filtered_by_any_name_of_a_type(
    registry: None, code: str, accreditations: list[str], designations: list[str], agreements: list[str]
) -> None:
    client = Client()
    assert ids(client, f"/api/v1/accreditations?product_type={code}") == accreditations
    assert ids(client, f"/api/v1/designations?product_type={code}") == designations
    assert ids(client, f"/api/v1/agreements?product_type={code}") == agreements


@pytest.mark.parametrize("code", ["Brake-Linings", "080", "-x", "brake_linings"])
def test_a_malformed_filter_is_refused_naming_it(registry: None, code: str) -> None:
    for path in ("accreditations", "designations", "agreements"):
        response = Client().get(f"/api/v1/{path}?product_type={code}")
        assert response.status_code == 400, response.content
        assert [error["field"] for error in response.json()["errors"]] == ["product_type"]


def test_accredited_bodies_by_any_name_of_a_type(registry: None) -> None:
    everyone = ["hk-lab", "hk-cb", "cn-cb"]
    on = D("2026-01-01")
    assert accredited_organisations(everyone, on, codes=["0907"]) == {"hk-lab"}
    assert accredited_organisations(everyone, on, codes=["brake-linings"]) == {"hk-lab"}
    assert accredited_organisations(everyone, on, codes=["0702"]) == set()


def test_an_event_under_another_code_of_the_type_applies(db: Any) -> None:
    organisation("hk-lab", "laboratory", "HK")
    # Scope 0807, suspended under 0907: the type is suspended whichever code is asked.
    suspended = ("2025-01-01", "suspended", ["0907"])
    accreditation("HOKLAS 1", "hk-lab", "HOKLAS", "2020-01-01", ["0807"], [suspended])
    for codes in (None, ["0807"], ["0907"]):
        assert accredited_organisations(["hk-lab"], D("2026-01-01"), codes=codes) == set()
    assert accredited_organisations(["hk-lab"], D("2024-12-31"), codes=["0907"]) == {"hk-lab"}
