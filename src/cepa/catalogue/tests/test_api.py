"""The public catalogue API: shapes, filters, 400s for bad input, and query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.testing import VERSION_QUERY

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalogue"


def get(client: Client, path: str, status: int = 200) -> Any:
    response = client.get(BASE + path)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def keys(page: dict[str, Any]) -> list[str]:
    return [item["key"] for item in page["items"]]


def test_versions(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1 + VERSION_QUERY):
        body = get(client, "/versions")
    assert [(v["key"], v["effective"], v["product_types_recorded"]) for v in body] == [
        ("CNCA-2014-45", "2014-12-16", 0),
        ("SAMR-2020-18", "2020-04-21", 103),
        ("SAMR-2023-36", "2023-08-10", 96),
    ]
    assert body[2]["instrument"]["key"] == "SAMR-PN-2023-36"
    assert body[2]["product_type_count"] == 96


def test_categories(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1 + VERSION_QUERY):
        body = get(client, "/categories")
    assert len(body) == 17
    wires = next(c for c in body if c["key"] == "wires-cables")
    assert wires["name"] == {"en": "Wires and cables", "zh-Hant": "電線電纜", "zh-Hans": "电线电缆"}
    assert (wires["sector"], wires["sector_confirmed"], wires["product_type_count"]) == (
        "electrical_electronic", False, 4,
    )


def test_product_types_paginated(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(5 + VERSION_QUERY):  # the periods and routes over time: one query
        body = get(client, "/product-types?limit=200")
    assert body["count"] == 116
    assert len(body["items"]) == 116
    assert keys(body)[:3] == ["0101", "0104", "0105"]
    assert all(item["code"] is None for item in body["items"][-14:])
    second = get(client, "/product-types?limit=2&offset=2")
    assert (second["count"], keys(second)) == (116, ["0105", "0201"])


def test_product_type_filters(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(7 + VERSION_QUERY):
        body = get(
            client, "/product-types?category=electric-tools&version=SAMR-2023-36&route=self_declaration_a"
        )
    assert keys(body) == ["0501", "0503", "0506"]
    removed = get(client, "/product-types?version=SAMR-2020-18&in_catalogue_on=2023-01-01&limit=200")
    assert removed["count"] == 94
    assert get(client, "/product-types?in_catalogue_on=2025-06-01")["count"] == 107
    non_ee = get(client, "/product-types?sector=non_electrical_electronic&version=SAMR-2023-36")
    assert non_ee["count"] == 27
    assert get(client, "/product-types?sector=electrical_electronic&version=SAMR-2023-36")["count"] == 69


def test_free_text_over_codes_and_every_language(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6 + VERSION_QUERY):
        assert keys(get(client, "/product-types?q=0907")) == ["0807"]
    assert keys(get(client, "/product-types?q=microwave")) == ["0714"]
    assert keys(get(client, "/product-types?q=微波炉")) == ["0714"]
    assert keys(get(client, "/product-types?q=微波爐")) == ["0714"]
    assert keys(get(client, "/product-types?q=chargers")) == ["0807", "ebike-chargers"]


def test_product_type_detail(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6 + VERSION_QUERY):
        body = get(client, "/product-types/0305")
    assert (body["key"], body["code"], body["route"]) == ("0302", "0302", "certification")
    assert body["other_codes"] == ["0303", "0304", "0305", "0306", "0307", "0308", "0309"]
    assert body["versions"] == ["SAMR-2020-18", "SAMR-2023-36"]
    assert [(c["kind"], c["effective"], c["new_route"]) for c in body["changes"]] == [
        ("route_changed", "2024-11-01", "certification"),
    ]
    assert body["changes"][0]["instrument"]["key"] == "SAMR-PN-2024-9"


def test_product_type_detail_with_routine_scope(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6 + VERSION_QUERY):
        body = get(client, "/product-types/2101")
    assert [(e["instrument"]["key"], e["valid_from"]) for e in body["routine_scope"]] == [
        ("CNCA-PN-2015-34", "2015-12-31"),
        ("CNCA-PN-2017-28", "2017-09-29"),
    ]
    removed = get(client, "/product-types/0801")
    assert (removed["removed_on"], removed["removed_by"]) == ("2022-10-11", "SAMR-PN-2022-34")
    slug = get(client, "/product-types/ebike-chargers")
    assert (slug["code"], slug["applications_from"], slug["versions"]) == (None, "2024-10-15", [])


def test_routes_and_periods_over_time(client: Client) -> None:
    body = get(client, "/product-types/0302")
    assert [(r["route"], r["from"], r["until"], r["instrument"], r["confirmed"]) for r in body["routes"]] == [
        ("certification", "2002-05-01", "2019-12-31", "AQSIQ-CNCA-PN-2001-33", False),
        ("self_declaration_b", "2020-01-01", "2024-10-31", "SAMR-PN-2019-44", True),
        ("certification", "2024-11-01", None, "SAMR-PN-2024-9", True),
    ]
    assert all(r["source"] for r in body["routes"])
    assert [(p["from"], p["until"], p["instrument"], p["confirmed"]) for p in body["periods"]] == [
        ("2002-05-01", None, "AQSIQ-CNCA-PN-2001-33", False),
    ]
    # Removed and brought back: two periods; the list carries them too.
    listed = get(client, "/product-types?q=combustible-gas-alarms")["items"]
    assert [(p["from"], p["until"], p["ended_by"]) for p in listed[0]["periods"]] == [
        ("2011-10-01", "2018-06-10", "SAMR-CNCA-PN-2018-11"),
        ("2024-10-01", None, None),
    ]
    assert [(r["from"], r["confirmed"]) for r in listed[0]["routes"]] == [
        ("2011-10-01", False), ("2024-10-01", False)]


def test_unknown_and_malformed_product_types(client: Client) -> None:
    assert get(client, "/product-types/9999", 404)["code"] == "NOT_FOUND"
    assert get(client, "/product-types/a%20b", 400)["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("in_catalogue_on=2024-02-30", "in_catalogue_on"),
        ("in_catalogue_on=yesterday", "in_catalogue_on"),
        ("route=by_magic", "route"),
        ("sector=both", "sector"),
        ("category=nowhere", "category"),
        ("version=SAMR-2099-1", "version"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("limit=ten", "limit"),
    ],
)
def test_bad_filters_are_400_naming_the_field(client: Client, query: str, field: str) -> None:
    body = get(client, f"/product-types?{query}", 400)
    assert body["code"] == "BAD_REQUEST"
    assert body["message"].startswith(f"{field}:")


def test_routine_scope(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2 + VERSION_QUERY):
        body = get(client, "/routine-scope?on=2016-06-01")
    assert [i["key"] for i in body["instruments"]] == ["CNCA-PN-2015-34", "CNCA-PN-2017-1", "CNCA-PN-2017-28"]
    assert sorted(e["product_type"] for e in body["entries"]) == ["0301", "0401", "2101"]
    everything = get(client, "/routine-scope")
    assert (everything["on"], len(everything["entries"])) == (None, 29)
    assert get(client, "/routine-scope?on=2016-13-01", 400)["message"].startswith("on:")


def test_contacts(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1 + VERSION_QUERY):
        body = get(client, "/contacts")
    assert [(c["sector"], c["name"]["en"], c["phone"], c["email"]) for c in body] == [
        ("electrical_electronic", "Mr QIU Lei", "+86-10-82262779", ""),
        ("non_electrical_electronic", "Mr GUAN Jun-wen", "+86-10-82262674", ""),
    ]


def test_instruments(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1 + VERSION_QUERY):
        body = get(client, "/instruments")
    assert len(body) == 42  # 33, and the nine notices that first brought types into CCC (rev. 2)
    pn1 = next(i for i in body if i["key"] == "CNCA-PN-2017-1")
    assert (pn1["confirmed"], pn1["issued"]) == (False, None)


def test_the_catalogue_is_read_only(client: Client) -> None:
    assert client.post(BASE + "/product-types", {}).status_code == 405
