"""Errors in the site's clothes (issue 11, point 7), in a real browser at desktop and phone widths in three
languages: the 404 page in the layout with a way on, axe-core clean; screenshots saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cepa.web.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
HEADINGS = {"en": "Page not found", "zh-hant": "找不到網頁", "zh-hans": "找不到网页"}


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
def test_a_missing_page_shows_a_way_on(sized: Any, language: str, width: str) -> None:
    page = sized(WIDTHS[width])
    page.goto(f"/language/{language}/?next=/")
    response = page.goto("/bodies/no-such-body/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
    assert page.locator("h1").inner_text() == HEADINGS[language]
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    screenshot(page, f"not-found-{language}-{width}")
    page.locator("#way-on + ul a[href='/who-can-test/']").click()
    assert page.url.endswith("/who-can-test/")
