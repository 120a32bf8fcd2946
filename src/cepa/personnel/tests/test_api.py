from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.personnel.selectors import beijing_today
from cepa.testing import VERSION_QUERY
from cepa.testing.personas import persona
from cepa.testing.registries import PERSONAL, make_registry

pytestmark = pytest.mark.django_db

PUBLIC_KEYS = {
    "id",
    "name",
    "grade",
    "specialties",
    "registered",
    "expires",
    "affiliations",
    "status",
    "current_grade",
    "registration_valid",
    "organisation",
    "as_of",
}


@pytest.fixture
def client() -> Client:
    make_registry()
    return Client()


def personal_strings() -> list[str]:
    values = [str(value) for value in PERSONAL.values()]
    return [*values, "1979", "date_of_birth", "identity_document", "email", "phone"]


def assert_no_personal_data(text: str) -> None:
    leaks = [value for value in personal_strings() if value in text]
    assert leaks == []


def test_inspector_detail_has_public_fields_only(client: Client) -> None:
    response = client.get("/api/v1/inspectors/2024-CCC-HK-0007")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_KEYS | {"history"}
    assert body["history"] == [
        {"on": "2024-05-01", "event": "registered", "from": None, "to": "inspector"},
        {"on": "2024-05-01", "event": "affiliated", "from": None, "to": "hk-cb-lionrock"},
        {"on": "2025-01-10", "event": "status", "from": "active", "to": "suspended"},
        {"on": "2025-02-10", "event": "status", "from": "suspended", "to": "active"},
        {"on": "2025-03-01", "event": "grade", "from": "inspector", "to": "senior"},
    ]
    # The reasons of status changes are personal matters: not shown to the public.
    assert "late annual confirmation" not in response.content.decode()
    assert body["name"] == {"en": "Wong Ka Yan", "zh-Hant": "黃嘉欣"}
    assert (body["grade"], body["current_grade"], body["status"]) == ("inspector", "senior", "active")
    assert (body["organisation"], body["registration_valid"]) == ("hk-cb-lionrock", True)
    assert body["affiliations"] == [{"organisation": "hk-cb-lionrock", "from": "2024-05-01"}]
    assert dt.date.fromisoformat(body["as_of"]) == beijing_today()
    assert_no_personal_data(response.content.decode())


def test_no_personal_data_in_any_anonymous_inspector_response(client: Client) -> None:
    # The stored row does hold the personal data the responses must not show.
    assert Inspector.objects.get(pk="2024-CCC-HK-0007").email == PERSONAL["email"]
    paths = [
        "/api/v1/inspectors",
        "/api/v1/inspectors?limit=500",
        "/api/v1/inspectors?q=wong",
        "/api/v1/inspectors?organisation=hk-cb-lionrock",
        "/api/v1/inspectors/2024-CCC-HK-0007",
        "/api/v1/inspectors/" + quote("2023/CCC/0001", safe=""),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_personal_data(response.content.decode())


def test_no_personal_data_for_an_administrator_either(client: Client) -> None:
    admin = persona("root", "admin").headers
    response = client.get("/api/v1/inspectors", headers=admin)
    assert_no_personal_data(response.content.decode())


def test_openapi_documents_no_personal_field(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["InspectorOut"]["properties"]) == PUBLIC_KEYS
    assert set(schemas["InspectorDetailOut"]["properties"]) == PUBLIC_KEYS | {"history"}
    assert set(schemas["LookupOut"]["properties"]).isdisjoint(PERSONAL)


def test_inspector_id_with_slashes(client: Client) -> None:
    response = client.get("/api/v1/inspectors/2023/CCC/0001")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["grade"], body["organisation"]) == ("2023/CCC/0001", "provisional", None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["2023/CCC/0001", "2024-CCC-HK-0007"]),
        ("q=chan", ["2023/CCC/0001"]),
        ("q=" + quote("黃嘉欣"), ["2024-CCC-HK-0007"]),
        ("q=HK-0007", ["2024-CCC-HK-0007"]),
        ("organisation=hk-cb-lionrock", ["2024-CCC-HK-0007"]),
        ("organisation=cn-cb-east", []),  # that affiliation ended in 2024
        ("limit=1&offset=1", ["2024-CCC-HK-0007"]),
    ],
)
def test_inspector_filters(client: Client, query: str, expected: list[str]) -> None:
    response = client.get(f"/api/v1/inspectors?{query}")
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == expected
    assert response.json()["count"] == (2 if query.startswith("limit") else len(expected))


def test_unknown_inspector_is_404(client: Client) -> None:
    response = client.get("/api/v1/inspectors/nobody")
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")


def test_inspector_query_budgets(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/inspectors?limit=500").status_code == 200
    with django_assert_max_num_queries(5 + VERSION_QUERY):
        assert client.get("/api/v1/inspectors/2024-CCC-HK-0007").status_code == 200


def test_inspector_list_queries_do_not_grow_with_the_page(client: Client) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/inspectors?limit=500")
        assert response.status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        inspector = Inspector.objects.create(
            id=f"2025-CCC-HK-{n:04}",
            name_en=f"Extra {n}",
            grade="inspector",
            specialties=["07"],
            registered=dt.date(2025, 1, 1),
            expires=dt.date(2027, 12, 31),
        )
        Affiliation.objects.create(
            inspector=inspector, organisation_id="hk-cb-lionrock", valid_from=dt.date(2025, 1, 1)
        )
        InspectorEvent.objects.create(inspector=inspector, position=0, on=dt.date(2025, 6, 1), grade="senior")
    assert client.get("/api/v1/inspectors?limit=500").json()["count"] == 7
    assert queries() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), ("applicant", 403), ("ccaa_registrar", 403), ("cnca_officer", 403), ("admin", 201)],
)
def test_put_inspector_only_for_administrators(client: Client, role: str | None, status: int) -> None:
    headers = (
        persona("someone", role, "hk-cb-lionrock" if role == "applicant" else None).headers if role else {}
    )
    record = {
        "name": {"en": "Lee Siu Ming"},
        "grade": "inspector",
        "specialties": ["09"],
        "registered": "2025-01-01",
        "expires": "2099-12-31",
        "affiliations": [{"organisation": "hk-cb-lionrock", "from": "2025-01-01"}],
    }
    response = client.put(
        "/api/v1/inspectors/2025/CCC/0002",
        data=json.dumps(record),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status
    assert Inspector.objects.filter(pk="2025/CCC/0002").exists() == (status == 201)
    if status == 201:
        assert response.json()["organisation"] == "hk-cb-lionrock"


def test_put_inspector_keeps_personal_data_and_does_not_show_it(client: Client) -> None:
    admin = persona("root", "admin").headers
    record = {
        "name": {"en": "Wong Ka Yan"},
        "grade": "inspector",
        "specialties": ["07", "0915"],
        "registered": "2024-05-01",
        "expires": "2099-04-30",
        "affiliations": [{"organisation": "hk-cb-lionrock", "from": "2024-05-01"}],
    }
    response = client.put(
        "/api/v1/inspectors/2024-CCC-HK-0007",
        data=json.dumps(record),
        content_type="application/json",
        headers=admin,
    )
    assert response.status_code == 200
    assert response.json()["specialties"] == ["07", "0915"]
    assert_no_personal_data(response.content.decode())
    assert Inspector.objects.get(pk="2024-CCC-HK-0007").identity_document == PERSONAL["identity_document"]
