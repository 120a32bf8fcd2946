"""Officers do their whole job in the workbench (issue 11, point 6), in a real browser at desktop
(1366 px) and phone (390 px) widths in English, Traditional and Simplified Chinese: CNCA finds a decided
case and publishes then closes a plan; CCAA registers and suspends an inspector; HKAS suspends part of
an accreditation's scope. axe-core on every page; nothing wider than the screen; screenshots saved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cepa.accounts.services import enrol_totp
from cepa.bodies.models import AccreditationEvent
from cepa.designation import services
from cepa.designation.models import Plan
from cepa.interchange.services import import_document
from cepa.personnel.models import InspectorEvent
from cepa.personnel.selectors import beijing_today
from cepa.rules.facts import BEIJING
from cepa.testing.personas import persona, totp_code
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.browser.test_enquiry_journeys import fits
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-2026"
LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
# Every language, both widths: English at both, each Chinese at one (the machine is shared).
RUNS = [("en", "desktop"), ("en", "phone"), ("zh-hant", "desktop"), ("zh-hans", "phone")]
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
PEOPLE = {
    "cnca": ("cnca_officer", None),
    "ccaa": ("ccaa_registrar", None),
    "hkas": ("hkas_officer", None),
    "bohai": ("applicant", "cn-lab-bohai"),
}


@pytest.fixture
def people(transactional_db: None, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")
    users = {
        name: persona(name, role, org, token=False, password=PASSWORD).user
        for name, (role, org) in PEOPLE.items()
    }
    for name, (role, _org) in PEOPLE.items():
        if role != "applicant":
            enrol_totp(actor="test:setup", username=name)
    return users


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
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    user = get_user_model().objects.get(username=username)
    TOTPDevice.objects.filter(user=user).update(last_t=-1)  # a code may be used again in a test
    page.locator("#id_code").fill(totp_code(user))
    page.locator("main form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]


def checked(page: Any, pixels: int, name: str) -> None:
    """No serious or critical axe violation, nothing wider than the screen; a screenshot."""
    assert axe_violations(page) == []
    assert fits(page, pixels) == []
    screenshot(page, name)


@pytest.fixture
def frozen(people: dict[str, Any]) -> Iterator[None]:
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield


@pytest.mark.parametrize(("language", "width"), RUNS)
def test_cnca_finds_a_decided_case_and_publishes_then_closes_a_plan(
    sized: Any, people: dict[str, Any], frozen: None, language: str, width: str
) -> None:
    bohai, cnca = people["bohai"], people["cnca"]
    application = services.create_application(
        actor="user:bohai", user=bohai, organisation="cn-lab-bohai", product_types=["0701"]
    )
    services.submit_application(actor="user:bohai", user=bohai, application_id=application.pk)
    services.review_application(actor="user:cnca", user=cnca, application_id=application.pk, action="start")
    services.review_application(
        actor="user:cnca",
        user=cnca,
        application_id=application.pk,
        action="refuse",
        reason="Scope not covered",
    )
    pixels = WIDTHS[width]
    page = sized(pixels)
    sign_in(page, "cnca", language)

    page.goto("/workbench/")
    page.locator("nav.section-nav a[href='/workbench/decided/']").click()
    page.locator("#id_status").select_option("refused")
    page.locator("#id_body").fill("bohai")
    page.locator("main form.inline-form button[type=submit]").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    checked(page, pixels, f"workbench-decided-{language}-{width}")
    page.locator(f"main tbody a[href='/workbench/applications/{application.pk}/']").click()
    expect(page.locator("h1 .tag")).to_have_class("tag bad")

    page.locator("nav.section-nav a[href='/workbench/plans/']").click()
    checked(page, pixels, f"workbench-plans-{language}-{width}")
    page.locator("main a[href='/workbench/plans/new/']").click()
    page.locator("#id_id").fill("2027-lab-journey")
    page.locator("#id_year").fill("2027")
    page.locator("input[name=role][value=laboratory]").check()
    page.locator("#id_product_types").fill("0701 0702")
    page.locator("#id_opens").fill("2027-03-01T09:00")
    page.locator("#id_closes").fill("2027-03-31T17:00")
    checked(page, pixels, f"workbench-plan-new-{language}-{width}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/plans/2027-lab-journey/$"))

    page.locator("form:has(input[value=publish]) button[type=submit]").click()
    expect(page.locator("form:has(input[name=confirmed])")).to_have_count(1)
    checked(page, pixels, f"workbench-plan-publish-confirm-{language}-{width}")
    assert Plan.objects.get(pk="2027-lab-journey").status == "draft"
    page.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    expect(page.locator("form:has(input[value=close])")).to_have_count(1)
    assert Plan.objects.get(pk="2027-lab-journey").status == "published"

    page.locator("#id_reason").fill("預算改變 / budget changed")
    page.locator("form:has(input[value=close]) button[type=submit]").click()
    expect(page.locator("form:has(input[name=confirmed])")).to_have_count(1)
    checked(page, pixels, f"workbench-plan-close-confirm-{language}-{width}")
    page.locator("form:has(input[name=confirmed]) button[type=submit]").click()
    expect(page.locator("[data-notification]")).to_have_count(1)
    plan = Plan.objects.get(pk="2027-lab-journey")
    assert (plan.status, plan.close_reason) == ("closed", "預算改變 / budget changed")
    expect(page.locator("[data-notification]")).to_have_count(1)
    checked(page, pixels, f"workbench-plan-closed-{language}-{width}")


@pytest.mark.parametrize(("language", "width"), RUNS)
def test_ccaa_registers_and_suspends_an_inspector(
    sized: Any, people: dict[str, Any], language: str, width: str
) -> None:
    pixels = WIDTHS[width]
    page = sized(pixels)
    sign_in(page, "ccaa", language)
    page.goto("/workbench/")
    page.locator("nav.section-nav a[href='/workbench/inspectors/']").click()
    page.locator("#id_q").fill("Chan")
    page.locator("main form.inline-form button[type=submit]").click()
    expect(page.locator("main tbody a[href='/workbench/inspectors/CCAA-2022-CCC-0101/']")).to_have_count(1)
    checked(page, pixels, f"workbench-inspectors-{language}-{width}")

    page.locator("main a[href='/workbench/inspectors/new/']").click()
    page.locator("#id_id").fill("CCAA-2026-CCC-0900")
    page.locator("#id_name_en").fill("Yip Tsz Wai")
    page.locator("#id_name_zh_hant").fill("葉子慧")
    page.locator("#id_name_zh_hans").fill("叶子慧")
    page.locator("input[name=grade][value=provisional]").check()
    page.locator("#id_specialties").fill("07")
    page.locator("#id_registered").fill(beijing_today().isoformat())
    page.locator("#id_organisation").select_option("hk-cb-victoria")
    page.locator("#id_date_of_birth").fill("1988-04-12")
    checked(page, pixels, f"workbench-inspector-new-{language}-{width}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/inspectors/CCAA-2026-CCC-0900/$"))
    expect(page.locator("h1 .tag")).to_have_class("tag ok")

    page.locator("input[name=status-status][value=suspended]").check()
    page.locator("#id_status-on").fill(beijing_today().isoformat())
    page.locator("#id_status-reason").fill("Complaint under investigation")
    page.locator("form:has(input[value=status]) button[type=submit]").click()
    expect(page.locator("h1 .tag")).to_have_class("tag warn")
    event = InspectorEvent.objects.get(inspector_id="CCAA-2026-CCC-0900")
    assert (event.status, event.reason) == ("suspended", "Complaint under investigation")
    checked(page, pixels, f"workbench-inspector-suspended-{language}-{width}")


@pytest.mark.parametrize(("language", "width"), RUNS)
def test_hkas_suspends_part_of_an_accreditations_scope(
    sized: Any, people: dict[str, Any], language: str, width: str
) -> None:
    pixels = WIDTHS[width]
    page = sized(pixels)
    sign_in(page, "hkas", language)
    page.goto("/workbench/")
    page.locator("nav.section-nav a[href='/workbench/accreditations/']").click()
    page.locator("#id_q").fill("901")
    page.locator("main form.inline-form button[type=submit]").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    checked(page, pixels, f"workbench-accreditations-{language}-{width}")
    page.locator("main tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/workbench/accreditations/HOKLAS%20901/$"))

    page.locator("input[name=status][value=suspended]").check()
    page.locator("input[name=extent][value=part]").check()
    page.locator("input[name=scope][value='0701']").check()
    page.locator("#id_reason").fill("Proficiency test failed")
    checked(page, pixels, f"workbench-accreditation-form-{language}-{width}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-notification]")).to_have_count(1)
    event = AccreditationEvent.objects.filter(accreditation_id="HOKLAS 901").latest("position")
    assert (event.status, event.scope, event.reason) == ("suspended", ["0701"], "Proficiency test failed")
    suspended = page.locator("#scope + .table-wrap tbody tr:has(th:text-is('0701')) .tag")
    expect(suspended).to_have_class("tag warn")
    checked(page, pixels, f"workbench-accreditation-suspended-{language}-{width}")
