"""The certificate pages in three languages, the QR code, the printable view, the translated 404, the
bulk status download with its checksum, and the portal's writes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from django.test import Client

from cepa.certificates.models import Certificate, CertificateEvent
from cepa.certificates.tests.conftest import NUMBER, certificate, report
from cepa.history.models import Change
from cepa.testing.personas import Persona

PAGE = f"/certificates/{NUMBER}/"


def client_in(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "CCC certificate",
                "Status on 6 December 2026: Valid.",
                "Eligible when made",
                "Notice:",
                "Scan to check",
            ],
        ),
        ("zh-hant", ["CCC 證書", "有效", "完成時符合資格", "注意：", "掃描查核"]),
        ("zh-hans", ["CCC 证书", "有效", "完成时符合资格", "注意：", "扫描查核"]),
    ],
)
def test_the_page_in_three_languages(chain: Certificate, language: str, expected: list[str]) -> None:
    response = client_in(language).get(PAGE, {"on": "2026-12-06"})
    assert response.status_code == 200
    body = text(response)
    for phrase in expected:
        assert phrase in body
    assert body.count('">✓</span>') == 2  # the report and the inspector were eligible when made
    assert "<svg" in body
    assert f"http://testserver/certificates/{NUMBER}/" in body
    assert "hk-lab-harbour" in body and "2024-CCC-HK-0007" in body


def test_a_link_not_eligible_when_made_shows_a_cross(registry: None) -> None:
    report("HV-2026-0002", "hk-lab-harbour", "2026-03-02")  # after its testing agreement ended
    certificate("2026570701000001", "2026-04-01", "2031-03-31", ["HV-2026-0002"])
    body = text(Client().get("/certificates/2026570701000001/"))
    assert 'class="tag bad" aria-label="No">✗' in body


def test_the_qr_code_encodes_the_pages_url(chain: Certificate) -> None:
    import segno

    body = text(Client().get(PAGE))
    expected = segno.make(f"http://testserver{PAGE}", error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title=f"http://testserver{PAGE}"
    )
    assert expected in body


def test_the_printable_view(chain: Certificate) -> None:
    response = Client().get(f"{PAGE}print/")
    assert response.status_code == 200
    body = text(response)
    assert 'class="service-nav"' not in body
    assert "print.css" in body and "<svg" in body


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("en", "A CCC certificate number has 16 digits"),
        ("zh-hant", "CCC 證書編號共 16 位數字"),
        ("zh-hans", "CCC 证书编号共 16 位数字"),
    ],
)
@pytest.mark.parametrize("number", ["2025570701000099", "not-a-number"])
def test_unknown_or_malformed_is_a_translated_404(
    chain: Certificate, language: str, phrase: str, number: str
) -> None:
    response = client_in(language).get(f"/certificates/{number}/")
    assert response.status_code == 404
    assert phrase in text(response)


def test_the_number_box(chain: Certificate) -> None:
    assert Client().get("/certificates/", {"number": f" {NUMBER[:8]} {NUMBER[8:]} "})["Location"] == PAGE
    refused = Client().get("/certificates/", {"number": "12"})
    assert refused.status_code == 400
    assert "A CCC certificate number has 16 digits" in text(refused)
    assert 'action="/certificates/"' in text(Client().get("/"))


def test_the_bodys_page_counts_current_certificates_on_its_work(chain: Certificate) -> None:
    body = text(Client().get("/bodies/hk-lab-harbour/", {"on": "2026-12-06"}))
    assert "Current certificates resting on its work</dt><dd>1 " in body
    body = text(Client().get("/bodies/cn-lab-pearl/"))
    assert "Current certificates resting on its work</dt><dd>0 " in body


def _streamed(response: Any) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_bulk_status_download_streams_with_its_checksum(chain: Certificate) -> None:
    report("HV-2020-0001", "hk-lab-harbour", "2021-06-01")
    certificate(
        "2021570701000001", "2021-07-01", "2027-06-30", ["HV-2020-0001"], events=[("2026-01-05", "suspended")]
    )
    client = Client()
    response = client.get("/certificates/certificate-status.csv", {"on": "2026-12-06"})
    content = _streamed(response)
    assert response["Content-Disposition"] == 'attachment; filename="certificate-status-2026-12-06.csv"'
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows == [
        ["id", "status", "issuer", "product_type", "issued", "expires"],
        ["2021570701000001", "suspended", "cn-cb-east", "0701", "2021-07-01", "2027-06-30"],
        [NUMBER, "valid", "cn-cb-east", "0701", "2025-06-01", "2030-05-31"],
    ]
    checksum = client.get("/certificates/certificate-status.csv.sha256", {"on": "2026-12-06"})
    digest = hashlib.sha256(content).hexdigest()
    assert checksum.content.decode() == f"{digest}  certificate-status-2026-12-06.csv\n"
    assert checksum["X-Checksum-SHA256"] == digest
    json_response = client.get("/certificates/certificate-status.json", {"on": "2021-06-30"})
    document = json.loads(_streamed(json_response))
    assert document["on"] == "2021-06-30"
    assert [c["status"] for c in document["certificates"]] == ["not_yet_valid", "not_yet_valid"]
    assert client.get("/certificates/certificate-status.json", {"on": "2026-13-01"}).status_code == 400


# --- the portal ---------------------------------------------------------------------------------


def test_the_issuer_changes_a_status_in_the_portal(chain: Certificate, east_staff: Persona) -> None:
    client = east_staff.client()
    client.cookies["django_language"] = "zh-hant"
    page = client.get(f"/portal/certificates/{NUMBER}/")
    assert page.status_code == 200
    assert "變更其狀態" in text(page)
    refused = client.post(f"/portal/certificates/{NUMBER}/", {"action": "suspend", "reason": ""})
    assert refused.status_code == 400
    assert CertificateEvent.objects.count() == 0
    done = client.post(f"/portal/certificates/{NUMBER}/", {"action": "suspend", "reason": "follow-up failed"})
    assert done.status_code == 302
    assert list(CertificateEvent.objects.values_list("status", "reason")) == [
        ("suspended", "follow-up failed")
    ]
    conflict = client.post(f"/portal/certificates/{NUMBER}/", {"action": "suspend", "reason": "again"})
    assert conflict.status_code == 409
    assert CertificateEvent.objects.count() == 1


def test_the_portal_lists_affected_certificates(chain: Certificate, east_staff: Persona) -> None:
    body = text(east_staff.client().get("/portal/certificates/"))
    assert "Affected certificates" in body
    assert "is no longer eligible to test 0701" in body
    assert body.count(f'href="/portal/certificates/{NUMBER}/"') == 3  # two notices and the list


def test_the_workbench_lists_affected_certificates(
    chain: Certificate, cnca_officer: Persona, east_staff: Persona
) -> None:
    body = text(cnca_officer.client().get("/workbench/certificates/affected/", {"on": "2026-12-06"}))
    assert "1 current certificate on 6 December 2026 rests on a link that is no longer eligible." in body
    assert east_staff.client().get("/workbench/certificates/affected/").status_code == 403


def test_issue_from_the_portal_and_refusals_change_nothing(registry: None, east_staff: Persona) -> None:
    report("HV-2025-0001", "hk-lab-harbour", "2025-05-01")
    report("HV-2026-0002", "hk-lab-harbour", "2026-03-02")
    client = east_staff.client()
    form = {
        "holder_en": "Pearl Appliances Ltd",
        "product_type": "0701",
        "issued": "2026-04-01",
        "expires": "2031-03-31",
        "test_reports": ["HV-2026-0002"],
    }
    changes = Change.objects.count()
    refused = client.post("/portal/certificates/new/", form)
    assert refused.status_code == 422
    assert "REPORTS_ELIGIBLE, REPORTS_FOR_ISSUER" in text(refused)
    assert (Certificate.objects.count(), Change.objects.count()) == (0, changes)
    done = client.post(
        "/portal/certificates/new/", {**form, "issued": "2025-06-01", "test_reports": ["HV-2025-0001"]}
    )
    assert done.status_code == 302
    assert done["Location"] == f"/portal/certificates/{NUMBER}/"


def test_records_from_the_portal(registry: None, lab_staff: Persona, lionrock_staff: Persona) -> None:
    made = lab_staff.client().post(
        "/portal/test-reports/new/",
        {"id": "HV-1", "product_type": "0701", "issued": "2026-03-02", "certification_body": "cn-cb-east"},
    )
    assert made.status_code == 302
    inspected = lionrock_staff.client().post(
        "/portal/factory-inspections/new/",
        {
            "id": "FI-1",
            "on_behalf_of": "cn-cb-east",
            "inspectors": "2024-CCC-HK-0007",
            "product_type": "0701",
            "on": "2026-03-20",
        },
    )
    assert inspected.status_code == 302
    refused = lionrock_staff.client().post(
        "/portal/factory-inspections/new/",
        {
            "id": "FI-2",
            "on_behalf_of": "cn-cb-east",
            "inspectors": "nobody",
            "product_type": "0701",
            "on": "2026-03-20",
        },
    )
    assert refused.status_code == 400
    assert "no inspector with registration number nobody" in text(refused)
    assert lab_staff.client().get("/portal/factory-inspections/new/").status_code == 404
