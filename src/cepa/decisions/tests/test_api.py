"""GET /api/v1/decisions/{question}: 200 with the decision either way, 400 for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.decisions.services import decide

pytestmark = pytest.mark.usefixtures("registry")

URL = "/api/v1/decisions/"


def get(client: Client, question: str, **params: str) -> Any:
    return client.get(URL + question, params)


def test_allowed_is_200_with_the_cli_json(client: Client) -> None:
    response = get(client, "testing", subject="hk-lab-a", product_type="0701", on="2026-05-20")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    expected = decide("testing", subject="hk-lab-a", product_type="0701", on="2026-05-20").to_json()
    assert response.json() == expected


def test_refused_is_200_too(client: Client) -> None:
    response = get(
        client, "testing", subject="hk-lab-a", product_type="0915", on="2026-05-01", lang="zh-Hant"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False
    assert [r["code"] for r in body["reasons"] if not r["holds"]] == ["ACCREDITATION_SUSPENDED"]
    assert "暫停" in response.content.decode("utf-8")


def test_every_question(client: Client) -> None:
    inspection = get(
        client, "inspection", subject="CCAA-0001", org="hk-cb-b", product_type="0702", on="2025-06-01"
    )
    assert (inspection.status_code, inspection.json()["org"]) == (200, "hk-cb-b")
    designation = get(
        client, "designation", subject="cn-lab-m", product_type="0915", at="2026-06-05T10:00:00+08:00"
    )
    assert designation.status_code == 200
    assert designation.json()["window"] == {
        "opens": "2026-06-02T09:00:00+08:00",
        "closes": "2026-06-12T17:00:00+08:00",
    }
    enquiry = get(client, "enquiry", product_type="0701")
    assert (enquiry.status_code, enquiry.json()["sector"]) == (200, "electrical_electronic")


def test_timestamp_with_plus_sign_in_query(client: Client) -> None:
    response = client.get(
        URL + "designation?subject=cn-lab-m&product_type=0915&at=2026-06-05T10:00:00%2B08:00"
    )
    assert response.status_code == 200
    assert response.json()["at"] == "2026-06-05T10:00:00+08:00"


@pytest.mark.parametrize(
    ("question", "params", "field"),
    [
        ("testing", {"subject": "nobody", "product_type": "0701"}, "subject"),
        ("testing", {"subject": "hk-lab-a", "product_type": "9999"}, "product_type"),
        ("testing", {"subject": "hk-lab-a"}, "product_type"),
        ("testing", {"subject": "hk-lab-a", "product_type": "0701", "on": "2026-02-30"}, "on"),
        ("testing", {"subject": "hk-lab-a", "product_type": "0701", "on": ""}, "on"),
        ("testing", {"subject": "hk-lab-a", "product_type": "0701", "at": "2026-01-01T00:00"}, "at"),
        ("designation", {"subject": "cn-lab-m", "product_type": "0915", "at": "2026-06-05"}, "at"),
        ("enquiry", {"product_type": "0701", "lang": "de"}, "lang"),
        ("enquiry", {"product_type": "0701", "colour": "red"}, "colour"),
        ("licensing", {"product_type": "0701"}, "question"),
        ("testing", {"subject": "hk\x00lab", "product_type": "0701"}, "subject"),
        ("inspection", {"subject": "CCAA-0001", "org": "\x00", "product_type": "0701"}, "org"),
        ("testing", {"subject": "hk-lab-a", "product_type": "\u0660\u0667\u0660\u0661"}, "product_type"),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": "\u0662\u0660\u0662\u0666-01-01"},
            "on",
        ),
    ],
)
def test_bad_input_is_400_json(client: Client, question: str, params: dict[str, str], field: str) -> None:
    response = get(client, question, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert body["message"].startswith(f"{field}: ")
    assert body["errors"][0]["field"] == field


def test_unknown_code_message(client: Client) -> None:
    body = get(client, "enquiry", product_type="9999").json()
    assert (
        body["message"] == "product_type: unknown product type code '9999': no catalogue version has had it"
    )


def test_openapi_documents_the_endpoint(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/decisions/{question}"]["get"]
    names = [p["name"] for p in operation["parameters"]]
    assert names == ["question", "subject", "org", "product_type", "on", "at", "lang"]
    ok = operation["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/DecisionOut"}
    assert set(ok["examples"]) == {"testing", "designation", "enquiry"}
    bad = operation["responses"]["400"]["content"]["application/json"]
    assert bad["schema"] == {"$ref": "#/components/schemas/BadRequestOut"}
    decision_schema = schema["components"]["schemas"]["DecisionOut"]
    assert {"question", "subject", "product_type", "allowed", "reasons"} <= set(decision_schema["required"])
