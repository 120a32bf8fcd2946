"""Finding a product type (issue 11, point 10): by its everyday names and synonyms in three languages
(data/product_synonyms.json, with its source), by bundled codes and by catalogue keys; the directory,
"who can test", the enquiry form and the inspector look-up share that one search."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.catalogue.models import ProductType
from cepa.web.public import products
from cepa.web.public.products import Catalogue, choose

SEARCHES = [
    ("雪櫃", "0701"),
    ("雪柜", "0701"),
    ("fridge", "0701"),
    ("Fridge", "0701"),
    ("冰箱", "0701"),
    ("电玩具", "2202"),
    ("電玩具", "2202"),
    ("electric toy", "2202"),
    ("風筒", "0709"),
    ("充電寶", "0914"),
    ("rice cooker", "0718"),
    ("手提電腦", "0902"),
    ("mobile phone", "1606"),
    ("BB車", "2201"),
    # Bundled codes name their type and are echoed back.
    ("2203", "2203"),
    ("0207", "0207"),
]


def test_the_synonyms_are_data_with_their_source_and_name_real_catalogue_keys() -> None:
    document = json.loads(products.SYNONYMS.read_text(encoding="utf-8"))
    assert document["version"] == "2026-12-06"
    assert document["source"] != "" and document["note"] != ""
    catalogue = json.loads(
        (products.SYNONYMS.parents[2] / "catalogue" / "data" / "product_types.json").read_text(
            encoding="utf-8"
        )
    )
    keys = {record["key"] for record in catalogue["product_types"]}
    entries = document["synonyms"]
    assert len(entries) == 38
    assert [entry["key"] for entry in entries if entry["key"] not in keys] == []
    assert len({entry["key"] for entry in entries}) == len(entries)
    for entry in entries:
        assert sorted(entry) == ["en", "key", "note", "source", "zh-Hans", "zh-Hant"]
        assert entry["source"] != ""
        assert entry["en"] and entry["zh-Hant"] and entry["zh-Hans"], entry["key"]
    assert products.synonyms()["0701"] == (
        "fridge",
        "refrigerator",
        "freezer",
        "chest freezer",
        "雪櫃",
        "冰箱",
        "冰櫃",
        "冰箱",
        "冰柜",
    )


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(("query", "code"), SEARCHES)
def test_everyday_names_bundled_codes_and_keys_choose_the_product_type(query: str, code: str) -> None:
    choice = choose(query, Catalogue.load())
    assert (choice.code, choice.error, choice.candidates) == (code, "", [])


@pytest.mark.usefixtures("demo")
def test_a_catalogue_key_names_a_type_without_a_code() -> None:
    choice = choose("ebike-chargers", Catalogue.load())
    assert choice.product == ProductType.objects.get(key="ebike-chargers")
    assert choice.code is None
    assert (
        choice.error == "This product type has no published code yet, so the registry cannot answer for it."
    )
    # Its everyday name finds it too.
    assert choose("e-bike", Catalogue.load()).product == ProductType.objects.get(key="electric-bicycles")


@pytest.mark.usefixtures("demo")
def test_a_word_of_several_types_offers_them_all() -> None:
    choice = choose("電腦", Catalogue.load())
    # 電腦 is the everyday word of desktops (exactly), so it picks 0901; "computer" asks which one.
    assert choice.code == "0901"
    several = choose("computer", Catalogue.load())
    assert several.code is None
    assert [product.code for product in several.candidates] == ["0901", "0902", "0903", "0904"]
    assert several.error == "4 product types match “computer”. Choose one."


@pytest.mark.usefixtures("demo")
def test_the_pages_find_a_product_by_its_everyday_name(client: Client) -> None:
    # A name costs no more queries than the code (the synonyms are a file read once).
    with CaptureQueriesContext(connection) as by_code:
        client.get("/who-can-test/", {"product": "0701", "on": "2026-11-26"})
    with CaptureQueriesContext(connection) as by_name:
        who = client.get("/who-can-test/", {"product": "雪櫃", "on": "2026-11-26"}).content.decode()
    assert len(by_name.captured_queries) == len(by_code.captured_queries)
    assert '<h2 id="results">Laboratories for 0701 on 26 November 2026</h2>' in who
    enquiry = client.get("/enquiry/", {"product": "fridge"}).content.decode()
    assert "<dt>Enquiry sector</dt><dd>Electrical and electronic products</dd>" in enquiry
    assert "Mr QIU Lei" in enquiry
    directory = client.get("/directory/", {"product": "电玩具", "on": "2026-11-26"}).content.decode()
    assert "May test 2202 on 26 November 2026?" in directory
