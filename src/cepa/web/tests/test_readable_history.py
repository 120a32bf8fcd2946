"""Histories say who in words (issue 11, point 8): the role that acted and how, never an account name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from cepa.designation import services as designation
from cepa.web.public import actors
from cepa.web.tests.conftest import in_language, signed_in

pytestmark = pytest.mark.django_db


def test_actors_in_words(personas: dict[str, Any]) -> None:
    found = actors.describe(["user:cnca", "cnca", "user:pearl", "user:gone", "public:web", "system:demo"])
    assert found == {
        "user:cnca": "CNCA officer",
        "cnca": "CNCA officer",
        "user:pearl": "staff of Pearl Delta Testing (Dongguan) Co Ltd",
        "user:gone": "an account",
        "public:web": "a member of the public",
        "system:demo": "the registry (data import)",
    }
    with translation.override("zh-hant"):
        assert (
            actors.with_channel(actors.describe(["user:cnca"])["user:cnca"], "web")
            == "國家認監委人員，經網站"
        )


def test_the_applicants_timeline_names_the_role(client: Client, personas: dict[str, Any]) -> None:
    application = designation.create_application(
        actor="user:pearl",
        user=personas["pearl"],
        organisation="cn-lab-pearl-delta",
        product_types=["0915"],
        channel="web",
    )
    signed_in(client, "pearl")
    html = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "By staff of Pearl Delta Testing (Dongguan) Co Ltd, on the website" in html
    assert "By pearl" not in html


def test_the_body_page_history_names_the_role(client: Client, demo: None) -> None:
    html = in_language(client, "zh-hans").get("/bodies/hk-lab-harbourview/").content.decode()
    assert "由 登记册（数据导入） 作出" in html
    assert "system:demo" not in html


@pytest.mark.parametrize(
    "language,name,date",
    [
        ("en", "Harbourview Testing Laboratory Ltd", "1 May 2026"),
        ("zh-hant", "海景測試實驗所有限公司", "2026年5月1日"),
    ],
)
def test_reasons_name_bodies_and_dates_for_people(
    client: Client, demo: None, language: str, name: str, date: str
) -> None:
    html = in_language(client, language).get("/who-can-test/", {"product": "0915", "on": "2026-06-01"})
    text = html.content.decode()
    card = text.split('id="r-hk-lab-harbourview"')[1].split("</article>")[0]
    reasons = card.split('<ul class="reasons">')[1]
    assert date in reasons and "2026-05-01" not in reasons.split('class="refs"')[0]
    assert name in text
    if language == "en":
        assert (
            "Testing agreement AGR-T-2021-001 with Huaxia Product Certification Centre covers 0915" in reasons
        )
        held = "Harbourview Testing Laboratory Ltd holds HOKLAS accreditation HOKLAS 901"
        assert f"{held}, granted on 16 April 2018" in reasons
    # The record ids stay, as links beside the message.
    assert '<a href="/bodies/hk-lab-harbourview/#r-hoklas-901">HOKLAS 901</a>' in reasons
