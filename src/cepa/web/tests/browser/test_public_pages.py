from __future__ import annotations

from typing import Any

import pytest

from cepa.web.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


@pytest.mark.parametrize("path", ["/", "/sources/", "/accessibility/", "/accounts/login/"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_public_page_is_accessible_in_each_language(page: Any, path: str, language: str) -> None:
    page.goto(f"/language/{language}/?next={path}")
    assert page.locator("html").get_attribute("lang") == LANGUAGES[language]
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_language_switcher_keeps_the_choice_with_the_keyboard(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.get_by_role("link", name="繁體").click()
    assert page.locator("h1").inner_text() == "從香港參與中國強制性產品認證"
    page.goto("/sources/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    screenshot(page, "home-zh-hant")


def test_the_api_documentation_runs_under_the_content_security_policy(page: Any) -> None:
    """Swagger UI from django-ninja's own files: it renders the operations, and the page fixture
    checks that the policy refused nothing."""
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    screenshot(page, "api-docs")
