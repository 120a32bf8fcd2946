from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")


def sections(html: str) -> dict[str, list[str]]:
    """Laboratory ids under each heading of the results (Hong Kong, Mainland, refused)."""
    results = html.split('<h2 id="results">')[1]
    hong_kong, rest = results.split("<h3>Mainland laboratories</h3>")
    mainland, refused = rest.split('<details class="refused-list">') if "refused-list" in rest else (rest, "")
    find = re.compile(r'<article class="decision \w+" id="r-([^"]+)"')
    return {"hong_kong": find.findall(hong_kong), "mainland": find.findall(mainland),
            "refused": find.findall(refused)}


def test_laboratories_that_may_test_a_product_on_a_date_with_reasons(client: Client) -> None:
    html = client.get("/who-can-test/", {"product": "0701", "on": "2026-11-26"}).content.decode()
    assert "<h2 id=\"results\">Laboratories for 0701 on 26 November 2026</h2>" in html
    assert "3 laboratories may test it on 26 November 2026." in html
    found = sections(html)
    assert found["hong_kong"] == ["hk-lab-chai-wan", "hk-lab-harbourview"]
    assert found["mainland"] == ["cn-lab-pearl-delta"]
    assert len(found["refused"]) == 16
    # Each condition with a tick, the records it rests on linked, and its legal basis in a disclosure.
    card = html.split('id="r-hk-lab-harbourview"')[1].split("</article>")[0]
    assert card.count('<li class="holds">') == 6
    assert '<a href="/bodies/hk-lab-harbourview/#r-hoklas-901">HOKLAS 901</a>' in card
    assert '<a href="/bodies/hk-lab-harbourview/#r-agr-t-2021-001">AGR-T-2021-001</a>' in card
    assert '<a href="/bodies/cn-cb-huaxia/">cn-cb-huaxia</a>' in card
    assert '<a href="/bodies/cn-cb-huaxia/#r-cnca-d-2017-081">CNCA-D-2017-081</a>' in card
    assert ('<details class="basis"><summary>Legal basis</summary>'
            "<p>CEPA Implementation Guide (May 2020)") in card


def test_refused_laboratories_say_why(client: Client) -> None:
    html = client.get("/who-can-test/", {"product": "0915", "on": "2026-06-01"}).content.decode()
    refused = html.split('<details class="refused-list">')[1]
    card = refused.split('id="r-hk-lab-harbourview"')[1].split("</article>")[0]
    assert '<span class="tag bad">Refused</span>' in card
    assert re.findall(r'<li class="fails">', card) == ['<li class="fails">']
    assert "HOKLAS 901 is suspended for 0915 from 1 May 2026" in card
    overseas = refused.split('id="r-os-lab-rheinufer"')[1].split("</article>")[0]
    assert "overseas" in overseas.lower()


@pytest.mark.parametrize(
    "typed", ["household refrigerators", "電冰箱", "电冰箱", "0701 Household refrigerators"]
)
def test_a_product_found_by_name_in_any_language(client: Client, typed: str) -> None:
    html = client.get("/who-can-test/", {"product": typed, "on": "2026-11-26"}).content.decode()
    assert "Laboratories for 0701 on 26 November 2026" in html


def test_a_bundled_code_is_answered_for_that_code(client: Client) -> None:
    html = client.get("/who-can-test/", {"product": "0207", "on": "2026-11-26"}).content.decode()
    assert "Laboratories for 0207 on 26 November 2026" in html


@pytest.mark.parametrize("params,error", [
    ({"product": ""}, '<a href="#id_product">Enter a product type code or name.</a>'),
    ({"product": "9999"}, '<a href="#id_product">No product type has the code 9999.</a>'),
    ({"product": "zzzz qqq"}, "No product type matches “zzzz qqq”. Try a code such as 0701, or fewer words."),
    ({"product": "0701", "on": "2026-02-30"},
     '<a href="#id_on">Enter the date as year-month-day, for example 2026-11-26.</a>'),
    ({"product": "e-bike chargers"},
     "This product type has no published code yet, so the registry cannot answer for it."),
])
def test_bad_input_is_explained(client: Client, params: dict[str, str], error: str) -> None:
    html = client.get("/who-can-test/", params).content.decode()
    assert '<div class="error-summary" role="alert"' in html
    assert error in html
    assert 'id="results"' not in html


def test_the_start_page_asks_without_errors(client: Client) -> None:
    html = client.get("/who-can-test/").content.decode()
    assert "<h1>Who can test my product?</h1>" in html
    assert "error-summary" not in html
    assert '<option value="0701 Household refrigerators and food freezers"></option>' in html


def test_who_can_test_in_traditional_chinese(client: Client) -> None:
    html = in_language(client, "zh-hant").get("/who-can-test/", {"product": "0701", "on": "2026-11-26"})
    text = html.content.decode()
    assert '<html lang="zh-Hant">' in text
    assert "2026年11月26日 可處理 0701 的實驗室" in text
    assert "海景測試實驗所有限公司" in text
    assert "法律依據" in text


def test_who_can_test_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(15):
        client.get("/who-can-test/", {"product": "0915", "on": "2026-06-01"})


def test_the_product_type_over_time_with_its_routes_and_sources(client: Client) -> None:
    html = client.get("/who-can-test/", {"product": "0305", "on": "2026-11-26"}).content.decode()
    table = html.split('<details class="product-history" id="over-time">')[1].split("</details>")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>\s*'
                      r'<td[^>]*><span class="codes">([^<]+)</span>.*?<span class="tag (\w+)">', table, re.S)
    assert rows == [
        ("In the CCC catalogue", "1 May 2002", "—", "AQSIQ-CNCA-PN-2001-33", "warn"),
        ("Third-party certification", "1 May 2002", "31 December 2019", "AQSIQ-CNCA-PN-2001-33", "warn"),
        ("Self-declaration, type test in a designated laboratory (**)", "1 January 2020", "31 October 2024",
         "SAMR-PN-2019-44", "ok"),
        ("Third-party certification", "1 November 2024", "—", "SAMR-PN-2024-9", "ok"),
    ]
    assert table.count('<span class="tag warn">Uncertain</span>') == 2
    assert (
        '<td class="source" data-label="Source"><a href="http://www.easyapproval.cn/shows/10/14.html"'
    ) in table
    simplified = in_language(client, "zh-hans").get("/who-can-test/", {"product": "0305"}).content.decode()
    assert "自我声明" in simplified.split('id="over-time"')[1].split("</details>")[0]
