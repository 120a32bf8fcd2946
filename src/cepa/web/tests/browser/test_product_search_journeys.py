"""Finding a product by its everyday name (issue 11, point 10) in a real browser: "who can test" and the
enquiry form, at desktop and phone widths, in the three languages, with axe-core and screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 390}
# (language, everyday name typed, code found, the results' heading for that code)
SEARCHES = [
    ("en", "fridge", "0701", "Laboratories for 0701 on"),
    ("zh-hant", "雪櫃", "0701", "0701"),
    ("zh-hans", "电玩具", "2202", "2202"),
]


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("language", "typed", "code", "heading"), SEARCHES)
def test_who_can_test_finds_a_product_by_its_everyday_name(
    page: Any, registry: None, language: str, typed: str, code: str, heading: str, width: str
) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"/language/{language}/?next=/who-can-test/")
    page.locator("#id_product").fill(typed)
    page.locator("main form[role=search] button[type=submit]").click()
    results = page.locator("h2#results")
    assert heading in results.inner_text()
    assert code in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert axe_violations(page) == []
    screenshot(page, f"who-can-test-{typed}-{width}")


def test_the_enquiry_form_routes_a_product_named_in_everyday_words(page: Any, registry: None) -> None:
    page.goto("/language/zh-hant/?next=/enquiry/")
    page.locator("#id_product").fill("充電寶")
    page.locator("main form button[type=submit]").first.click()
    assert "0914" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "enquiry-power-bank-zh-hant")
