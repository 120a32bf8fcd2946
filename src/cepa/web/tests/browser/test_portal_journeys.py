"""Journeys through the signed-in pages in a real browser, each saving a screenshot, and an axe-core
check of every portal and workbench page for every role in English, Traditional and Simplified Chinese.

The designation clock is frozen on 26 November 2026, 10:00 Beijing time (plan 2026-3 for laboratories
is open then, plan 2027-1 is not); the live server runs in this process, so the patch reaches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cepa.accounts.services import enrol_totp
from cepa.designation import services as designation
from cepa.designation.models import Application
from cepa.filings.services import review, submission
from cepa.interchange.services import import_document
from cepa.personnel.models import Transfer
from cepa.personnel.services import transfers as personnel
from cepa.rules.facts import BEIJING
from cepa.testing.personas import persona, totp_code
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import PERSONAS, registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-2026"
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


@pytest.fixture
def people(transactional_db: None, settings: Any) -> Iterator[dict[str, Any]]:
    # A fast hasher: these passwords only live for the test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")
    users = {
        name: persona(name, role, org, token=False, password=PASSWORD).user
        for name, (role, org) in PERSONAS.items()
    }
    for name, (role, _org) in PERSONAS.items():
        if role != "applicant":
            enrol_totp(actor="test:setup", username=name)
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield users


def sign_in(page: Any, username: str, language: str = "en") -> None:
    page.goto(f"/language/{language}/?next=/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    if "/accounts/verify/" in page.url:  # officers: the code of their authenticator app
        user = get_user_model().objects.get(username=username)
        TOTPDevice.objects.filter(user=user).update(last_t=-1)  # a code may be used again in a test
        page.locator("#id_code").fill(totp_code(user))
        page.locator("main form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]


def sign_out(page: Any) -> None:
    page.locator("header form[action='/accounts/logout/'] button").click()


def test_applicant_applies_within_a_plan_window(page: Any, people: dict[str, Any]) -> None:
    sign_in(page, "pearl")
    assert page.url.endswith("/portal/")
    page.get_by_role("link", name="Designation applications", exact=True).first.click()
    page.get_by_role("link", name="Start a new application").click()
    page.get_by_label("0915", exact=False).first.check()
    page.get_by_role("button", name="Save as a draft").click()
    assert "Draft application" in page.locator(".notification").inner_text()
    assert page.locator("#can-submit ~ article.decision.allowed").count() == 1
    page.get_by_role("button", name="Submit the application").click()
    assert axe_violations(page) == []  # the confirmation step
    page.locator("#confirm-submit").click()
    assert "submitted to CNCA" in page.locator(".notification").inner_text()
    assert page.locator("h1 .tag").inner_text() == "Submitted"
    assert "Status changed from Draft to Submitted" in page.locator("ol.timeline").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "portal-application-submitted")


@pytest.mark.parametrize(
    "language,problem,cross",
    [
        ("en", "You cannot submit it until every condition above is met", "Not met:"),
        ("zh-hans", "在上述所有条件符合之前你不能提交", "不符合："),
    ],
)
def test_applicant_sees_why_outside_the_window(
    page: Any, people: dict[str, Any], language: str, problem: str, cross: str
) -> None:
    sign_in(page, "bohai", language)
    page.goto("/portal/applications/new/")
    page.locator("#id_other").fill("2401")
    page.locator("main form button[type=submit]").click()
    # The window opens later: no Submit button until it does, and the reasons say why.
    assert page.locator("#submit-form").count() == 0
    assert problem in page.locator("#cannot-submit-yet").inner_text()
    refused = page.locator("article.decision.refused")
    assert refused.count() == 1
    assert refused.locator("li.fails").count() == 1
    assert cross in refused.locator("li.fails").inner_text()
    assert Application.objects.get().status == "draft"
    assert axe_violations(page) == []
    screenshot(page, f"portal-application-refused-{language}")


def test_officer_approves_from_the_workbench(page: Any, people: dict[str, Any]) -> None:
    application = designation.create_application(
        actor="user:pearl", user=people["pearl"], organisation="cn-lab-pearl-delta", product_types=["0915"]
    )
    designation.submit_application(actor="user:pearl", user=people["pearl"], application_id=application.pk)
    sign_in(page, "cnca")
    assert page.url.endswith("/workbench/")
    queue = page.locator("section[aria-labelledby=queue-submitted]")
    assert queue.locator("td.age").inner_text() == "Today"
    queue.get_by_role("link", name=f"Application {application.pk}").click()
    page.locator("#action-start").check()
    page.locator("#id_reason").fill("Complete file")
    page.get_by_role("button", name="Record the decision").click()
    assert "Review of application" in page.locator(".notification").inner_text()
    page.locator("#action-approve").check()
    page.locator("#id_reason").fill("All conditions are met")
    page.get_by_role("button", name="Record the decision").click()
    assert axe_violations(page) == []  # the confirmation step
    page.locator("#confirm-decision").click()
    assert "approved and published for objections" in page.locator(".notification").inner_text()
    assert page.locator("h1 .tag").inner_text() == "Approved"
    application.refresh_from_db()
    assert application.status == "approved"
    assert axe_violations(page) == []
    screenshot(page, "workbench-application-approved")
    sign_out(page)
    sign_in(page, "pearl")
    page.goto(f"/portal/applications/{application.pk}/")
    # In force from the day of approval (contract §4 rev. 2); objections until the period's end.
    next_action = page.locator("#next-action").inner_text()
    assert "Approved. The designation is in force from " in next_action
    assert "objections may be lodged until" in next_action
    screenshot(page, "portal-application-approved")


def test_inspector_lookup_after_a_transfer(page: Any, people: dict[str, Any]) -> None:
    sign_in(page, "victoria", "zh-hant")
    page.goto("/portal/transfers/new/")
    page.locator("#id_inspector").fill("CCAA-2022-CCC-0108")
    page.locator("#id_effective").fill("2027-03-01")
    page.locator("main form button[type=submit]").click()
    assert "已送交 CCAA" in page.locator(".notification").inner_text()
    screenshot(page, "portal-transfer-requested-zh-hant")
    sign_out(page)
    transfer = Transfer.objects.get()
    sign_in(page, "ccaa")
    page.locator("section[aria-labelledby=queue-transfers]").get_by_role("link").first.click()
    page.locator("#action-approve").check()
    page.locator("#id_reason").fill("Employment contract seen")
    page.get_by_role("button", name="Record the decision").click()
    assert f"Transfer {transfer.pk} approved." in page.locator(".notification").inner_text()
    screenshot(page, "workbench-transfer-approved")
    sign_out(page)
    page.goto("/inspectors/")
    page.locator("#id_number").fill("CCAA-2022-CCC-0108")
    page.locator("#id_on").fill("2027-03-01")
    page.locator("main form button[type=submit]").click()
    result = page.locator("article.decision")
    assert result.count() == 1
    assert "Victoria Harbour Certification Ltd" in result.locator("dl.summary").inner_text()
    screenshot(page, "inspector-lookup-after-transfer")


def test_returned_filing_is_explained_and_filed_again(page: Any, people: dict[str, Any]) -> None:
    start = (dt.datetime.now(BEIJING).date() + dt.timedelta(days=10)).isoformat()
    filing = submission.file_agreement(
        actor="user:harbour",
        kind="testing",
        party="hk-lab-harbourview",
        counterparty="cn-cb-huaxia",
        product_types=["0914"],
        valid_from=dt.date.fromisoformat(start),
        valid_until=None,
    )
    review.review_filing(
        actor="user:cnca", filing_id=filing.pk, action="return", reason="Signature page missing"
    )
    sign_in(page, "harbour")
    assert "Action needed" in page.locator("ul.tasks").inner_text()
    page.get_by_role("link", name="Agreement filings", exact=True).last.click()
    page.get_by_role("link", name=filing.pk).click()
    assert "Signature page missing" in page.locator("#next-action").inner_text()
    page.get_by_role("link", name="Correct it and file it again").click()
    assert page.locator("#id_product_types").input_value() == "0914"
    page.get_by_role("button", name="File the agreement").click()
    assert "filed with CNCA" in page.locator(".notification").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "portal-filing-filed-again")


def _pages_for(people: dict[str, Any]) -> dict[str, list[str]]:
    """Every signed-in page, with records in each state, for the user who may open it."""
    pearl, cnca = people["pearl"], people["cnca"]
    draft = designation.create_application(
        actor="user:pearl", user=pearl, organisation="cn-lab-pearl-delta", product_types=["0915"]
    )
    sent = designation.create_application(
        actor="user:pearl", user=pearl, organisation="cn-lab-pearl-delta", product_types=["0701"]
    )
    designation.submit_application(actor="user:pearl", user=pearl, application_id=sent.pk)
    designation.review_application(actor="user:cnca", user=cnca, application_id=sent.pk, action="start")
    designation.review_application(
        actor="user:cnca", user=cnca, application_id=sent.pk, action="approve", reason="ok"
    )
    objection = designation.lodge_objection(
        actor="user:bohai", user=people["bohai"], application_id=sent.pk, grounds="Moved premises"
    )
    start = dt.datetime.now(BEIJING).date() + dt.timedelta(days=10)
    filing = submission.file_agreement(
        actor="user:harbour",
        kind="testing",
        party="hk-lab-harbourview",
        counterparty="cn-cb-huaxia",
        product_types=["0914"],
        valid_from=start,
        valid_until=None,
    )
    transfer = personnel.request_transfer(
        actor="user:victoria",
        inspector_id="CCAA-2022-CCC-0108",
        to_organisation="hk-cb-victoria",
        effective=dt.date(2027, 3, 1),
    )
    portal = ["/portal/", "/portal/records/", "/portal/documents/", "/portal/applications/"]
    return {
        "pearl": [
            *portal,
            "/portal/expressions-of-interest/",
            "/portal/applications/new/",
            f"/portal/applications/{draft.pk}/",
            f"/portal/applications/{sent.pk}/",
        ],
        "harbour": ["/portal/", "/portal/filings/", "/portal/filings/new/", f"/portal/filings/{filing.pk}/"],
        "victoria": [
            "/portal/",
            "/portal/transfers/",
            "/portal/transfers/new/",
            f"/portal/transfers/{transfer.pk}/",
        ],
        "cnca": [
            "/workbench/",
            f"/workbench/applications/{sent.pk}/",
            f"/workbench/objections/{objection.pk}/",
            f"/workbench/filings/{filing.pk}/",
        ],
        "ccaa": ["/workbench/", f"/workbench/transfers/{transfer.pk}/"],
        "hkas": ["/workbench/", "/portal/"],  # the second is the 403 page
    }


@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_every_signed_in_page_passes_axe_in_each_language(
    page: Any, people: dict[str, Any], language: str
) -> None:
    found = {}
    for username, paths in _pages_for(people).items():
        sign_in(page, username, language)
        for path in paths:
            page.goto(path)
            assert page.locator("h1").count() == 1, path
            violations = axe_violations(page)
            if violations:
                found[f"{username} {path}"] = violations
        sign_out(page)
    assert found == {}


def test_an_officer_signs_in_with_the_code_of_an_authenticator_app(page: Any, people: dict[str, Any]) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("cnca")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert "/accounts/verify/" in page.url
    assert page.locator("h1").inner_text() == "Enter your sign-in code"
    assert axe_violations(page) == []
    screenshot(page, "sign-in-code")
    page.locator("#id_code").fill(totp_code(people["cnca"]))
    page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/workbench/")
    assert page.locator("h1").count() == 1
