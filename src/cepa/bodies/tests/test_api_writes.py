"""PUT of registry records and POST /import: administrators only, through the importer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cepa.accounts.services import revoke_token
from cepa.bodies.models import Organisation
from cepa.history.models import Change, ChangeSet
from cepa.interchange.services import export_document
from cepa.testing.personas import persona
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db

NEW_LAB = {"id": "hk-lab-new", "name": {"en": "New Testing Ltd"}, "kind": "laboratory", "seat": "HK"}


@pytest.fixture
def client() -> Client:
    make_registry()
    return Client()


@pytest.fixture
def admin() -> dict[str, str]:
    return persona("root", "admin").headers


def put(client: Client, path: str, body: object, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body)
    return client.put(path, data=data, content_type="application/json", headers=headers or {})


def snapshot() -> tuple[dict, int]:
    return export_document(), ChangeSet.objects.count()


@pytest.mark.parametrize(
    ("role", "organisation", "status"),
    [
        (None, None, 401),
        ("applicant", "hk-lab-harbour", 403),
        ("hkas_officer", None, 403),
        ("cnca_officer", None, 403),
        ("ccaa_registrar", None, 403),
    ],
)
def test_only_administrators_write(
    client: Client, role: str | None, organisation: str | None, status: int
) -> None:
    headers = persona("someone", role, organisation).headers if role else {}
    before = snapshot()

    response = put(client, "/api/v1/organisations/hk-lab-new", NEW_LAB, headers)

    assert response.status_code == status
    assert response.json()["code"] == {401: "NOT_AUTHENTICATED", 403: "FORBIDDEN"}[status]
    assert snapshot() == before
    imported = client.post(
        "/api/v1/import",
        data=json.dumps({"format": "cepa-registry/1", "organisations": [NEW_LAB]}),
        content_type="application/json",
        headers=headers,
    )
    assert imported.status_code == status
    assert snapshot() == before


def test_admin_creates_then_replaces_an_organisation(client: Client, admin: dict[str, str]) -> None:
    created = put(client, "/api/v1/organisations/hk-lab-new", NEW_LAB, admin)
    assert created.status_code == 201
    assert created.json() == {**NEW_LAB, "hk_invested": False}

    replaced = put(
        client,
        "/api/v1/organisations/hk-lab-new",
        {
            "name": {"en": "Renamed Testing Ltd"},
            "kind": "laboratory",
            "seat": "MAINLAND",
            "hk_invested": True,
        },
        admin,
    )
    assert replaced.status_code == 200
    assert replaced.json() == {
        "id": "hk-lab-new",
        "name": {"en": "Renamed Testing Ltd"},
        "kind": "laboratory",
        "seat": "MAINLAND",
        "hk_invested": True,
    }
    changes = list(
        Change.objects.filter(record_type="organisations", record_id="hk-lab-new").select_related("changeset")
    )
    assert [(c.action, c.changeset.actor, c.changeset.channel) for c in changes] == [
        ("create", "user:root", "api"),
        ("update", "user:root", "api"),
    ]


def test_an_organisation_publishes_its_contact_details(client: Client, admin: dict[str, str]) -> None:
    contact = {
        "address": {"en": "1 Harbour Road, Kowloon", "zh-Hant": "九龍海港道 1 號"},
        "phone": "+852 2345 6789",
        "email": "ccc@new.example",
        "website": "https://new.example/",
    }
    created = put(client, "/api/v1/organisations/hk-lab-new", {**NEW_LAB, "contact": contact}, admin)
    assert created.status_code == 201, created.content
    assert created.json() == {**NEW_LAB, "hk_invested": False, "contact": contact}
    assert client.get("/api/v1/organisations/hk-lab-new").json()["contact"] == contact
    listed = client.get("/api/v1/organisations?q=hk-lab-new").json()["items"]
    assert [o.get("contact") for o in listed] == [contact]
    before = snapshot()
    refused = put(client, "/api/v1/organisations/hk-lab-new", {**NEW_LAB, "contact": {"email": ""}}, admin)
    assert (refused.status_code, refused.json()["errors"]) == (
        400,
        [{"field": "/contact/email", "message": "must not be empty"}],
    )
    assert snapshot() == before


def test_put_accreditation_with_space_and_slash_in_its_id(client: Client, admin: dict[str, str]) -> None:
    record = {
        "organisation": "hk-cb-lionrock",
        "scheme": "HKCAS",
        "scope": ["0701", "0702"],
        "granted": "2019-01-15",
        "events": [{"on": "2024-01-01", "status": "suspended", "scope": ["0702"]}],
    }
    response = put(client, "/api/v1/accreditations/HKCAS%20012/A", record, admin)
    assert response.status_code == 200
    assert response.json() == {"id": "HKCAS 012/A", **record}
    assert client.get("/api/v1/accreditations/HKCAS%20012/A").json() == {"id": "HKCAS 012/A", **record}


def test_put_designation_and_agreement(client: Client, admin: dict[str, str]) -> None:
    designation = {
        "organisation": "cn-cb-east",
        "role": "certification_body",
        "product_types": ["0701"],
        "from": "2020-01-01",
        "until": "2030-12-31",
    }
    assert put(client, "/api/v1/designations/CNCA-CB-99", designation, admin).status_code == 201
    agreement = {
        "id": "AGR-9",
        "kind": "sampling",
        "party": "hk-cb-lionrock",
        "counterparty": "cn-cb-east",
        "product_types": ["0701"],
        "from": "2024-01-01",
    }
    response = put(client, "/api/v1/agreements/AGR-9", agreement, admin)
    assert (response.status_code, response.json()) == (201, agreement)


def test_id_in_the_body_must_match_the_path(client: Client, admin: dict[str, str]) -> None:
    before = snapshot()
    response = put(client, "/api/v1/organisations/hk-lab-new", {**NEW_LAB, "id": "other"}, admin)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "id", "message": "the body's id 'other' is not the id in the path 'hk-lab-new'"}
    ]
    assert snapshot() == before


def test_importer_problems_point_into_the_body(client: Client, admin: dict[str, str]) -> None:
    before = snapshot()
    record = {
        "kind": "testing",
        "party": "hk-lab-harbour",
        "counterparty": "nobody",
        "product_types": ["0701"],
        "from": "2024-01-01",
        "colour": "red",
    }
    response = put(client, "/api/v1/agreements/AGR-X", record, admin)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "IMPORT_REFUSED"
    fields = [error["field"] for error in body["errors"]]
    assert "/counterparty" in fields and "/colour" in fields
    assert snapshot() == before


def test_nul_characters_are_refused(client: Client, admin: dict[str, str]) -> None:
    before = snapshot()
    response = put(client, "/api/v1/organisations/hk-lab-new", {**NEW_LAB, "note": "a\u0000b"}, admin)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "/note", "message": "text may not contain NUL characters"}]
    assert snapshot() == before


def test_checks_run_in_the_contract_order(client: Client) -> None:
    applicant = persona("app", "applicant", "hk-lab-harbour").headers
    # 401 before 400: no token and a malformed body.
    assert put(client, "/api/v1/organisations/x", "{not json").status_code == 401
    # 403 before 400: the wrong role and a malformed body.
    assert put(client, "/api/v1/organisations/x", "{not json", applicant).status_code == 403
    # 400 for an administrator.
    admin = persona("root", "admin").headers
    response = put(client, "/api/v1/organisations/x", "{not json", admin)
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
    response = put(client, "/api/v1/organisations/x", "[1, 2]", admin)
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"


def test_revoked_token_is_401(client: Client) -> None:
    root = persona("root", "admin")
    revoke_token(actor="test", prefix="_".join(root.token.split("_")[:2]))
    response = put(client, "/api/v1/organisations/hk-lab-new", NEW_LAB, root.headers)
    assert response.status_code == 401
    assert not Organisation.objects.filter(pk="hk-lab-new").exists()


def test_import_a_whole_document(client: Client, admin: dict[str, str]) -> None:
    document = {
        "format": "cepa-registry/1",
        "organisations": [NEW_LAB],
        "agreements": [
            {
                "id": "AGR-NEW",
                "kind": "testing",
                "party": "hk-lab-new",
                "counterparty": "cn-cb-east",
                "product_types": ["0701"],
                "from": "2025-01-01",
            }
        ],
    }
    response = client.post(
        "/api/v1/import", data=json.dumps(document), content_type="application/json", headers=admin
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 0, 0)
    assert body["counts"]["agreements"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert ChangeSet.objects.get(pk=body["changeset_id"]).actor == "user:root"

    again = client.post(
        "/api/v1/import", data=json.dumps(document), content_type="application/json", headers=admin
    )
    assert again.json()["unchanged"] == 2 and again.json()["changeset_id"] is None


def test_import_refused_writes_nothing(client: Client, admin: dict[str, str]) -> None:
    before = snapshot()
    document = {"format": "cepa-registry/1", "organisations": [NEW_LAB, {**NEW_LAB, "seat": "MOON"}]}
    response = client.post(
        "/api/v1/import", data=json.dumps(document), content_type="application/json", headers=admin
    )
    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert "/organisations/1/seat" in fields
    assert snapshot() == before
