"""Who may test a product, as a file (issue 11, point 4), in a real browser at desktop and phone widths
in three languages: the who-can-test answer offers the file, which downloads under the product's and the
date's name; the open data page gives the licence, dictionary and codes. axe-core; screenshots saved."""

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
HEADER = "\ufefflaboratory,name_en,name_zh_hant,name_zh_hans,seat,product_type,on,allowed,failing_codes"


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.fixture
def sized(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(width: int) -> Any:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_download_who_may_test_a_product(sized: Any, registry: None, language: str, width: str) -> None:
    page = sized(WIDTHS[width])
    page.goto(f"/language/{language}/?next=/who-can-test/%3Fproduct%3D0701%26on%3D2026-11-26")
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
    links = page.locator("#decision-files + p + ul.downloads a")
    assert links.count() == 2
    with page.expect_download() as download_info:
        links.first.click()
    download = download_info.value
    assert download.suggested_filename == "who-can-test-0701-2026-11-26.csv"
    text = download.path().read_bytes().decode("utf-8")
    assert text.startswith(HEADER)
    assert len(text.strip().split("\r\n")) == 20  # the header and 19 laboratories
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    page.locator("#decision-files").scroll_into_view_if_needed()
    screenshot(page, f"who-can-test-files-{language}-{width}")

    page.goto("/open-data/")
    assert page.locator("#licence").count() == 1
    assert page.locator("a[href='/open-data/codes.csv']").count() == 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    screenshot(page, f"open-data-{language}-{width}")
