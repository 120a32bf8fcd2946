from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")

ON = "2026-11-26"
BATTERY_LABS = ["hk-lab-aberdeen", "hk-lab-harbourview", "cn-lab-pearl-delta"]
ROW = re.compile(r'<th scope="row"><a href="/bodies/([^"]+)/">')


def ids(client: Client, **params: Any) -> list[str]:
    response = client.get("/directory/", {"on": ON, **params})
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def test_every_body_is_listed_by_name_on_two_pages(client: Client) -> None:
    first = client.get("/directory/", {"on": ON}).content.decode()
    assert "33 bodies match, as on 26 November 2026." in first
    assert "Showing 1 to 25." in first
    assert ROW.findall(first)[:3] == ["hk-lab-aberdeen", "cn-cb-beifang", "cn-lab-bohai"]
    second = ids(client, page=2)
    assert len(second) == 8
    assert second[-1] == "cn-cb-xiongan"
    assert ids(client, page=99) == second  # a page past the end shows the last page


@pytest.mark.parametrize("params,expected", [
    ({"kind": "inspection_body"}, ["hk-ib-sai-kung"]),
    ({"kind": "certification_body", "seat": "HK"},
     ["hk-cb-lion-peak", "hk-cb-new-territories", "hk-cb-peninsula", "hk-cb-victoria"]),
    ({"seat": "OVERSEAS"}, ["os-cb-nordlys", "os-lab-rheinufer"]),
    ({"hk_invested": "yes", "kind": "laboratory"},
     ["cn-lab-hengqin-hk", "cn-lab-nansha", "cn-lab-pearl-delta", "cn-lab-qianhai"]),
    ({"scheme": "HKCAS"}, ["hk-cb-lion-peak", "hk-cb-peninsula", "hk-cb-victoria"]),
    ({"scheme": "CNAS"}, ["cn-lab-jiangnan", "cn-lab-pearl-delta"]),
    ({"product": "0915", "kind": "laboratory"}, BATTERY_LABS),
    ({"category": "household-gas-appliances"}, ["cn-cb-tianfu"]),
    ({"status": "accredited", "product": "0915"}, BATTERY_LABS),
    ({"status": "accredited", "product": "0915", "on": "2026-06-01"},
     ["hk-cb-lion-peak", "cn-lab-pearl-delta"]),
    ({"status": "accredited", "kind": "laboratory", "seat": "HK", "scheme": "HOKLAS", "on": "2026-01-01"},
     ["hk-lab-chai-wan", "hk-lab-cheung-sha-wan", "hk-lab-harbourview", "hk-lab-kowloon-bay",
      "hk-lab-kwun-tong", "hk-lab-sha-tin", "hk-lab-tsing-yi", "hk-lab-tsuen-wan"]),
    ({"status": "designated", "kind": "laboratory"},
     ["cn-lab-bohai", "cn-lab-changjiang", "cn-lab-hengqin-hk", "cn-lab-pearl-delta"]),
    ({"status": "agreement", "kind": "certification_body"},
     ["hk-cb-lion-peak", "hk-cb-new-territories", "hk-cb-peninsula", "hk-cb-victoria"]),
    ({"q": "harbour"}, ["hk-lab-harbourview", "cn-cb-qianhai-hk", "hk-cb-victoria"]),
    ({"q": "HOKLAS 905"}, ["hk-lab-aberdeen"]),
    ({"q": "hk-ib"}, ["hk-ib-sai-kung"]),
])
def test_each_filter(client: Client, params: dict[str, str], expected: list[str]) -> None:
    assert ids(client, **params) == expected


@pytest.mark.parametrize("typed", ["海景測試", "海景测试", "海景測试實驗所"])
def test_a_chinese_name_is_found_in_traditional_or_simplified(client: Client, typed: str) -> None:
    assert ids(client, q=typed) == ["hk-lab-harbourview"]


def test_a_simplified_only_name_is_found_typed_in_traditional(client: Client) -> None:
    # cn-cb-donghai has only a Simplified name (东海认证有限公司).
    assert ids(client, q="東海認證") == ["cn-cb-donghai"]


def test_sorting_by_kind_and_reversed_name(client: Client) -> None:
    by_kind = ids(client, sort="kind", seat="HK")
    assert by_kind[:2] == ["hk-lab-aberdeen", "hk-lab-chai-wan"]
    assert by_kind[-1] == "hk-ib-sai-kung"
    assert ids(client, sort="-name", kind="inspection_body") == ["hk-ib-sai-kung"]
    page = client.get("/directory/", {"sort": "-name"}).content.decode()
    assert '<th scope="col" aria-sort="descending"><a href="?sort=name">Body</a></th>' in page


