from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from cepa.accounts.models import ApiToken
from cepa.testing.personas import persona
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    make_registry()
    return Client()


def assert_json_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


def test_unknown_endpoint_is_json_404(client: Client) -> None:
    body = assert_json_error(client.get("/api/v1/no/such/thing"), 404, "NOT_FOUND")
    assert body["message"] == "no such endpoint: GET /api/v1/no/such/thing"


def test_wrong_method_is_json_405_with_allow(client: Client) -> None:
    response = client.delete("/api/v1/organisations")
    assert_json_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET"


def test_a_405_outside_the_api_is_left_as_it_is(client: Client) -> None:
    response = client.get("/accounts/logout/")  # Django's LogoutView takes POST only
    assert response.status_code == 405
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "header",
    ["Bearer nope", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer cepa_00000000_" + "x" * 43],
)
def test_bad_authorization_is_401_even_on_public_reads(client: Client, header: str) -> None:
    response = client.get("/api/v1/organisations", headers={"Authorization": header})
    assert_json_error(response, 401, "NOT_AUTHENTICATED")


def test_no_token_on_a_token_endpoint_is_401(client: Client) -> None:
    assert_json_error(client.get("/api/v1/me"), 401, "NOT_AUTHENTICATED")


def test_me_and_last_used(client: Client) -> None:
    applicant = persona("pearl", "applicant", "cn-lab-pearl")
    assert ApiToken.objects.get().last_used is None
    response = client.get("/api/v1/me", headers=applicant.headers)
    assert response.json() == {"username": "pearl", "role": "applicant", "organisation": "cn-lab-pearl"}
    assert ApiToken.objects.get().last_used is not None


def test_unexpected_error_is_logged_json_500(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in a selector")

    monkeypatch.setattr("cepa.bodies.selectors.organisations", explode)
    with caplog.at_level(logging.ERROR, logger="cepa.api"):
        response = client.get("/api/v1/organisations")
    body = assert_json_error(response, 500, "SERVER_ERROR")
    assert "boom" not in json.dumps(body) and "Traceback" not in response.content.decode()
    assert "boom in a selector" in caplog.text


def test_validation_errors_name_the_field(client: Client) -> None:
    body = assert_json_error(client.get("/api/v1/designations?in_force_on=2024-13-01"), 400, "BAD_REQUEST")
    assert [e["field"] for e in body["errors"]] == ["in_force_on"]
    assert body["message"].startswith("in_force_on: ")


def test_too_large_body_is_json_413(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    admin = persona("root", "admin").headers
    document = {"format": "cepa-registry/1", "organisations": [{"id": "x" * 200}]}
    response = client.post(
        "/api/v1/import", data=json.dumps(document), content_type="application/json", headers=admin
    )
    assert_json_error(response, 413, "PAYLOAD_TOO_LARGE")
