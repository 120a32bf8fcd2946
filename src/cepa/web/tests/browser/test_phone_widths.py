"""Phone widths (issue 11, point 9): at 390 px, in English, Traditional and Simplified Chinese, no public
page and no certificate page is wider than the screen (the document's scrollWidth is at most 390), tables
are drawn as stacked rows, and no table column of Chinese text is squeezed to one character's width.
Each page is saved as a screenshot (artifacts/screenshots/phone-<language>-<n>.png)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cepa.demo.registry import demo_document
from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.browser.test_portal_journeys import _pages_for, people, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["people"]  # the signed-in journeys' fixture (personas and their records), shared

PHONE = 390
LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
CERTIFICATE = "2025810701000001"
# Every page anyone may open without signing in, with the queries that fill them, and the certificate
# pages.
PAGES = [
    "/",
    "/sources/",
    "/accessibility/",
    "/accounts/login/",
    "/directory/",
    "/directory/?product=0701&on=2026-11-26&kind=laboratory",
    "/directory/?q=harbour",
    "/bodies/hk-lab-harbourview/",
    "/bodies/hk-lab-harbourview/?on=2026-06-01",
    "/who-can-test/",
    "/who-can-test/?product=0701&on=2026-06-01",
    "/enquiry/",
    "/enquiry/?product=0701",
    "/enquiry/status/",
    "/calendar/",
    "/inspectors/",
    "/inspectors/?number=CCAA-2023-CCC-0107",
    "/open-data/",
    "/notices/",
    "/notices/2025-W49/",
    "/certificates/",
    f"/certificates/{CERTIFICATE}/",
    f"/certificates/{CERTIFICATE}/print/",
    "/certificates/2025810701009999/",
]

# Widths of everything wider than the viewport, and of table cells holding Chinese text narrower than
# two characters (a column squeezed to one character per line); a stacked table's column headings are
# kept for screen readers only, and each cell is led by its heading instead.
MEASURE = """(width) => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && getComputedStyle(el).position !== 'fixed') {
      const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
      wide.push(name + ':' + Math.round(box.right));
    }
  }
  const narrow = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.closest('thead') && getComputedStyle(cell.closest('thead')).position === 'absolute') continue;
    const text = cell.innerText.trim();
    if (!/[\\u4e00-\\u9fff]{2}/.test(text)) continue;
    const size = parseFloat(getComputedStyle(cell).fontSize);
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner < 2 * size) narrow.push(text.slice(0, 12) + ':' + Math.round(inner));
  }
  const tables = [...document.querySelectorAll('main table')].filter(
    (t) => getComputedStyle(t.querySelector('tr') || t).display === 'table-row');
  const scroll = document.documentElement.scrollWidth;
  return {scroll, wide: wide.slice(0, 5), narrow, tableRows: tables.length};
}"""


@pytest.fixture
def demo(transactional_db: None) -> None:
    import_document(actor="system:demo", document=demo_document(), reason="demo registry")


@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_no_public_page_is_wider_than_a_phone(
    browser: Any, live_server: Any, demo: None, language: str
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": PHONE, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.goto(f"/language/{language}/?next=/")
        assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
        problems: dict[str, Any] = {}
        for number, path in enumerate(PAGES):
            response = page.goto(path)
            assert response is not None and response.status in (200, 404), path
            measured = page.evaluate(MEASURE, PHONE)
            if measured["scroll"] > PHONE or measured["narrow"] or measured["tableRows"]:
                problems[path] = measured
            # Stacked tables keep their meaning for assistive technology: axe finds nothing serious.
            violations = axe_violations(page)
            if violations:
                problems[f"{path} (axe)"] = violations
            screenshot(page, f"phone-{language}-{number:02d}")
        assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    finally:
        context.close()


@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_no_signed_in_page_is_wider_than_a_phone(page: Any, people: dict[str, Any], language: str) -> None:
    """The portal's and workbench's pages of every persona (those of the accessibility journey) at 390 px."""
    page.set_viewport_size({"width": PHONE, "height": 844})
    problems: dict[str, Any] = {}
    for username, paths in _pages_for(people).items():
        sign_in(page, username, language)
        for path in paths:
            page.goto(path)
            measured = page.evaluate(MEASURE, PHONE)
            if measured["scroll"] > PHONE or measured["narrow"] or measured["tableRows"]:
                problems[f"{username} {path}"] = measured
        screenshot(page, f"phone-{language}-{username}")
        sign_out(page)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
