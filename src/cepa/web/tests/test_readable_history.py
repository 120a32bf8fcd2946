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
