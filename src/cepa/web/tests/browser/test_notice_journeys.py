"""Issue 11, point 11 in a real browser: from the footer to the suspensions and withdrawals, into a week of
the archive, at desktop and phone widths in the three languages, with axe-core; a record page printed
without the site's navigation; the sign-in page's advice on getting an account. Screenshots are saved."""

from __future__ import annotations

from typing import Any

import pytest

from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
TITLES = {
    "en": "Suspensions, withdrawals and terminations",
    "zh-hant": "暫停、撤銷及終止",
    "zh-hans": "暂停、撤销及终止",
}


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_from_the_footer_to_a_week_of_notices(page: Any, registry: None, language: str, width: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"/language/{language}/?next=/")
    page.locator("footer.site-footer").get_by_role("link", name=TITLES[language]).click()
    assert page.locator("h1").inner_text() == TITLES[language]
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
    assert page.locator("li.notice").count() == 11
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert axe_violations(page) == []
    screenshot(page, f"notices-{language}-{width}")
    page.locator("ul.weeks a[href='/notices/2025-W49/']").click()
    assert page.url.endswith("/notices/2025-W49/")
    assert page.locator("li.notice").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert axe_violations(page) == []
    screenshot(page, f"notices-week-{language}-{width}")
    page.locator("a[rel=prev]").click()
    assert page.url.endswith("/notices/2025-W48/")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_sign_in_page_says_how_to_get_an_account(
    page: Any, registry: None, language: str, width: str
) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"/language/{language}/?next=/accounts/login/")
    assert page.locator("#get-an-account").count() == 1
    assert page.locator("#get-an-account + p + p + ul > li").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert axe_violations(page) == []
    screenshot(page, f"sign-in-{language}-{width}")


def test_a_body_page_prints_as_the_record(page: Any, registry: None) -> None:
    page.goto("/bodies/hk-lab-harbourview/")
    assert page.locator("#last-updated time").count() == 1
    assert page.locator("header.site-header").is_visible()
    assert not page.locator("p.print-only").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("footer.site-footer").is_visible()
    assert not page.locator("main form").first.is_visible()
    assert page.locator("p.print-only").is_visible()
    assert page.locator("h1").is_visible()
    page.pdf(path=str(screenshot(page, "body-print").with_suffix(".pdf")))
