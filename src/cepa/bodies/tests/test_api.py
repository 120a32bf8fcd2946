from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    make_registry()
    return Client()


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_organisations_list_in_interchange_shape(client: Client) -> None:
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 4 and (body["limit"], body["offset"]) == (50, 0)
    assert [o["id"] for o in body["items"]] == [
        "cn-cb-east",
        "cn-lab-pearl",
        "hk-cb-lionrock",
        "hk-lab-harbour",
    ]
    assert body["items"][0] == {
        "id": "cn-cb-east",
        "name": {"en": "East China Certification Centre"},
        "kind": "certification_body",
        "seat": "MAINLAND",
        "hk_invested": False,
        "cnca_code": "57",
        "source": "CNCA list 2024",
    }
    assert body["items"][3]["name"] == {
        "en": "Harbour Product Testing Ltd",
        "zh-Hant": "海港產品測試有限公司",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=laboratory", ["cn-lab-pearl", "hk-lab-harbour"]),
        ("seat=HK", ["hk-cb-lionrock", "hk-lab-harbour"]),
        ("hk_invested=true", ["cn-lab-pearl"]),
        ("hk_invested=false&kind=certification_body", ["cn-cb-east", "hk-cb-lionrock"]),
        ("q=lion", ["hk-cb-lionrock"]),
        ("q=HARBOUR", ["hk-lab-harbour"]),
        ("q=" + quote("海港"), ["hk-lab-harbour"]),
        ("q=" + quote("珠江"), ["cn-lab-pearl"]),
        ("q=cn-", ["cn-cb-east", "cn-lab-pearl"]),
        ("q=nothing-like-this", []),
    ],
)
def test_organisation_filters(client: Client, query: str, expected: list[str]) -> None:
    assert ids(client.get(f"/api/v1/organisations?{query}")) == expected


def test_pagination(client: Client) -> None:
    body = client.get("/api/v1/organisations?limit=2&offset=1").json()
    assert (body["count"], body["limit"], body["offset"]) == (4, 2, 1)
    assert [o["id"] for o in body["items"]] == ["cn-lab-pearl", "hk-cb-lionrock"]
    beyond = client.get("/api/v1/organisations?limit=2&offset=10").json()
    assert (beyond["count"], beyond["items"]) == (4, [])


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "limit=abc"])
def test_bad_pagination_is_400_naming_the_field(client: Client, query: str) -> None:
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert body["errors"][0]["field"] == query.split("=")[0]
    assert body["message"].startswith(query.split("=")[0] + ": ")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=robot", "kind"),
        ("seat=MARS", "seat"),
        ("hk_invested=perhaps", "hk_invested"),
    ],
)
def test_bad_filter_values_are_400(client: Client, query: str, expected: str) -> None:
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [expected]


def test_accreditation_with_scope_and_events_by_id_with_a_space(client: Client) -> None:
    response = client.get("/api/v1/accreditations/HOKLAS%20950")
    assert response.status_code == 200
    assert response.json() == {
        "id": "HOKLAS 950",
        "organisation": "hk-lab-harbour",
        "scheme": "HOKLAS",
        "scope": ["0701", "0702", "0915"],
        "granted": "2020-09-01",
        "events": [{"on": "2026-02-01", "status": "suspended", "scope": ["0915"], "reason": "voluntary"}],
    }


def test_accreditation_id_with_a_slash(client: Client) -> None:
    for path in (
        "/api/v1/accreditations/HKCAS%20012/A",
        "/api/v1/accreditations/" + quote("HKCAS 012/A", safe=""),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json()["id"] == "HKCAS 012/A"
        assert "events" not in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["CNAS L1234", "HKCAS 012/A", "HOKLAS 950"]),
        ("organisation=hk-lab-harbour", ["HOKLAS 950"]),
        ("scheme=HKCAS", ["HKCAS 012/A"]),
        ("product_type=0915", ["CNAS L1234", "HOKLAS 950"]),
        ("product_type=0701&scheme=HOKLAS", ["HOKLAS 950"]),
        ("product_type=9999", []),
    ],
)
def test_accreditation_filters(client: Client, query: str, expected: list[str]) -> None:
    assert ids(client.get(f"/api/v1/accreditations?{query}")) == expected


def test_bad_product_type_is_400(client: Client) -> None:
    response = client.get("/api/v1/accreditations?product_type=07")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "product_type"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["CNCA-CB-57", "CNCA-LAB-9"]),
        ("organisation=cn-lab-pearl", ["CNCA-LAB-9"]),
        ("role=certification_body", ["CNCA-CB-57"]),
        ("product_type=2301", ["CNCA-LAB-9"]),
        ("in_force_on=2023-12-31", ["CNCA-CB-57", "CNCA-LAB-9"]),
        ("in_force_on=2024-01-01", ["CNCA-CB-57"]),
        ("in_force_on=2016-12-31", []),
    ],
)
def test_designation_filters(client: Client, query: str, expected: list[str]) -> None:
    assert ids(client.get(f"/api/v1/designations?{query}")) == expected


