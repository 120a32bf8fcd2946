"""Every open-data download writes its coded values one way (issue 11, point 4): each coded column holds
only the values its data dictionary declares, in one casing. The interchange file keeps the casing the
public contract fixes (upper-case seats and schemes), and the data dictionary says so."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from cepa.demo.registry import demo_document
from cepa.interchange.services import import_document
from cepa.web.public import opendata

pytestmark = pytest.mark.django_db

DAY = "2026-11-26"


@pytest.fixture
def registry(db: None) -> None:
    # The full demo registry: it has certificates as well as every kind of body and record.
    import_document(actor="system:demo", document=demo_document(), reason="demo registry")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _body(response: Any) -> bytes:
    """The bytes of a download, whether streamed (certificate status) or not."""
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def _casing(value: str) -> str:
    if value == value.lower():
        return "lower"
    if value == value.upper():
        return "upper"
    return "mixed"


def _check_column(file: str, field: dict[str, Any], values: list[str], codes: dict[str, set[str]]) -> int:
    """Checks one column's non-empty values against its declaration; returns how many were checked."""
    present = [value for value in values if value != ""]
    if "constraints" in field:
        allowed = field["constraints"]["enum"]
        outside = sorted(set(present) - set(allowed))
        assert not outside, f"{file}.{field['name']}: {outside} not in {allowed}"
        if "codeList" in field:
            assert set(allowed) == codes[field["codeList"]], f"{file}.{field['name']}: not codes.csv's list"
        items = present
    elif field.get("codeList") == "product_type":
        items = [item for value in present for item in value.split(" ")]
        assert set(items) <= codes["product_type"], f"{file}.{field['name']}"
    elif "itemEnum" in field:
        items = [item for value in present for item in value.split(" ")]
        assert set(items) <= set(field["itemEnum"]), f"{file}.{field['name']}"
    elif field["type"] == "boolean":
        items = present
        assert set(items) <= {"true", "false"}, f"{file}.{field['name']}: {set(items)}"
    else:
        return 0
    casings = {_casing(item) for item in items if any(c.isalpha() for c in item)}
    assert len(casings) <= 1 and "mixed" not in casings, f"{file}.{field['name']} mixes casings: {casings}"
    return len(items)


def test_every_coded_column_of_every_download_holds_its_declared_values_in_one_casing(
    client: Client, registry: None
) -> None:
    package = json.loads(client.get("/open-data/datapackage.json").content)
    resources = {resource["name"]: resource for resource in package["resources"]}
    code_rows = _rows(client.get("/open-data/codes.csv").content.decode())
    codes: dict[str, set[str]] = {}
    for row in code_rows:
        codes.setdefault(row["list"], set()).add(row["code"])
    # codes.csv itself: one casing per list, except product types (digits and catalogue keys).
    for name, values in codes.items():
        assert {_casing(v) for v in values if any(c.isalpha() for c in v)} <= {"lower"}, name
    assert {(r["code"], r["interchange_code"]) for r in code_rows if r["list"] == "seat"} == {
        ("hk", "HK"),
        ("mainland", "MAINLAND"),
        ("overseas", "OVERSEAS"),
    }

    checked: dict[str, int] = {}
    downloads = {name.replace("_", "-"): f"/open-data/{name}.csv" for name in opendata.CSV_FILES}
    downloads["codes"] = "/open-data/codes.csv"
    downloads["who-can-test"] = f"/directory/decisions.csv?product_type=0701&on={DAY}"
    downloads["certificate-status"] = f"/certificates/certificate-status.csv?on={DAY}"
    for name, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = _body(response).decode()
        rows = _rows(text)
        assert rows, url
        fields = resources[name]["schema"]["fields"]
        assert list(rows[0]) == [field["name"] for field in fields], url
        for field in fields:
            checked[f"{name}.{field['name']}"] = _check_column(
                name, field, [row[field["name"]] for row in rows], codes
            )

    # The JSON downloads hold the same values as their CSV twins.
    who = json.loads(client.get(f"/directory/decisions.json?product_type=0701&on={DAY}").content)
    seat = {field["name"]: field for field in resources["who-can-test"]["schema"]["fields"]}["seat"]
    checked["decisions.json seat"] = _check_column(
        "json", seat, [lab["seat"] for lab in who["laboratories"]], codes
    )
    failing = [" ".join(f["code"] for f in lab["failing"]) for lab in who["laboratories"]]
    codes_field = {field["name"]: field for field in resources["who-can-test"]["schema"]["fields"]}[
        "failing_codes"
    ]
    checked["decisions.json failing"] = _check_column("json", codes_field, failing, codes)
    status_json = json.loads(_body(client.get(f"/certificates/certificate-status.json?on={DAY}")))
    status = {field["name"]: field for field in resources["certificate-status"]["schema"]["fields"]}["status"]
    checked["certificate-status.json status"] = _check_column(
        "json", status, [c["status"] for c in status_json["certificates"]], codes
    )

    # Each kind of coded column was really read, not skipped for want of rows.
    for column in (
        "organisations.kind",
        "organisations.seat",
        "organisations.hk_invested",
        "accreditations.scheme",
        "accreditations.scope",
        "accreditation-events.status",
        "designations.role",
        "agreements.kind",
        "plans.role",
        "inspectors.grade",
        "inspector-events.status",
        "who-can-test.seat",
        "who-can-test.failing_codes",
        "who-can-test.allowed",
        "certificate-status.status",
        "codes.list",
        "decisions.json seat",
        "decisions.json failing",
        "certificate-status.json status",
    ):
        assert checked[column] > 0, column


def test_the_interchange_keeps_the_contracts_casing_and_the_dictionary_says_so(
    client: Client, registry: None
) -> None:
    document = json.loads(client.get("/open-data/cepa-registry.json").content)
    assert {org["seat"] for org in document["organisations"]} == {"HK", "MAINLAND", "OVERSEAS"}
    assert {acc["scheme"] for acc in document["accreditations"]} <= {"HOKLAS", "HKCAS", "HKIAS", "CNAS"}
    organisations = _rows(client.get("/open-data/organisations.csv").content.decode())
    assert {row["seat"] for row in organisations} == {"hk", "mainland", "overseas"}
    package = json.loads(client.get("/open-data/datapackage.json").content)
    interchange = next(r for r in package["resources"] if r["name"] == "cepa-registry")
    assert "keep the contract's casing" in interchange["description"]
    fields = {
        field["name"]: field
        for field in next(r for r in package["resources"] if r["name"] == "organisations")["schema"]["fields"]
    }
    assert fields["seat"]["constraints"] == {"enum": ["hk", "mainland", "overseas"]}
    assert fields["kind"]["constraints"] == {"enum": ["laboratory", "certification_body", "inspection_body"]}
