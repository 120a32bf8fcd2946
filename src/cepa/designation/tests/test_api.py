from __future__ import annotations

import pytest
from django.test import Client

from cepa.testing.personas import persona
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    make_registry()
    return Client()


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_public_sees_published_plans_only(client: Client) -> None:
    assert ids(client.get("/api/v1/plans")) == ["2026-1"]
    assert client.get("/api/v1/plans/2027-draft").status_code == 404
    assert client.get("/api/v1/plans/2026-1").json() == {
        "id": "2026-1",
        "year": 2026,
        "role": "laboratory",
        "product_types": ["0915"],
        "published": "2026-06-01",
        "window": {"opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00"},
        "requires_expression_of_interest": True,
        "status": "published",
        "history": [],
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("applicant", ["2026-1"]),
        ("hkas_officer", ["2026-1"]),
        ("cnca_officer", ["2026-1", "2027-draft"]),
        ("admin", ["2026-1", "2027-draft"]),
    ],
)
def test_draft_plans_for_cnca_officers_and_administrators(
    client: Client, role: str, expected: list[str]
) -> None:
    headers = persona("someone", role, "cn-lab-pearl" if role == "applicant" else None).headers
    assert ids(client.get("/api/v1/plans", headers=headers)) == expected
    draft = client.get("/api/v1/plans/2027-draft", headers=headers)
    assert draft.status_code == (200 if "2027-draft" in expected else 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2026", ["2026-1"]),
        ("year=2027", ["2027-draft"]),
        ("role=laboratory", ["2026-1"]),
        ("status=draft", ["2027-draft"]),
    ],
)
def test_plan_filters(client: Client, query: str, expected: list[str]) -> None:
    admin = persona("root", "admin").headers
    assert ids(client.get(f"/api/v1/plans?{query}", headers=admin)) == expected


def test_expressions_of_interest_are_not_public(client: Client) -> None:
    for path in ("/api/v1/expressions-of-interest", "/api/v1/expressions-of-interest/EOI-2026-0031"):
        response = client.get(path)
        assert (response.status_code, response.json()["code"]) == (401, "NOT_AUTHENTICATED")


def test_applicant_sees_own_organisations_expressions_only(client: Client) -> None:
    applicant = persona("pearl", "applicant", "cn-lab-pearl").headers
    assert ids(client.get("/api/v1/expressions-of-interest", headers=applicant)) == ["EOI-2026-0031"]
    assert client.get("/api/v1/expressions-of-interest/EOI-2026-0031", headers=applicant).json() == {
        "id": "EOI-2026-0031",
        "organisation": "cn-lab-pearl",
        "year": 2026,
        "product_types": ["0915"],
        "submitted": "2026-03-20T11:15:00+08:00",
    }
    other = client.get("/api/v1/expressions-of-interest/EOI-2026-0040", headers=applicant)
    assert (other.status_code, other.json()["code"]) == (404, "NOT_FOUND")
    filtered = client.get("/api/v1/expressions-of-interest?organisation=cn-cb-east", headers=applicant)
    assert ids(filtered) == []


@pytest.mark.parametrize("role", ["hkas_officer", "cnca_officer", "ccaa_registrar", "admin"])
def test_officers_and_administrators_see_all_expressions(client: Client, role: str) -> None:
    headers = persona("someone", role).headers
    assert ids(client.get("/api/v1/expressions-of-interest", headers=headers)) == [
        "EOI-2026-0031",
        "EOI-2026-0040",
    ]
    assert ids(
        client.get("/api/v1/expressions-of-interest?organisation=cn-cb-east&year=2026", headers=headers)
    ) == ["EOI-2026-0040"]


def test_query_budgets(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    admin = persona("root", "admin").headers
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/plans?limit=500", headers=admin).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/expressions-of-interest?limit=500", headers=admin).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/plans/2026-1").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/expressions-of-interest/EOI-2026-0031", headers=admin).status_code == 200
