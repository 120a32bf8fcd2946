"""Certificates in a real browser: scan-to-verify a demo certificate (open the URL its QR code encodes),
issue one from the portal, and see it affected after its laboratory's accreditation is withdrawn; each
page checked with axe-core in the three languages and saved as a screenshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cepa.decisions.services import today_in_beijing
from cepa.demo.registry import demo_document
from cepa.interchange.services import import_document
from cepa.testing.personas import persona, sign_in_browser
from cepa.web.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-2026"
NUMBER = "2025810701000001"


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_document(actor="system:demo", document=demo_document(), reason="demo registry")
    persona("huaxia", "applicant", "cn-cb-huaxia", token=False, password=PASSWORD)
    persona("cnca", "cnca_officer", None, token=False, password=PASSWORD)


def sign_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    sign_in_browser(page, username, PASSWORD)


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_scan_to_verify_a_demo_certificate(page: Any, demo: None, live_server: Any, language: str) -> None:
    page.goto(f"/language/{language}/?next=/")
    page.locator("main form[role=search] input[name=number]").fill(NUMBER)
    page.locator("main form[role=search] button").click()
    assert page.url.endswith(f"/certificates/{NUMBER}/")
    # The QR code encodes the page's absolute URL (the page prints it under the code); a phone that
    # scans it opens exactly this.
    scanned = page.locator("figure.qr figcaption a").get_attribute("href")
    assert scanned == f"{live_server.url}/certificates/{NUMBER}/"
    assert page.locator("figure.qr svg").count() == 1
    page.goto(scanned)
    assert page.locator("table tbody tr").count() == 2  # the report and the inspector
    assert page.locator("table .tag.ok").count() == 2
    assert axe_violations(page) == []
    screenshot(page, f"certificate-verified-{language}")
    page.goto(f"/certificates/{NUMBER}/print/")
    assert page.locator("header.site-header").count() == 0
    assert axe_violations(page) == []
    page.goto("/certificates/2025810701009999/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_issue_from_the_portal_then_see_it_affected_after_a_withdrawal(page: Any, demo: None) -> None:
    sign_in(page, "huaxia")
    page.goto("/portal/certificates/")
    page.get_by_role("link", name="Issue a certificate").click()
    page.get_by_label("Holder’s name in English").fill("Journey Juicers Ltd")
    page.get_by_label("Product type code").fill("0701")
    expires = today_in_beijing() + dt.timedelta(days=5 * 365)
    page.get_by_label("Expires on").fill(expires.isoformat())
    page.get_by_label("TR-DEMO-2025-001", exact=False).check()
    page.get_by_label("FI-DEMO-2025-001", exact=False).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Issue the certificate").click()
    number = page.locator("h1 .codes").inner_text()
    # The next free serial of the year, huaxia's CNCA code (81) and the product code.
    assert number.startswith(f"{today_in_beijing().year}810701")
    assert f"Certificate {number} issued." in page.locator("main").inner_text()
    screenshot(page, "portal-certificate-issued")

    # HKAS withdraws the laboratory's accreditation (through the registry's import, as HKAS publishes).
    document = demo_document()
    accreditation = next(a for a in document["accreditations"] if a["id"] == "HOKLAS 901")
    accreditation["events"].append(
        {"on": today_in_beijing().isoformat(), "status": "withdrawn", "reason": "Withdrawn by HKAS"}
    )
    import_document(
        actor="system:hkas", document={"format": "cepa-registry/1", "accreditations": [accreditation]}
    )

    page.goto("/portal/certificates/")
    affected = page.locator("#affected + p + table").inner_text()
    assert number in affected
    assert NUMBER in affected
    assert "hk-lab-harbourview" in affected
    assert axe_violations(page) == []
    screenshot(page, "portal-certificates-affected")
    page.goto(f"/certificates/{number}/")
    assert page.locator("table .tag.warn").count() >= 1