def test_designation_record(client: Client) -> None:
    assert client.get("/api/v1/designations/CNCA-LAB-9").json() == {
        "id": "CNCA-LAB-9",
        "organisation": "cn-lab-pearl",
        "role": "laboratory",
        "product_types": ["2301"],
        "from": "2019-01-01",
        "until": "2023-12-31",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AGR-2021-014", "AGR-2022-003"]),
        ("party=hk-cb-lionrock", ["AGR-2022-003"]),
        ("counterparty=cn-cb-east", ["AGR-2021-014", "AGR-2022-003"]),
        ("kind=testing", ["AGR-2021-014"]),
        ("product_type=0915", ["AGR-2021-014"]),
        ("in_force_on=2025-06-30", ["AGR-2021-014", "AGR-2022-003"]),
        ("in_force_on=2025-07-01", ["AGR-2021-014"]),  # terminated_on is the first day out of force
        ("in_force_on=2026-02-28", ["AGR-2021-014"]),
        ("in_force_on=2026-03-01", []),
    ],
)
def test_agreement_filters(client: Client, query: str, expected: list[str]) -> None:
    assert ids(client.get(f"/api/v1/agreements?{query}")) == expected


def test_agreement_record(client: Client) -> None:
    assert client.get("/api/v1/agreements/AGR-2022-003").json() == {
        "id": "AGR-2022-003",
        "kind": "factory_inspection",
        "party": "hk-cb-lionrock",
        "counterparty": "cn-cb-east",
        "product_types": ["0701"],
        "from": "2022-01-01",
        "terminated_on": "2025-07-01",
    }


@pytest.mark.parametrize("kind", ["organisations", "accreditations", "designations", "agreements"])
def test_unknown_id_is_404_json(client: Client, kind: str) -> None:
    response = client.get(f"/api/v1/{kind}/HOKLAS%20000")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "NOT_FOUND"
    assert "'HOKLAS 000'" in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations",
        "/api/v1/accreditations?limit=500",
        "/api/v1/designations?limit=500",
        "/api/v1/agreements?product_type=0701",
    ],
)
def test_list_query_budget(client: Client, path: str, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200


def test_every_list_runs_as_many_queries_for_more_records(client: Client) -> None:
    paths = [
        "/api/v1/organisations?limit=500",
        "/api/v1/accreditations?limit=500",
        "/api/v1/designations?limit=500",
        "/api/v1/agreements?product_type=0701",
    ]

    def queries() -> list[int]:
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(3):
        org = Organisation.objects.create(
            id=f"hk-extra-{n}", name_en=f"Extra {n}", kind="certification_body", seat="HK"
        )
        accreditation = Accreditation.objects.create(
            id=f"HKCAS 9{n}", organisation=org, scheme="HKCAS", granted=dt.date(2020, 1, 1)
        )
        AccreditationScope.objects.create(accreditation=accreditation, product_type="0701")
        AccreditationEvent.objects.create(
            accreditation=accreditation,
            position=0,
            on=dt.date(2025, 1, 1),
            status="suspended",
            scope=["0701"],
        )
        designation = Designation.objects.create(
            id=f"CNCA-CB-9{n}", organisation=org, role="certification_body", valid_from=dt.date(2020, 1, 1)
        )
        DesignationScope.objects.create(designation=designation, product_type="0701")
        agreement = Agreement.objects.create(
            id=f"AGR-EXTRA-{n}",
            kind="factory_inspection",
            party=org,
            counterparty_id="cn-cb-east",
            valid_from=dt.date(2020, 1, 1),
        )
        AgreementScope.objects.create(agreement=agreement, product_type="0701")
    assert [client.get(path).json()["count"] for path in paths] == [7, 6, 5, 5]
    assert queries() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/hk-lab-harbour",
        "/api/v1/accreditations/HOKLAS%20950",
        "/api/v1/designations/CNCA-CB-57",
        "/api/v1/agreements/AGR-2021-014",
    ],
)
def test_detail_query_budget(client: Client, path: str, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(5):
        assert client.get(path).status_code == 200


def test_list_queries_do_not_grow_with_the_page(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for number in range(40):
        accreditation = Accreditation.objects.create(
            id=f"HOKLAS {100 + number}",
            organisation_id="hk-lab-harbour",
            scheme="HOKLAS",
            granted="2021-01-01",
        )
        AccreditationScope.objects.create(accreditation=accreditation, product_type="0701")
        AccreditationEvent.objects.create(
            accreditation=accreditation, position=0, on="2022-01-01", status="active"
        )
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/accreditations?limit=500").json()
    assert body["count"] == 43 and len(body["items"]) == 43
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id["HOKLAS 100"]["events"] == [{"on": "2022-01-01", "status": "active"}]
