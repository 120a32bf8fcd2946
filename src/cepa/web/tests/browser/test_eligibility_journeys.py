"""Applications that say what is possible (issue 11, point 5), in a real browser at desktop and phone
widths in three languages: no draft when it could never be submitted; a confirmation step before submit
and before a refusal. axe-core on each page; screenshots saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from cepa.designation import services as designation
from cepa.designation.models import Application
from cepa.interchange.services import import_document
from cepa.rules.facts import BEIJING
from cepa.testing.personas import persona, sign_in_browser
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import PERSONAS, registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-2026"
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
REFUSED = {"en": "Refused", "zh-hant": "已拒絕", "zh-hans": "已拒绝"}


@pytest.fixture
def people(transactional_db: None, settings: Any) -> Iterator[dict[str, Any]]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")
    users = {
        name: persona(name, role, org, token=False, password=PASSWORD).user
        for name, (role, org) in PERSONAS.items()
        if name in ("xiangjiang", "pearl", "cnca")
    }
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield users


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


def sign_in(page: Any, username: str, language: str) -> None:
    page.goto(f"/language/{language}/?next=/accounts/login/")
    sign_in_browser(page, username, PASSWORD)
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_possible_and_confirmed(sized: Any, people: dict[str, Any], language: str, width: str) -> None:
    pixels = WIDTHS[width]
    body = sized(pixels)
    sign_in(body, "xiangjiang", language)
    body.goto("/portal/applications/new/")
    body.locator("#id_other").fill("2401")
    body.locator("main form button[type=submit]").click()
    assert body.locator(".error-summary li").count() == 2  # the problem, and why for 2401
    assert Application.objects.count() == 0
    assert axe_violations(body) == []
    assert fits(body, pixels)
    screenshot(body, f"application-never-submittable-{language}-{width}")

    lab = sized(pixels)
    sign_in(lab, "pearl", language)
    lab.goto("/portal/applications/new/")
    lab.locator("#id_other").fill("0914")
    lab.locator("main form button[type=submit]").click()
    lab.locator("#submit-form button").click()
    assert lab.locator("#confirm-submit").count() == 1
    assert axe_violations(lab) == []
    assert fits(lab, pixels)
    screenshot(lab, f"application-confirm-submit-{language}-{width}")
    lab.locator("#confirm-submit").click()
    application = Application.objects.get()
    assert application.status == "submitted"

    designation.review_application(
        actor="user:cnca",
        user=people["cnca"],
        application_id=application.pk,
        action="start",
        reason="Complete file",
    )
    officer = sized(pixels)
    sign_in(officer, "cnca", language)
    officer.goto(f"/workbench/applications/{application.pk}/")
    officer.locator("#action-refuse").check()
    officer.locator("#id_reason").fill("No accreditation for 0914")
    officer.locator("main form button[type=submit]").click()
    assert officer.locator("#confirm-decision").count() == 1
    assert axe_violations(officer) == []
    assert fits(officer, pixels)
    screenshot(officer, f"workbench-confirm-refuse-{language}-{width}")
    officer.locator("#confirm-decision").click()
    assert officer.locator("h1 .tag").inner_text() == REFUSED[language]
