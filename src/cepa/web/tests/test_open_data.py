from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from cepa.interchange.services import export_document

pytestmark = pytest.mark.usefixtures("demo")


def document(client: Client, **params: str) -> dict[str, Any]:
    response = client.get("/open-data/cepa-registry.json", params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cepa-registry.json"'
    result: dict[str, Any] = json.loads(response.content)
    return result


def rows(client: Client, name: str, **params: str) -> list[dict[str, str]]:
    response = client.get(f"/open-data/{name}.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_whole_public_registry_is_the_export_without_private_parts(client: Client) -> None:
    expected = export_document()
    del expected["expressions_of_interest"]
    for inspector in expected["inspectors"]:
        for event in inspector.get("events", ()):
            event.pop("reason", None)
    assert document(client) == expected


def test_filters_select_bodies_and_the_records_that_belong_to_them(client: Client) -> None:
    found = document(client, q="harbourview")
    assert [o["id"] for o in found["organisations"]] == ["hk-lab-harbourview"]
    assert [a["id"] for a in found["accreditations"]] == ["HOKLAS 901"]
    assert [a["id"] for a in found["agreements"]] == ["AGR-T-2021-001"]
    assert "designations" not in found and "inspectors" not in found
    assert len(found["plans"]) == 8  # plans belong to no body


def test_filters_bring_counterparty_agreements_and_affiliated_inspectors(client: Client) -> None:
    found = document(client, q="Lion Peak")
    assert [a["id"] for a in found["agreements"]] == ["AGR-F-2021-002", "AGR-S-2021-002"]
    assert [i["id"] for i in found["inspectors"]] == ["CCAA-2022-CCC-0108", "CCAA-2023-CCC-0104"]
    assert all("reason" not in e for i in found["inspectors"] for e in i.get("events", ()))


def test_csv_per_record_type(client: Client) -> None:
    organisations = rows(client, "organisations", seat="OVERSEAS")
    assert [(r["id"], r["kind"], r["hk_invested"]) for r in organisations] == [
        ("os-cb-nordlys", "certification_body", "false"), ("os-lab-rheinufer", "laboratory", "false")]
    harbourview = rows(client, "organisations", q="海景测试")[0]
    assert (harbourview["name_zh_hant"], harbourview["name_zh_hans"]) == (
        "海景測試實驗所有限公司", "海景测试实验所有限公司")
    accreditations = rows(client, "accreditations", q="harbourview")
    assert accreditations == [{
        "id": "HOKLAS 901", "organisation": "hk-lab-harbourview", "scheme": "hoklas",
        "scope": "0701 0702 0703 0705 0807 0901 0915", "granted": "2018-04-16",
        "source": "CEPA Registry demo data (fictional)", "note": accreditations[0]["note"]}]
    events = rows(client, "accreditation_events", q="harbourview")
    assert [(e["on"], e["status"], e["scope"]) for e in events] == [
        ("2026-05-01", "suspended", "0915"), ("2026-08-01", "active", "0915")]
    assert list(harbourview)[-6:] == [
        "contact_address_en", "contact_address_zh_hant", "contact_address_zh_hans", "contact_phone",
        "contact_email", "contact_website"]
    assert set(list(harbourview.values())[-6:]) == {""}  # none published
    affiliations = rows(client, "inspector_affiliations", q="peninsula")
    assert ("CCAA-2023-CCC-0107", "hk-cb-victoria", "2023-02-01", "2025-06-30") in [
        (a["inspector"], a["organisation"], a["from"], a["until"]) for a in affiliations]
    inspector_events = rows(client, "inspector_events")
    assert set(inspector_events[0]) == {"inspector", "on", "status", "grade"}


def test_bad_filters_and_unknown_files(client: Client) -> None:
    bad = client.get("/open-data/cepa-registry.json", {"on": "tomorrow"})
    assert bad.status_code == 400
    assert bad.content.decode() == "on: Enter the date as year-month-day, for example 2026-11-26."
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_open_data_page_carries_the_filters(client: Client) -> None:
    html = client.get("/open-data/", {"seat": "HK"}).content.decode()
    assert "These files hold only the bodies that match your directory filters" in html
    assert 'href="/open-data/organisations.csv?seat=HK"' in html
    plain = client.get("/open-data/").content.decode()
    assert 'href="/open-data/cepa-registry.json"' in plain
    assert "match your directory filters" not in plain


def test_downloads_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(20):
        client.get("/open-data/cepa-registry.json", {"seat": "HK", "status": "accredited"})
    with django_assert_max_num_queries(10):
        client.get("/open-data/accreditations.csv")
    with django_assert_max_num_queries(5):
        client.get("/open-data/")


def test_contact_details_in_json_and_csv(client: Client) -> None:
    from cepa.bodies.models import Organisation

    contact = {"address": {"en": "8 Harbour View Road", "zh-Hant": "海景道 8 號"}, "email": "ccc@hv.example"}
    Organisation.objects.filter(pk="hk-lab-harbourview").update(contact=contact)
    assert document(client, q="harbourview")["organisations"][0]["contact"] == contact
    row = rows(client, "organisations", q="harbourview")[0]
    assert [row[key] for key in list(row)[-6:]] == [
        "8 Harbour View Road", "海景道 8 號", "", "", "ccc@hv.example", ""]