def test_choosing_a_product_says_which_laboratories_may_test_it(client: Client) -> None:
    page = client.get("/directory/", {"on": ON, "product": "0701", "kind": "laboratory"}).content.decode()
    assert "May test 0701 on 26 November 2026?" in page
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="/bodies/([^"]+)/">.*?</tr>', page, re.S)
    assert rows == ["hk-lab-chai-wan", "hk-lab-harbourview", "cn-lab-pearl-delta", "hk-lab-tsuen-wan"]
    verdicts = re.findall(r'<span class="tag (ok|bad)">', page)
    assert verdicts == ["ok", "ok", "ok", "bad"]
    assert 'href="/who-can-test/?product=0701&amp;on=2026-11-26#r-hk-lab-tsuen-wan"' in page


def test_a_certification_body_is_not_asked_whether_it_may_test(client: Client) -> None:
    page = client.get("/directory/", {"on": ON, "product": "0701", "q": "victoria"}).content.decode()
    assert "Not a laboratory" in page


def test_bad_filters_are_explained_and_keep_what_was_typed(client: Client) -> None:
    response = client.get("/directory/", {"on": "26/11/2026", "kind": "robot", "product": "9999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_on">Enter the date as year-month-day, for example 2026-11-26.</a>' in page
    assert '<a href="#id_kind">Select a valid choice. robot is not one of the available choices.</a>' in page
    assert '<a href="#id_product">No product type has the code 9999.</a>' in page
    assert 'value="26/11/2026"' in page
    assert "bodies match" not in page


def test_an_ambiguous_product_name_offers_the_candidates(client: Client) -> None:
    page = client.get("/directory/", {"product": "explosion-proof"}).content.decode()
    assert "product types match “explosion-proof”. Choose one." in page
    assert "Which product type do you mean?" in page


def test_a_coded_value_copied_from_the_open_data_filters_in_any_casing(client: Client) -> None:
    # The open-data files write seats and schemes in lower case; the registry keeps the contract's.
    upper = ids(client, seat="HK", scheme="HOKLAS")
    assert upper
    assert ids(client, seat="hk", scheme="hoklas") == upper
    assert ids(client, seat="Hk", scheme="Hoklas") == upper


def test_download_links_carry_the_filters(client: Client) -> None:
    page = client.get("/directory/", {"seat": "HK", "page": "1", "sort": "kind"}).content.decode()
    assert 'href="/open-data/cepa-registry.json?seat=HK"' in page


@pytest.mark.parametrize("language,heading,date", [
    ("zh-hant", "查找檢測或認證機構", "有 33 個機構符合（以 2026年11月26日 為準）。"),
    ("zh-hans", "查找检测或认证机构", "有 33 个机构符合（以 2026年11月26日 为准）。"),
])
def test_directory_in_chinese(client: Client, language: str, heading: str, date: str) -> None:
    page = in_language(client, language).get("/directory/", {"on": ON}).content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert date in page
    # Names in the page's language; the overseas body has only an English name, marked as such.
    assert '<span lang="en">Rheinufer Prüflabor GmbH</span>' in page


def test_directory_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(15):
        client.get("/directory/", {"on": ON, "product": "0915", "status": "accredited", "q": "ltd",
                                   "scheme": "HOKLAS"})
    with django_assert_max_num_queries(15):
        client.get("/directory/", {"on": ON, "category": "household-appliances", "status": "designated"})


@pytest.mark.parametrize("product", ["0807", "0907"])
@pytest.mark.parametrize("status", ["", "accredited", "designated", "agreement"])
def test_a_type_is_found_under_any_of_its_codes(client: Client, product: str, status: str) -> None:
    # The demo's records name the type 0807/0907 (one type, contract §1 rev. 2) as 0807 only;
    # hk-lab-kowloon-bay's accreditation for it was withdrawn in 2025.
    expected = {
        "accredited": ["hk-lab-harbourview", "hk-cb-lion-peak"],
        "designated": ["cn-cb-huaxia", "cn-cb-lingnan", "cn-cb-qianhai-hk"],
        "agreement": ["hk-lab-kowloon-bay", "hk-cb-lion-peak"],
    }
    found = sorted(ids(client, product=product, status=status))
    if status:
        assert found == sorted(expected[status])
    else:
        assert found == sorted({*(b for bodies in expected.values() for b in bodies), "hk-lab-kowloon-bay"})
