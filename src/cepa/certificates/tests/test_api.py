"""The API's certificates: public reads (with their query budgets), writes by the owners in the
contract's order of errors, refusals that change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.certificates.models import Certificate, CertificateEvent, TestReport
from cepa.certificates.tests.conftest import NUMBER, certificate, inspection, report
from cepa.decisions.services import decide
from cepa.history.models import Change
from cepa.testing import VERSION_QUERY
from cepa.testing.personas import Persona

URL = "/api/v1/certificates"


def post(persona: Persona, path: str, body: Any) -> Any:
    return Client().post(path, json.dumps(body), content_type="application/json", headers=persona.headers)


@pytest.fixture
def many(chain: Certificate) -> None:
    """Five more certificates, one suspended, one of a Mainland laboratory and another product type."""
    report("HV-2025-0002", "hk-lab-harbour", "2025-05-02")
    report("PR-2022-0001", "cn-lab-pearl", "2022-01-05", product_type="2301")
    for serial in range(2, 6):
        certificate(
            f"20255707010000{serial:02d}",
            "2025-06-02",
            "2030-06-01",
            ["HV-2025-0002"],
            events=[("2026-01-01", "suspended")] if serial == 2 else [],
            holder="Kowloon Kettles Ltd" if serial == 3 else "Pearl Appliances Ltd",
        )
    certificate("2022572301000001", "2022-02-01", "2027-01-31", ["PR-2022-0001"], product_type="2301")


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_list_filters_and_pages(many: None, django_assert_max_num_queries: Any) -> None:
    client = Client()
    with django_assert_max_num_queries(10):
        page = client.get(URL, {"limit": "2", "on": "2026-12-06"}).json()
    assert page["count"] == 6
    assert [item["id"] for item in page["items"]] == ["2022572301000001", "2025570701000001"]
    assert page["items"][1]["test_reports"][0]["laboratory"] == "hk-lab-harbour"
    assert page["items"][1]["factory_inspections"][0]["inspectors"] == ["2024-CCC-HK-0007"]
    assert numbers(client.get(URL, {"laboratory": "cn-lab-pearl"})) == ["2022572301000001"]
    assert numbers(client.get(URL, {"inspector": "2024-CCC-HK-0007"})) == [NUMBER]
    assert numbers(client.get(URL, {"holder": "kowloon"})) == ["2025570701000003"]
    assert numbers(client.get(URL, {"product_type": "2301"})) == ["2022572301000001"]
    assert numbers(client.get(URL, {"issuer": "hk-cb-lionrock"})) == []
    assert numbers(client.get(URL, {"status": "suspended", "on": "2026-01-01"})) == ["2025570701000002"]
    assert numbers(
        client.get(URL, {"status": "valid", "on": "2025-12-31", "laboratory": "hk-lab-harbour"})
    ) == [
        "2025570701000001",
        "2025570701000002",
        "2025570701000003",
        "2025570701000004",
        "2025570701000005",
    ]
    assert numbers(client.get(URL, {"status": "not_yet_valid", "on": "2025-06-01"})) == [
        "2025570701000002",
        "2025570701000003",
        "2025570701000004",
        "2025570701000005",
    ]
    bad = client.get(URL, {"status": "lost"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "BAD_REQUEST"


def test_the_detail_answers_with_the_decision(chain: Certificate, django_assert_max_num_queries: Any) -> None:
    with CaptureQueriesContext(connection) as decision_queries:
        expected = decide("certificate", subject=NUMBER, on="2026-12-06").to_json()
    with django_assert_max_num_queries(5 + len(decision_queries) + VERSION_QUERY):
        response = Client().get(f"{URL}/{NUMBER}", {"on": "2026-12-06"})
    body = response.json()
    assert body["status"] == "valid"
    assert body["holder"] == {"en": "Pearl Appliances Ltd"}
    assert body["decision"] == expected
    assert [n["code"] for n in body["decision"]["notices"]] == [
        "LABORATORY_NO_LONGER_ELIGIBLE",
        "INSPECTOR_NO_LONGER_ELIGIBLE",
    ]


@pytest.mark.parametrize("number", ["2025570701000009", "12345", "not-a-number"])
def test_unknown_or_malformed_is_404_saying_how_numbers_are_formed(chain: Certificate, number: str) -> None:
    response = Client().get(f"{URL}/{number}")
    assert response.status_code == 404
    assert response.json()["message"] == (
        f"no certificate numbered {number}. A CCC certificate number has 16 digits: the year (4 digits), the "
        "issuing body's CNCA code (2), the product type's code (4) and a serial number (6), for example "
        "2026010701000123."
    )


def test_issue_through_the_api(registry: None, east_staff: Persona) -> None:
    report("HV-2025-0001", "hk-lab-harbour", "2025-05-01")
    inspection("FI-2025-0001", "hk-cb-lionrock", "2025-05-15", ["2024-CCC-HK-0007"])
    body = {
        "issuer": "cn-cb-east",
        "holder": {"en": "Pearl Appliances Ltd"},
        "product_type": "0701",
        "issued": "2025-06-01",
        "expires": "2030-05-31",
        "test_reports": ["HV-2025-0001"],
        "factory_inspections": ["FI-2025-0001"],
    }
    response = post(east_staff, URL, body)
    assert response.status_code == 201, response.content
    assert response.json()["id"] == NUMBER
    refused = post(east_staff, URL, {**body, "issued": "2025-04-01"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "CHAIN_NOT_ELIGIBLE"
    assert refused.json()["failing"] == ["CHAIN_BEFORE_ISSUE"]
    assert list(Certificate.objects.values_list("pk", flat=True)) == [NUMBER]


def test_writes_in_the_contracts_order(
    chain: Certificate, east_staff: Persona, lionrock_staff: Persona, lab_staff: Persona, anonymous: Persona
) -> None:
    changes = Change.objects.count()
    status = f"{URL}/{NUMBER}/status"
    assert post(anonymous, status, {"action": "suspend", "reason": "x"}).status_code == 401
    assert post(lionrock_staff, status, {"action": "suspend", "reason": "x"}).status_code == 403
    assert post(lionrock_staff, status, {"action": "pause"}).status_code == 403  # before the body is judged
    assert post(east_staff, f"{URL}/2025570701000099/status", {"action": "suspend"}).status_code == 404
    assert post(east_staff, status, {"action": "suspend"}).status_code == 400
    assert post(east_staff, status, {"action": "reinstate", "reason": "x"}).status_code == 409
    assert post(lab_staff, URL, {"issuer": "cn-cb-east"}).status_code == 403
    assert post(east_staff, "/api/v1/test-reports", {"laboratory": "hk-lab-harbour"}).status_code == 403
    assert (
        post(lab_staff, "/api/v1/factory-inspections", {"organisation": "hk-cb-lionrock"}).status_code == 403
    )
    assert Change.objects.count() == changes
    assert CertificateEvent.objects.count() == 0
    done = post(east_staff, status, {"action": "suspend", "reason": "follow-up failed", "on": "2026-12-01"})
    assert done.status_code == 200, done.content
    assert done.json()["events"] == [
        {"on": "2026-12-01", "status": "suspended", "reason": "follow-up failed"}
    ]
    assert done.json()["status"] == "suspended"


def test_records_through_the_api(registry: None, lab_staff: Persona, lionrock_staff: Persona) -> None:
    created = post(
        lab_staff,
        "/api/v1/test-reports",
        {
            "id": "HV-2026-0412",
            "laboratory": "hk-lab-harbour",
            "product_type": "0701",
            "issued": "2026-03-02",
            "certification_body": "cn-cb-east",
        },
    )
    assert created.status_code == 201, created.content
    assert Client().get("/api/v1/test-reports/HV-2026-0412").json()["certification_body"] == "cn-cb-east"
    inspected = post(
        lionrock_staff,
        "/api/v1/factory-inspections",
        {
            "id": "FI-2026-88",
            "organisation": "hk-cb-lionrock",
            "on_behalf_of": "cn-cb-east",
            "inspectors": ["2024-CCC-HK-0007"],
            "product_type": "0701",
            "on": "2026-03-20",
        },
    )
    assert inspected.status_code == 201, inspected.content
    assert Client().get("/api/v1/factory-inspections/FI-2026-88").json()["inspectors"] == ["2024-CCC-HK-0007"]
    again = post(
        lab_staff,
        "/api/v1/test-reports",
        {
            "id": "HV-2026-0412",
            "laboratory": "hk-lab-harbour",
            "product_type": "0701",
            "issued": "2026-03-02",
            "certification_body": "cn-cb-east",
        },
    )
    assert again.status_code == 409
    assert TestReport.objects.count() == 1
