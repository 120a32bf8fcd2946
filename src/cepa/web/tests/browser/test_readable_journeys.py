"""Reasons people can read (issue 11, point 8), in a real browser at desktop and phone widths in three
languages: who-can-test's reasons name bodies and give dates in the page's language with the record ids
as links; the body page's history says who in words. axe-core; screenshots saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
PARTNER = {
    "en": "Huaxia Product Certification Centre",
    "zh-hant": "華夏產品認證中心",
    "zh-hans": "华夏产品认证中心",
}
SUSPENDED = {"en": "1 May 2026", "zh-hant": "2026年5月1日", "zh-hans": "2026年5月1日"}
WHO = {"en": "the registry (data import)", "zh-hant": "登記冊（資料匯入）", "zh-hans": "登记册（数据导入）"}


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.fixture
def sized(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(width: int) -> Any:
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_reasons_and_history_read_as_words(sized: Any, registry: None, language: str, width: str) -> None:
    page = sized(WIDTHS[width])
    page.goto(f"/language/{language}/?next=/who-can-test/%3Fproduct%3D0915%26on%3D2026-06-01")
    refused = page.locator("details.refused-list")
    refused.locator("> summary").click()
    card = page.locator("#r-hk-lab-harbourview")
    reasons = card.locator("ul.reasons").first.inner_text()
    assert PARTNER[language] in reasons
    assert SUSPENDED[language] in reasons
    assert card.locator("ul.reasons a[href='/bodies/hk-lab-harbourview/#r-hoklas-901']").count() >= 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    card.scroll_into_view_if_needed()
    screenshot(page, f"readable-reasons-{language}-{width}")

    page.goto("/bodies/hk-lab-harbourview/")
    history = page.locator("#history + ol.timeline").inner_text()
    assert WHO[language] in history and "system:demo" not in history
    assert axe_violations(page) == []
    page.locator("#history").scroll_into_view_if_needed()
    screenshot(page, f"readable-history-{language}-{width}")
