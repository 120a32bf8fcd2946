"""The workbench's pager at a phone's width (issue 11, points 6 and 9): 120 plans, a middle page in each
language at 390 px, nothing wider than the screen, the next page reached by its link with the filters
kept, axe finds nothing serious. Screenshots: artifacts/screenshots/pager-<language>.png."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cepa.testing import factories
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.browser.test_phone_widths import MEASURE, PHONE
from cepa.web.tests.browser.test_portal_journeys import people, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["people"]  # the signed-in journeys' fixture, shared

COUNTS = {
    "en": "Showing 51–100 of 120",
    "zh-hant": "顯示第 51–100 項，共 120 項",
    "zh-hans": "显示第 51–100 项，共 120 项",
}


def test_the_pager_fits_a_phone_in_three_languages(page: Any, people: dict[str, Any]) -> None:
    for n in range(120):
        factories.plan(
            f"2031-lab-{n:03d}",
            2031,
            "laboratory",
            ["0701"],
            "2030-12-01",
            "2031-03-01T09:00",
            "2031-03-31T17:00",
        )
    page.set_viewport_size({"width": PHONE, "height": 844})
    problems: dict[str, Any] = {}
    for language, count in COUNTS.items():
        sign_in(page, "cnca", language)
        page.goto("/workbench/plans/?year=2031&page=2")
        assert page.locator("p.pager-count").inner_text() == count
        measured = page.evaluate(MEASURE, PHONE)
        if measured["scroll"] > PHONE or measured["narrow"] or measured["tableRows"]:
            problems[language] = measured
        violations = axe_violations(page)
        if violations:
            problems[f"{language} (axe)"] = violations
        screenshot(page, f"pager-{language}")
        page.locator("a[rel=next]").click()
        assert page.url.endswith("/workbench/plans/?year=2031&page=3")
        sign_out(page)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
