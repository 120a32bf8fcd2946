"""The expression of interest form picks product types like the application form (issue 11, point 10):
the year's plans for bodies of its kind and its accreditation scope to tick, other codes typed; unknown
codes are flagged and nothing is sent."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.designation.models import ExpressionOfInterest
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
BOXES = re.compile(r'<input type="checkbox" name="suggested" value="([^"]+)" id="([^"]+)"( checked)?>')


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield


def test_the_form_offers_the_years_plans_and_the_accreditation_scope(client: Client) -> None:
    signed_in(client, "pearl")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/portal/expressions-of-interest/").content.decode()
    assert len(queries) <= 20
    assert [(value, box) for value, box, _ in BOXES.findall(html)] == [
        ("1801", "plan-1801"),
        ("1809", "plan-1809"),
        ("2401", "plan-2401"),
        ("2402", "plan-2402"),
        ("0701", "scope-0701"),
        ("0702", "scope-0702"),
        ("0703", "scope-0703"),
        ("0705", "scope-0705"),
        ("0915", "scope-0915"),
    ]
    assert "<h2>In the 2027 designation plans for bodies like yours</h2>" in html
    assert "<h2>In your accreditation scope</h2>" in html
    assert '<label for="scope-0701">0701 Household refrigerators and food freezers</label>' in html
    # A body with no accreditation scope is offered the plans only.
    signed_in(client, "bohai")
    other = client.get("/portal/expressions-of-interest/").content.decode()
    assert [value for value, _, _ in BOXES.findall(other)] == ["1801", "1809", "2401", "2402"]


def test_ticked_and_typed_product_types_are_sent_together(client: Client) -> None:
    signed_in(client, "pearl")
    data = {"year": "2027", "suggested": ["2401", "0701"], "product_types": "0915, 2401"}
    response = client.post("/portal/expressions-of-interest/", data)
    assert response.status_code == 302
    created = ExpressionOfInterest.objects.filter(organisation_id="cn-lab-pearl-delta", year=2027).get()
    assert created.product_types == ["0701", "0915", "2401"]


def test_an_unknown_code_is_flagged_and_the_ticks_are_kept(client: Client) -> None:
    signed_in(client, "pearl")
    before = ExpressionOfInterest.objects.count()
    data = {"year": "2027", "suggested": ["2401"], "product_types": "0915 9999"}
    response = client.post("/portal/expressions-of-interest/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<li><a href="#id_product_types">No product type has the code 9999.</a></li>' in html
    assert ("2401", "plan-2401", " checked") in BOXES.findall(html)
    assert ("1801", "plan-1801", "") in BOXES.findall(html)
    assert 'value="0915 9999"' in html
    assert ExpressionOfInterest.objects.count() == before


def test_a_code_not_offered_cannot_be_ticked(client: Client) -> None:
    signed_in(client, "pearl")
    before = ExpressionOfInterest.objects.count()
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "suggested": ["0101"]})
    assert response.status_code == 400
    assert "Select a valid choice. 0101 is not one of the available choices." in response.content.decode()
    assert ExpressionOfInterest.objects.count() == before


def test_the_picker_in_chinese(client: Client) -> None:
    signed_in(client, "pearl", "zh-hant")
    html = client.get("/portal/expressions-of-interest/").content.decode()
    assert "<h2>2027年度指定計劃中適用於同類機構的產品</h2>" in html
    assert "<h2>貴機構認可範圍內的產品</h2>" in html
    assert "剔選所有有意參與的產品類型。" in html
    signed_in(client, "pearl", "zh-hans")
    html = client.get("/portal/expressions-of-interest/").content.decode()
    assert "<h2>2027年度指定计划中适用于同类机构的产品</h2>" in html
    assert "<h2>贵机构认可范围内的产品</h2>" in html
    assert "勾选所有有意参与的产品类型。" in html


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("雪櫃, rice cooker", ["0701", "0718"]),
        ("fridge，电玩具；0915 2401", ["0701", "0915", "2202", "2401"]),
        ("ebike-chargers, 充電寶", ["0914", "ebike-chargers"]),
        ("0207", ["0207"]),
    ],
)
def test_names_and_synonyms_may_be_typed_for_codes(client: Client, typed: str, codes: list[str]) -> None:
    signed_in(client, "pearl")
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "product_types": typed})
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = ExpressionOfInterest.objects.filter(organisation_id="cn-lab-pearl-delta", year=2027).get()
    assert created.product_types == codes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("computer", "4 product types match “computer”. Choose one."),
        ("宇宙飛船", "No product type matches “宇宙飛船”. Try a code such as 0701, or fewer words."),
        ("fridge, spaceship", "No product type has the code spaceship."),
    ],
)
def test_a_name_of_several_types_or_of_none_is_flagged(client: Client, typed: str, message: str) -> None:
    signed_in(client, "pearl")
    before = ExpressionOfInterest.objects.count()
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "product_types": typed})
    assert response.status_code == 400
    assert f'<li><a href="#id_product_types">{message}</a></li>' in response.content.decode()
    assert ExpressionOfInterest.objects.count() == before


def test_the_application_form_takes_names_too(client: Client) -> None:
    from cepa.designation.models import Application

    signed_in(client, "pearl")
    response = client.post("/portal/applications/new/", {"suggested": [], "other": "燃氣灶, 2402"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    application = Application.objects.order_by("-id").first()
    assert application is not None and application.product_types == ["2401", "2402"]


def test_the_typed_field_says_names_work_in_three_languages(client: Client) -> None:
    for language, hint in [
        (
            "en",
            "Codes such as 0914, or names such as “fridge” or 雪櫃, separated by commas, for product types",
        ),
        (
            "zh-hant",
            "產品類型代碼（例如 0914）或名稱（例如「雪櫃」或 fridge），以逗號分隔，用於上面沒有列出的",
        ),
        (
            "zh-hans",
            "产品类型代码（例如 0914）或名称（例如“冰箱”或 fridge），以逗号分隔，用于上面没有列出的",
        ),
    ]:
        signed_in(client, "pearl", language)
        assert hint in client.get("/portal/expressions-of-interest/").content.decode()
        assert hint in client.get("/portal/applications/new/").content.decode()
