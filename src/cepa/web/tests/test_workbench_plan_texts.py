"""A plan's requirement texts through the workbench's plan form (issue 11, point 6): drafted with the
plan, changed with a draft, corrected on a published plan; refused beside the field that is wrong; kept
before/after in the plan's history; shown to the public in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.designation import services
from cepa.designation.models import Plan
from cepa.history.models import Change
from cepa.web.tests import test_workbench_officers as officers
from cepa.web.tests.conftest import in_language, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

TEXTS = {
    "requirements_en": "Able to test to GB 4706.1\nAccredited for 0701",
    "requirements_zh_hant": "具備 GB 4706.1 檢測能力",
    "requirements_zh_hans": "具备 GB 4706.1 检测能力",
}


def history(plan_id: str) -> list[tuple[dict | None, dict | None]]:
    found = Change.objects.filter(record_type="designation.plans", record_id=plan_id).order_by("id")
    return [(change.before, change.after) for change in found]


def test_a_draft_is_made_with_its_requirements(client: Client) -> None:
    signed_in(client, "cnca")
    shown = client.get("/workbench/plans/new/").content.decode()
    assert '<textarea name="requirements_zh_hant" cols="40" rows="4" lang="zh-Hant"' in shown
    response = client.post("/workbench/plans/new/", officers.plan_form(**TEXTS))
    assert (response.status_code, response["Location"]) == (302, "/workbench/plans/2027-lab-9/")
    plan = Plan.objects.get(pk="2027-lab-9")
    assert (plan.requirements_en, plan.requirements_zh_hant, plan.requirements_zh_hans) == tuple(
        TEXTS.values()
    )
    [(before, after)] = history("2027-lab-9")
    assert before is None
    assert after is not None and after["requirements"] == {
        "en": TEXTS["requirements_en"],
        "zh-Hant": TEXTS["requirements_zh_hant"],
        "zh-Hans": TEXTS["requirements_zh_hans"],
    }
    page = client.get("/workbench/plans/2027-lab-9/").content.decode()
    assert '<dd lang="zh-Hans" class="texts">具备 GB 4706.1 检测能力</dd>' in page


def test_a_drafts_requirements_change_with_history_before_and_after(client: Client) -> None:
    officers.draft(requirements={"en": "Old text"})
    signed_in(client, "cnca")
    shown = client.get("/workbench/plans/2027-lab-1/change/").content.decode()
    assert ">\nOld text</textarea>" in shown
    response = client.post(
        "/workbench/plans/2027-lab-1/change/",
        officers.plan_form(product_types="0701", requirements_en="New text", requirements_zh_hans="新文字"),
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk="2027-lab-1")
    assert (plan.requirements_en, plan.requirements_zh_hant, plan.requirements_zh_hans) == (
        "New text",
        "",
        "新文字",
    )
    before, after = history("2027-lab-1")[-1]
    assert before is not None and before["requirements"] == {"en": "Old text"}
    assert after is not None and after["requirements"] == {"en": "New text", "zh-Hans": "新文字"}


def test_a_published_plans_requirements_are_corrected_and_nothing_else(client: Client) -> None:
    officers.draft(requirements={"en": "Old text"})
    services.publish_plan(actor="user:cnca", user=officers.user("cnca"), plan_id="2027-lab-1")
    signed_in(client, "cnca")
    shown = client.get("/workbench/plans/2027-lab-1/change/").content.decode()
    assert 'name="product_types"' not in shown
    assert "Change the requirements of plan 2027-lab-1" in shown
    response = client.post(
        "/workbench/plans/2027-lab-1/change/",
        officers.plan_form(product_types="0915", requirements_en="Corrected"),
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk="2027-lab-1")
    assert (plan.product_types, plan.requirements_en, plan.status) == (["0701"], "Corrected", "published")
    before, after = history("2027-lab-1")[-1]
    assert ((before or {})["requirements"], (after or {})["requirements"]) == (
        {"en": "Old text"},
        {"en": "Corrected"},
    )


def test_a_closed_plan_is_not_changed(client: Client) -> None:
    officers.draft(requirements={"en": "Old text"})
    cnca = officers.user("cnca")
    services.publish_plan(actor="user:cnca", user=cnca, plan_id="2027-lab-1")
    services.close_plan(actor="user:cnca", user=cnca, plan_id="2027-lab-1", reason="enough applicants")
    signed_in(client, "cnca")
    count = len(history("2027-lab-1"))
    response = client.post("/workbench/plans/2027-lab-1/change/", officers.plan_form(requirements_en="New"))
    assert response.status_code == 409
    assert (
        "Only a draft or a published plan can be changed here. Nothing was changed."
        in response.content.decode()
    )
    assert (Plan.objects.get(pk="2027-lab-1").requirements_en, len(history("2027-lab-1"))) == (
        "Old text",
        count,
    )


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        (
            {"requirements_zh_hant": "只有中文"},
            "requirements_en",
            "Enter the requirements in English too: readers of English see them.",
        ),
        (
            {"requirements_en": "x" * 20_001},
            "requirements_en",
            "Ensure this value has at most 20000 characters (it has 20001).",
        ),
    ],
)
def test_wrong_requirements_are_refused_beside_their_field(
    client: Client, texts: dict[str, str], field: str, message: str
) -> None:
    signed_in(client, "cnca")
    response = client.post("/workbench/plans/new/", officers.plan_form(**texts))
    html = response.content.decode()
    assert response.status_code == 400
    hidden = '<span class="visually-hidden">Error: </span>'
    assert f'<p class="field-error" id="id_{field}-error">{hidden}{message}</p>' in html
    assert not Plan.objects.filter(pk="2027-lab-9").exists()


def test_a_services_refusal_of_a_text_is_shown_beside_its_field(client: Client) -> None:
    signed_in(client, "cnca")
    # A NUL character passes the form but not the services' text check.
    response = client.post("/workbench/plans/new/", officers.plan_form(requirements_zh_hans="坏\x00字"))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="field-error" id="id_requirements_zh_hans-error">' in html
    assert not Plan.objects.filter(pk="2027-lab-9").exists()


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "Able to test to GB 4706.1\nAccredited for 0701"),
        ("zh-hant", "具備 GB 4706.1 檢測能力"),
        ("zh-hans", "具备 GB 4706.1 检测能力"),
    ],
)
def test_the_public_calendar_shows_the_requirements_in_the_readers_language(
    client: Client, language: str, shown: str
) -> None:
    officers.draft(
        requirements={
            "en": TEXTS["requirements_en"],
            "zh-Hant": TEXTS["requirements_zh_hant"],
            "zh-Hans": TEXTS["requirements_zh_hans"],
        }
    )
    services.publish_plan(actor="user:cnca", user=officers.user("cnca"), plan_id="2027-lab-1")
    in_language(client, language)
    html = client.get("/calendar/").content.decode()
    assert f'<dd class="texts">{shown}</dd>' in html
    feed = client.get("/calendar.ics").content.decode().replace("\r\n ", "")
    assert shown.split("\n")[0] in feed


def test_requirements_given_only_in_chinese_reach_an_english_reader_in_chinese(client: Client) -> None:
    officers.draft(requirements={"zh-Hant": TEXTS["requirements_zh_hant"]})
    services.publish_plan(actor="user:cnca", user=officers.user("cnca"), plan_id="2027-lab-1")
    in_language(client, "en")
    html = client.get("/calendar/").content.decode()
    assert '<dd class="texts"><span lang="zh-Hant">具備 GB 4706.1 檢測能力</span></dd>' in html
    feed = client.get("/calendar.ics").content.decode().replace("\r\n ", "")
    assert "具備 GB 4706.1 檢測能力" in feed


def test_the_public_calendar_leaves_out_requirements_a_plan_does_not_have(client: Client) -> None:
    officers.draft()
    services.publish_plan(actor="user:cnca", user=officers.user("cnca"), plan_id="2027-lab-1")
    assert '<dd class="texts">' not in client.get("/calendar/").content.decode()
