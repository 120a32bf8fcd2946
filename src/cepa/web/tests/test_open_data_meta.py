"""Open data explains itself (issue 11, point 4): a licence, when it was generated, a data dictionary for
every file (datapackage.json) and a codes file with the names in three languages."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from cepa.web.public import opendata
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.django_db


def test_the_codes_file_names_every_code_in_three_languages(
    client: Client, demo: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        response = client.get("/open-data/codes.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="codes.csv"'
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == ["list", "code", "name_en", "name_zh_hant", "name_zh_hans", "interchange_code"]
    by_key = {(row["list"], row["code"]): row for row in rows}
    fridge = by_key[("product_type", "0701")]
    assert fridge["name_en"] and fridge["name_zh_hant"] and fridge["name_zh_hans"]
    assert ("product_type", "0907") in by_key and (
        "product_type",
        "0807",
    ) in by_key  # bundled codes, one type
    assert [by_key[("kind", "laboratory")][n] for n in ("name_en", "name_zh_hant", "name_zh_hans")] == [
        "Laboratory",
        "實驗室",
        "实验室",
    ]
    hong_kong = by_key[("seat", "hk")]
    assert (hong_kong["name_en"], hong_kong["interchange_code"]) == ("Hong Kong", "HK")
    assert by_key[("accreditation_status", "suspended")]["name_en"] == "Suspended"
    assert {row["list"] for row in rows} == {
        "product_type",
        "kind",
        "seat",
        "scheme",
        "accreditation_status",
        "role",
        "agreement_kind",
        "grade",
        "inspector_status",
        "certificate_status",
    }


def test_the_data_package_describes_every_file_and_column(client: Client, demo: None) -> None:
    response = client.get("/open-data/datapackage.json")
    assert response.status_code == 200
    package = json.loads(response.content)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].endswith("+08:00")
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {"cepa-registry", "codes", "who-can-test", "certificate-status"} | {
        name.replace("_", "-") for name in opendata.CSV_FILES
    }
    for name, (_list, _rows, columns) in opendata.CSV_FILES.items():
        resource = resources[name.replace("_", "-")]
        assert resource["path"] == f"/open-data/{name}.csv"
        assert [field["name"] for field in resource["schema"]["fields"]] == [c for c, _ in columns]
        assert all(field["description"] for field in resource["schema"]["fields"])
        # Each CSV's header is exactly what its dictionary lists.
        header = client.get(resource["path"]).content.decode().removeprefix("\ufeff").split("\r\n")[0]
        assert header.split(",") == [field["name"] for field in resource["schema"]["fields"]]
    assert [f["name"] for f in resources["who-can-test"]["schema"]["fields"]][:2] == ["laboratory", "name_en"]


@pytest.mark.parametrize(
    "language,licence",
    [
        ("en", "Creative Commons Attribution 4.0 International"),
        ("zh-hant", "Creative Commons Attribution 4.0 International"),
        ("zh-hans", "Creative Commons Attribution 4.0 International"),
    ],
)
def test_the_open_data_page_gives_the_licence_dictionary_and_codes(
    client: Client, demo: None, language: str, licence: str
) -> None:
    html = in_language(client, language).get("/open-data/").content.decode()
    assert licence in html
    assert 'href="/open-data/datapackage.json"' in html and 'href="/open-data/codes.csv"' in html
    assert 'id="licence"' in html
