"""Journeys through the public pages in a real browser, each saving a screenshot, and an axe-core check
of every public page in English, Traditional and Simplified Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from cepa.enquiries import protection
from cepa.enquiries.models import Enquiry
from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
PUBLIC_PAGES = [
    "/directory/",
    "/directory/?product=0701&on=2026-11-26&kind=laboratory",
    "/directory/?on=not-a-date",
    "/bodies/hk-lab-harbourview/?on=2026-06-01",
    "/who-can-test/",
    "/who-can-test/?product=0915&on=2026-06-01",
    "/who-can-test/?product=9999",
    "/enquiry/",
    "/enquiry/?product=0701",
    "/calendar/",
    "/inspectors/",
    "/inspectors/?number=CCAA-2023-CCC-0107",
    "/open-data/",
]


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


def in_language(page: Any, language: str, path: str = "/") -> None:
    page.goto(f"/language/{language}/?next={path}")
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]


@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_every_public_page_passes_axe_in_each_language(page: Any, registry: None, language: str) -> None:
    in_language(page, language)
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.mark.parametrize("language,typed,heading", [
    ("en", "0701", "Laboratories for 0701 on"),
    ("zh-hant", "電冰箱", "可處理 0701 的實驗室"),
    ("zh-hans", "电冰箱", "可处理 0701 的实验室"),
])
def test_find_who_may_test_a_product(
    page: Any, registry: None, language: str, typed: str, heading: str
) -> None:
    in_language(page, language)
    page.locator("main .tasks a").first.click()
    page.locator("#id_product").fill(typed)
    page.locator("#id_on").fill("2026-11-26")
    page.locator("main form button[type=submit]").click()
    assert heading in page.locator("#results").inner_text()
    assert page.locator("article.decision.allowed").count() == 3
    refused = page.locator("details.refused-list")
    refused.locator("> summary").click()
    assert refused.locator("article.decision.refused").count() == 16
    page.locator("#r-hk-lab-harbourview details.basis").first.locator("summary").click()
    screenshot(page, f"who-can-test-{language}")


def test_open_a_body_and_its_history(page: Any, registry: None) -> None:
    page.goto("/directory/")
    page.locator("#id_q").fill("海景测试")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Harbourview Testing Laboratory Ltd").click()
    assert page.locator("h1").inner_text() == "Harbourview Testing Laboratory Ltd"
    page.locator("#id_on").fill("2026-06-01")
    page.get_by_role("button", name="Show").click()
    assert "Suspended" in page.locator("#r-hoklas-901").inner_text()
    assert page.locator("ol.timeline li").count() == 3
    screenshot(page, "body-history")


def test_route_an_enquiry(page: Any, registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process: no need to wait out the minimum fill time.
    monkeypatch.setattr(protection, "MIN_FILL_SECONDS", 0)
    page.goto("/enquiry/")
    page.locator("#id_product").fill("domestic gas cooking")
    page.get_by_role("button", name="Continue").click()
    assert "Non-electrical and electronic products" in page.locator("dl.summary").inner_text()
    page.get_by_role("button", name="Send enquiry").click()
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link", name="Enter your name.").count() == 1
    summary.get_by_role("link", name="Enter your name.").click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.locator("#id_name").fill("Chan Tai Man")
    page.locator("#id_email").fill("chan@example.com")
    page.locator("#id_message").fill("Which laboratories may test our gas cookers?")
    page.get_by_role("button", name="Send enquiry").click()
    reference = page.locator("#reference").inner_text()
    assert Enquiry.objects.get().reference == reference
    assert Enquiry.objects.get().queue == "non_electrical_electronic"
    assert axe_violations(page) == []
    screenshot(page, "enquiry-sent")


def test_an_inspector_lookup(page: Any, registry: None) -> None:
    in_language(page, "zh-hant", "/inspectors/")
    page.locator("#id_name").fill("林子轩")
    page.locator("#id_body").select_option("hk-cb-peninsula")
    page.locator("#id_on").fill("2026-11-26")
    page.locator("main form button[type=submit]").click()
    result = page.locator("article.decision")
    assert result.count() == 1
    assert "已註冊" in result.locator("h3").inner_text()
    assert "半島品質認證有限公司" in result.inner_text()
    screenshot(page, "inspector-lookup-zh-hant")
