"""Personal data: never in a public response or a public file; read only by the registrar and the
inspector's own body's staff, and every such read is logged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from cepa.history.models import Change
from cepa.interchange.services import document_json, export_document
from cepa.personnel.models import Inspector, PersonalDataAccess
from cepa.personnel.services import transfers
from cepa.personnel.tests.conftest import NUMBER, PERSONAL, D
from cepa.testing.personas import Persona, sign_in

pytestmark = pytest.mark.django_db

FIELD_NAMES = ("date_of_birth", "identity_document", "email", "phone")


def leaks(text: str) -> list[str]:
    values = [str(value) for value in PERSONAL.values()]
    return [s for s in (*values, PERSONAL["date_of_birth"].strftime("%Y/%m/%d"), *FIELD_NAMES) if s in text]


@pytest.fixture
def register(inspector: Inspector) -> Inspector:
    """The journey's inspector, plus an approved transfer and a renewal-free history, so every
    endpoint has something to show."""
    transfer = transfers.request_transfer(
        actor="user:staff_b", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2027-06-01")
    )
    transfers.review_transfer(actor="user:registrar", transfer_id=transfer.pk, action="refuse", reason="no")
    return inspector


def inspector_paths(client: Client) -> list[tuple[str, str]]:
    """Every operation of the API document on inspectors or transfers, with the ids filled in."""
    document = client.get("/api/v1/openapi.json").json()
    transfer = transfers.request_transfer(
        actor="test", inspector_id=NUMBER, to_organisation="cn-cb-c", effective=D("2027-06-01")
    )
    found: list[tuple[str, str]] = []
    for path, operations in document["paths"].items():
        if "/inspectors" not in path and "/transfers" not in path:
            continue
        filled = path.replace("{record_id}", NUMBER).replace("{transfer_id}", str(transfer.pk))
        found.extend((method.upper(), filled) for method in operations)
    return found


def test_no_personal_data_in_any_anonymous_response(register: Inspector, personas: Any) -> None:
    client = Client()
    assert Inspector.objects.get(pk=NUMBER).identity_document == PERSONAL["identity_document"]
    paths = inspector_paths(client)
    assert len(paths) >= 14
    queries = {
        "/api/v1/inspectors": ["", "?q=ho", "?organisation=hk-cb-a&limit=500"],
        "/api/v1/inspectors/lookup": [
            f"?number={NUMBER}",
            "?name=Ho%20Wing&organisation=hk-cb-a",
            f"?number={NUMBER}&lang=zh-Hant",
            f"?number={NUMBER}&on=2026-01-01&lang=zh-Hans",
        ],
    }
    for method, path in paths:
        for query in queries.get(path, [""]):
            if method == "GET":
                response = client.get(path + query)
            else:
                response = client.generic(method, path, data=json.dumps({}), content_type="application/json")
            assert response["Content-Type"].startswith("application/json"), (method, path)
            assert leaks(response.content.decode()) == [], (method, path, query)
            if method != "GET" or "personal-data" in path or "transfers" in path:
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code == 200, (method, path, query)
    # The public pages: the lookup by number and by name with the body, the body's page, open data.
    pages = [
        f"/inspectors/?number={quote(NUMBER)}",
        "/inspectors/?name=Ho&body=hk-cb-a",
        "/bodies/hk-cb-a/",
        "/open-data/cepa-registry.json",
        "/open-data/inspectors.csv",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        assert leaks(text) == [], page
    assert NUMBER in client.get(f"/inspectors/?number={quote(NUMBER)}").content.decode()


def test_no_personal_data_in_the_export_or_the_public_history(register: Inspector) -> None:
    exported = document_json(export_document())
    assert NUMBER in exported
    assert leaks(exported) == []
    history = Client().get(f"/api/v1/history/{NUMBER}").content.decode()
    assert NUMBER in history
    assert leaks(history) == []


def _read(who: Persona | None) -> Any:
    return Client().get(f"/api/v1/inspectors/{NUMBER}/personal-data", headers=who.headers if who else {})


def test_the_registrar_and_the_current_body_read_it_and_each_read_is_logged(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    for name in ("registrar", "staff_a"):
        response = _read(personas(name))
        assert response.status_code == 200
        assert response.json() == {
            "id": NUMBER,
            "date_of_birth": "1971-03-09",
            "identity_document": "R4455667",
            "email": "ho.wing@example.hk",
            "phone": "+852 5550 9876",
        }
    log = list(
        PersonalDataAccess.objects.order_by("id").values_list("actor", "inspector_id", "fields", "channel")
    )
    assert log == [
        ("user:registrar", NUMBER, list(FIELD_NAMES), "api"),
        ("user:staff_a", NUMBER, list(FIELD_NAMES), "api"),
    ]
    accesses = Client().get(
        f"/api/v1/inspectors/{NUMBER}/personal-data/accesses", headers=personas("registrar").headers
    )
    assert [(a["actor"], a["fields"]) for a in accesses.json()] == [
        ("user:registrar", list(FIELD_NAMES)),
        ("user:staff_a", list(FIELD_NAMES)),
    ]
    assert (
        Client()
        .get(f"/api/v1/inspectors/{NUMBER}/personal-data/accesses", headers=personas("staff_a").headers)
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("staff_c", 403), ("staff_b", 403), ("cnca", 403), ("hkas", 403), ("admin", 403)],
)
def test_everybody_else_is_refused_and_nothing_is_logged(
    inspector: Inspector, personas: Callable[[str], Persona], who: str | None, status: int
) -> None:
    response = _read(personas(who) if who else None)
    assert (response.status_code, leaks(response.content.decode())) == (status, [])
    assert not PersonalDataAccess.objects.exists()


def test_an_old_body_loses_access_after_a_transfer(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    transfer = transfers.request_transfer(
        actor="t", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2025-06-01")
    )
    transfers.review_transfer(actor="t", transfer_id=transfer.pk, action="approve")
    assert _read(personas("staff_a")).status_code == 403
    assert _read(personas("staff_b")).status_code == 200


def test_unrelated_staff_may_not_change_anything(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    client = Client()
    staff_c = personas("staff_c").headers
    before = (
        list(Inspector.objects.values()),
        Change.objects.exclude(record_type__startswith="accounts").count(),
    )
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("patch", f"/api/v1/inspectors/{NUMBER}/personal-data", {"email": "x@example.hk"}),
        (
            "post",
            f"/api/v1/inspectors/{NUMBER}/status",
            {"status": "suspended", "on": "2026-01-01", "reason": "x"},
        ),
        (
            "post",
            f"/api/v1/inspectors/{NUMBER}/grade",
            {"grade": "senior", "on": "2026-01-01", "evidence": "x"},
        ),
        ("post", f"/api/v1/inspectors/{NUMBER}/renewals", {}),
        ("post", f"/api/v1/inspectors/{NUMBER}/confirmations", {}),
        (
            "post",
            f"/api/v1/inspectors/{NUMBER}/transfers",
            {"to_organisation": "cn-cb-b", "effective": "2026-07-01"},
        ),
        ("post", "/api/v1/inspectors/registrations", {"id": "X"}),
    ]
    for method, url, body in requests:
        response = getattr(client, method)(
            url, data=json.dumps(body), content_type="application/json", headers=staff_c
        )
        assert response.status_code == 403, url
    assert (
        list(Inspector.objects.values()),
        Change.objects.exclude(record_type__startswith="accounts").count(),
    ) == before
    assert not PersonalDataAccess.objects.exists()


def test_the_registrar_corrects_personal_data_without_putting_it_in_the_change_log(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    response = Client().patch(
        f"/api/v1/inspectors/{NUMBER}/personal-data",
        data=json.dumps({"email": "new.address@example.hk"}),
        content_type="application/json",
        headers=personas("registrar").headers,
    )
    assert (response.status_code, response.json()["email"]) == (200, "new.address@example.hk")
    change = Change.objects.filter(record_type="personnel.personal_data", record_id=NUMBER).last()
    assert change is not None and change.after == {"fields": ["email"]}
    assert "new.address" not in json.dumps([c.after for c in Change.objects.all()])
    bad = Client().patch(
        f"/api/v1/inspectors/{NUMBER}/personal-data",
        data=json.dumps({"email": "nope"}),
        content_type="application/json",
        headers=personas("registrar").headers,
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "email")


def test_the_admin_site_does_not_show_personal_data(inspector: Inspector) -> None:
    from django.contrib.auth import get_user_model

    from cepa.accounts.services import create_user

    create_user(actor="t", username="root", role="admin", password="a-long-password")
    client = Client()
    sign_in(client, get_user_model().objects.get(username="root"))
    page = client.get(f"/admin/personnel/inspector/{quote(NUMBER)}/change/")
    assert page.status_code == 200
    assert leaks(page.content.decode()) == []
