from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from cepa.personnel.models import Inspector
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")


def results(client: Client, **params: str) -> str:
    response = client.get("/inspectors/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('<h2 id="results">')[1] if '<h2 id="results">' in html else html


def found(html: str) -> list[str]:
    return re.findall(r'<dt>Registration number</dt><dd class="codes">([^<]+)</dd>', html)


def test_by_registration_number_today_with_body_grade_and_products(client: Client) -> None:
    html = results(client, number="ccaa-2023-ccc-0107", on="2026-11-26")
    assert found(html) == ["CCAA-2023-CCC-0107"]
    assert '<span class="tag ok">Registered</span>' in html
    assert "Registered as a CCC factory inspector on 26 November 2026." in html
    assert "<dt>Grade</dt><dd>Senior inspector</dd>" in html
    assert ('<dt>Works for</dt><dd><a href="/bodies/hk-cb-peninsula/">'
            "Peninsula Quality Certification Ltd</a></dd>") in html
    assert '<span class="codes">07</span> Household and similar electrical appliances' in html
    assert ('<span class="codes">0915</span> '
            "Lithium-ion cells and batteries for portable electronic products") in html
    assert "from 1 February 2023 until 30 June 2025" in html


@pytest.mark.parametrize("number,on,says", [
    ("CCAA-2023-CCC-0104", "2026-06-01", "Status on 1 June 2026: Suspended."),
    ("CCAA-2023-CCC-0104", "2026-09-01", "Registered as a CCC factory inspector on 1 September 2026."),
    ("CCAA-2021-CCC-0106", "2026-11-26", "The registration is not valid on 26 November 2026."),
    ("CCAA-2021-CCC-0105", "2026-11-26", "Status on 26 November 2026: Cancelled."),
])
def test_status_on_a_date(client: Client, number: str, on: str, says: str) -> None:
    html = results(client, number=number, on=on)
    assert says in html


@pytest.mark.parametrize("name,body,expected", [
    ("林子軒", "hk-cb-victoria", ["CCAA-2023-CCC-0107"]),
    ("林子轩", "hk-cb-peninsula", ["CCAA-2023-CCC-0107"]),
    ("lam tsz", "hk-cb-peninsula", ["CCAA-2023-CCC-0107"]),
    ("陳少明", "hk-cb-victoria", ["CCAA-2022-CCC-0101"]),
    ("陳少明", "hk-cb-lion-peak", []),
    ("趙磊", "cn-cb-huaxia", ["CCAA-2020-CCC-0201"]),
])
def test_by_name_in_any_script_with_the_body(
    client: Client, name: str, body: str, expected: list[str]
) -> None:
    html = results(client, name=name, body=body, on="2026-11-26")
    assert found(html) == expected
    if not expected:
        assert "No registered inspector matches." in html


@pytest.mark.parametrize("params,error", [
    ({"number": "", "name": ""},
     '<a href="#id_number">Enter a registration number, or a name and a body.</a>'),
    ({"name": "Chan"}, '<a href="#id_body">Choose the body the inspector works for.</a>'),
    ({"name": "C", "body": "hk-cb-victoria"},
     '<a href="#id_name">Enter at least two characters of the name.</a>'),
    ({"name": "Chan", "body": "hk-lab-harbourview"},
     '<a href="#id_body">Select a valid choice. hk-lab-harbourview is not one of the available choices.</a>'),
])
def test_incomplete_searches_are_explained(client: Client, params: dict[str, str], error: str) -> None:
    html = client.get("/inspectors/", params).content.decode()
    assert error in html
    assert '<h2 id="results">' not in html


def test_personal_data_is_never_shown(client: Client) -> None:
    Inspector.objects.filter(pk="CCAA-2022-CCC-0101").update(
        date_of_birth=dt.date(1980, 2, 3), identity_document="K123456(7)", email="siu.ming@example.com",
        phone="+852 5555 0101")
    html = client.get("/inspectors/", {"number": "CCAA-2022-CCC-0101"}).content.decode()
    for secret in ("1980", "K123456", "siu.ming", "5555 0101", "3 February"):
        assert secret not in html
    body = client.get("/bodies/hk-cb-victoria/").content.decode()
    assert "siu.ming" not in body and "K123456" not in body


def test_lookup_in_simplified_chinese(client: Client) -> None:
    html = in_language(client, "zh-hans").get("/inspectors/", {"number": "CCAA-2022-CCC-0101",
                                                                "on": "2026-11-26"}).content.decode()
    assert "<h3 id=\"r-ccaa-2022-ccc-0101-title\">陈少明" in html
    assert "于 2026年11月26日 已注册为 CCC 工厂检查员。" in html
    assert "维港认证有限公司" in html


def test_lookup_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(10):
        client.get("/inspectors/", {"name": "chan", "body": "hk-cb-victoria"})
    with django_assert_max_num_queries(10):
        client.get("/inspectors/", {"number": "CCAA-2023-CCC-0107"})
