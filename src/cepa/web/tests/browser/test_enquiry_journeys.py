"""Enquiries that someone answers (issue 11, point 3), in a real browser at desktop and phone widths in
English, Traditional and Simplified Chinese: a CNCA officer opens the queue, replies, and the enquirer
checks the status with the reference and email. axe-core on every page; screenshots saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail

from cepa.enquiries.models import Enquiry
from cepa.enquiries.services import submit_enquiry
from cepa.interchange.services import import_document
from cepa.testing.personas import persona, sign_in_browser
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-2026"
LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
REPLIED = {"en": "Reply sent to", "zh-hant": "已向", "zh-hans": "已向"}
ANSWERED = {"en": "Answered", "zh-hant": "已回覆", "zh-hans": "已回复"}


@pytest.fixture
def asked(transactional_db: None, settings: Any) -> Enquiry:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")
    persona("cnca", "cnca_officer", None, token=False, password=PASSWORD)
    return submit_enquiry(
        actor="public:web",
        product_type="0701",
        name="Chan Tai Man",
        email="chan@example.com",
        message="Which laboratories in Hong Kong may test fridges?",
        language="zh-Hant",
    )


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


WIDE = """() => { const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
    .filter(e => !e.closest('.table-wrap, .skip-link, .visually-hidden, .honeypot'))
    .slice(0, 5)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); }"""


def fits(page: Any, width: int) -> list[str]:
    """What sticks out of the screen (tables scroll inside their own frame); [] when the page fits."""
    wide: list[str] = page.evaluate(WIDE)
    if page.evaluate("document.documentElement.scrollWidth") > width:
        wide.append(f"page {page.evaluate('document.documentElement.scrollWidth')} px")
    return wide


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_cnca_answers_and_the_enquirer_sees_it(sized: Any, asked: Enquiry, language: str, width: str) -> None:
    pixels = WIDTHS[width]
    page = sized(pixels)
    page.goto(f"/language/{language}/?next=/accounts/login/")
    sign_in_browser(page, "cnca", PASSWORD)
    page.goto("/workbench/")
    page.locator("nav.section-nav a[href='/workbench/enquiries/']").click()
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
    page.locator("#id_sector").select_option("electrical_electronic")
    page.locator("main form.inline-form button[type=submit]").click()
    assert page.locator("main tbody tr").count() == 1
    assert axe_violations(page) == []
    assert fits(page, pixels) == []
    screenshot(page, f"workbench-enquiries-{language}-{width}")

    page.locator(f"main tbody a:text('{asked.reference}')").click()
    assert page.locator("blockquote").inner_text() == "Which laboratories in Hong Kong may test fridges?"
    page.locator("#id_body").fill("可以：名錄上列出可測試 0701 的實驗室。")
    page.locator("form:has(input[value=reply]) button[type=submit]").click()
    assert REPLIED[language] in page.locator("[data-notification]").inner_text()
    assert page.locator("h1 .tag").inner_text() == ANSWERED[language]
    assert axe_violations(page) == []
    assert fits(page, pixels) == []
    screenshot(page, f"workbench-enquiry-{language}-{width}")
    assert [m.to for m in mail.outbox] == [["chan@example.com"]]

    page.goto("/enquiry/status/")
    assert axe_violations(page) == []
    page.locator("#id_reference").fill(asked.reference)
    page.locator("#id_email").fill("chan@example.com")
    page.locator("main form button[type=submit]").click()
    assert page.locator("#enquiry-status").inner_text() == ANSWERED[language]
    assert "可以：名錄上列出可測試 0701 的實驗室。" in page.locator("#replies + article").inner_text()
    assert axe_violations(page) == []
    assert fits(page, pixels) == []
    screenshot(page, f"enquiry-status-{language}-{width}")
