"""Who may test a product, as a file (issue 11, point 4): every laboratory with `allowed` and its failing
reasons, as CSV and JSON named after the product type and the date."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from cepa.decisions.services import testing_for_all as decisions_for_all

pytestmark = pytest.mark.django_db

ASK = {"product_type": "0701", "on": "2026-11-26"}


def rows_of(response: Any) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_has_every_laboratory_with_its_failing_reasons(
    client: Client, demo: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        response = client.get("/directory/decisions.csv", ASK)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="who-can-test-0701-2026-11-26.csv"'
    rows = rows_of(response)
    expected = decisions_for_all("0701", "2026-11-26", "en")
    assert [row["laboratory"] for row in rows] == [d.subject for d in expected]
    assert list(rows[0]) == [
        "laboratory",
        "name_en",
        "name_zh_hant",
        "name_zh_hans",
        "seat",
        "product_type",
        "on",
        "allowed",
        "failing_codes",
        "failing_messages",
    ]
    for row, decision in zip(rows, expected, strict=True):
        failing = [r for r in decision.reasons if not r.holds]
        assert row["allowed"] == ("true" if decision.allowed else "false")
        assert row["failing_codes"] == " ".join(r.code for r in failing)
        assert row["failing_messages"] == " | ".join(r.message for r in failing)
        assert (row["product_type"], row["on"]) == ("0701", "2026-11-26")
    harbour = next(row for row in rows if row["laboratory"] == "hk-lab-harbourview")
    assert (harbour["name_en"], harbour["seat"]) == ("Harbourview Testing Laboratory Ltd", "hk")
    assert sum(row["allowed"] == "true" for row in rows) == 3


def test_the_json_carries_the_date_licence_and_messages_in_the_language_asked(
    client: Client, demo: None
) -> None:
    response = client.get("/directory/decisions.json", {**ASK, "lang": "zh-Hant"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="who-can-test-0701-2026-11-26.json"'
    document = json.loads(response.content)
    assert list(document) == ["question", "product_type", "on", "generated_at", "licence", "laboratories"]
    assert (document["question"], document["product_type"], document["on"]) == (
        "testing",
        "0701",
        "2026-11-26",
    )
    assert document["generated_at"].endswith("+08:00")
    assert document["licence"]["name"] == "CC-BY-4.0"
    expected = decisions_for_all("0701", "2026-11-26", "zh-Hant")
    assert [
        (lab["laboratory"], lab["allowed"], [(f["code"], f["message"]) for f in lab["failing"]])
        for lab in document["laboratories"]
    ] == [(d.subject, d.allowed, [(r.code, r.message) for r in d.reasons if not r.holds]) for d in expected]


@pytest.mark.parametrize(
    "query,message",
    [
        ({"on": "2026-11-26"}, "product_type: is required: a 4-digit code such as 0701, or a catalogue key"),
        (
            {"product_type": "9999"},
            "product_type: unknown product type code '9999': no catalogue version has had it",
        ),
        ({"product_type": "0701", "on": "26/11/2026"}, "on: must be a date as YYYY-MM-DD"),
        (
            {"product_type": "0701", "lang": "fr"},
            "lang: unknown language 'fr': use one of en, zh-Hant, zh-Hans",
        ),
        (
            {"product_type": "0701", "date": "2026-11-26"},
            "date: unknown parameter: use product_type, on, lang",
        ),
    ],
)
def test_bad_parameters_are_named(client: Client, demo: None, query: dict[str, str], message: str) -> None:
    for extension in ("csv", "json"):
        response = client.get(f"/directory/decisions.{extension}", query)
        assert (response.status_code, response.content.decode()) == (400, message + "\n")


def test_the_directory_and_who_can_test_link_to_the_files(client: Client, demo: None) -> None:
    page = client.get("/who-can-test/", {"product": "0701", "on": "2026-11-26"}).content.decode()
    assert 'href="/directory/decisions.csv?product_type=0701&amp;on=2026-11-26&amp;lang=en"' in page
    assert 'href="/directory/decisions.json?product_type=0701&amp;on=2026-11-26&amp;lang=en"' in page
    directory = client.get("/directory/", {"product": "0701", "on": "2026-11-26"}).content.decode()
    assert 'href="/directory/decisions.csv?product_type=0701&amp;on=2026-11-26&amp;lang=en"' in directory
