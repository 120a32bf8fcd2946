"""Open data: the public registry as a `cepa-registry/1` document and as CSV, per the directory's filters.

The directory's filters (its FilterSet, cepa.web.public.directory) select organisations; the other
records follow the organisations they belong to: accreditations and designations of those bodies,
agreements they are a party or counterparty to, inspectors ever affiliated with them. Plans belong to
no body and are always included. Left out, as on every public page: expressions of interest (visible to
officers and the body only), records still in a workflow (draft plans), and the reasons and notes of
inspectors' status events (personal matters). References may point to records outside a filtered file;
the format resolves them against the registry.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from cepa.interchange.records import exported_records
from cepa.interchange.schema import FORMAT
from cepa.personnel.selectors import PRIVATE_EVENT_FIELDS
from cepa.spreadsheets import csv_writer
from cepa.web.public.directory import DirectoryFilter, search

LISTS = ("organisations", "accreditations", "designations", "agreements", "plans", "inspectors")


def _belongs(list_name: str, record: dict[str, Any], ids: set[str]) -> bool:
    if list_name == "organisations":
        return record["id"] in ids
    if list_name in ("accreditations", "designations"):
        return record["organisation"] in ids
    if list_name == "agreements":
        return record["party"] in ids or record["counterparty"] in ids
    if list_name == "inspectors":
        return any(a["organisation"] in ids for a in record.get("affiliations", ()))
    return True


def _public(list_name: str, record: dict[str, Any]) -> dict[str, Any]:
    if list_name == "inspectors" and record.get("events"):
        events = [
            {key: value for key, value in event.items() if key not in PRIVATE_EVENT_FIELDS}
            for event in record["events"]
        ]
        return {**record, "events": events}
    return record


def organisation_ids(filters: DirectoryFilter | None) -> set[str] | None:
    """The ids the filters select, or None for no filter (everything)."""
    if filters is None or not filters.active:
        return None
    return {row["id"] for row in search(filters)}


def records(list_name: str, ids: set[str] | None) -> list[dict[str, Any]]:
    return [
        _public(list_name, record)
        for record in exported_records(list_name)
        if ids is None or _belongs(list_name, record, ids)
    ]


def public_document(filters: DirectoryFilter | None) -> dict[str, Any]:
    ids = organisation_ids(filters)
    document: dict[str, Any] = {"format": FORMAT}
    for list_name in LISTS:
        found = records(list_name, ids)
        if found:
            document[list_name] = found
    return document


# --- CSV -------------------------------------------------------------------------------------------

Row = dict[str, Any]


def _name(key: str, language: str) -> Callable[[Row], str]:
    return lambda record: record.get(key, {}).get(language, "")


def _field(key: str) -> Callable[[Row], Any]:
    return lambda record: record.get(key)


def open_value(value: str) -> str:
    """A coded value as every open-data file other than the interchange writes it: lower case. The
    interchange (cepa-registry/1) keeps the contract's seats and schemes in upper case."""
    return value.lower()


def _coded(key: str) -> Callable[[Row], str | None]:
    return lambda record: open_value(value) if (value := record.get(key)) else None


def _codes(key: str) -> Callable[[Row], str]:
    return lambda record: " ".join(record.get(key) or ())


def _bool(key: str) -> Callable[[Row], str]:
    return lambda record: "true" if record.get(key) else "false"


def _contact(key: str, language: str = "") -> Callable[[Row], str]:
    def value(record: Row) -> str:
        found = record.get("contact", {}).get(key, {} if language else "")
        return found.get(language, "") if language else found
    return value


def _window(key: str) -> Callable[[Row], str]:
    return lambda record: record["window"][key]


NAMES = [("name_en", _name("name", "en")), ("name_zh_hant", _name("name", "zh-Hant")),
         ("name_zh_hans", _name("name", "zh-Hans"))]
RECORDED = [("source", _field("source")), ("note", _field("note"))]

Columns = list[tuple[str, Callable[[Row], Any]]]


def _children(list_name: str, child: str, parent_column: str) -> Callable[[list[Row]], Iterable[Row]]:
    def rows(parents: list[Row]) -> Iterable[Row]:
        for parent in parents:
            for item in parent.get(child, ()):
                yield {parent_column: parent["id"], **item}
    return rows


# Each CSV file: the list it comes from, how to get its rows, and its columns.
CSV_FILES: dict[str, tuple[str, Callable[[list[Row]], Iterable[Row]], Columns]] = {
    "organisations": ("organisations", iter, [
        ("id", _field("id")), *NAMES, ("kind", _coded("kind")), ("seat", _coded("seat")),
        ("hk_invested", _bool("hk_invested")), ("cnca_code", _field("cnca_code")), *RECORDED,
        # Contact details (contract §1 rev. 2), added last so the earlier columns keep their places.
        ("contact_address_en", _contact("address", "en")),
        ("contact_address_zh_hant", _contact("address", "zh-Hant")),
        ("contact_address_zh_hans", _contact("address", "zh-Hans")), ("contact_phone", _contact("phone")),
        ("contact_email", _contact("email")), ("contact_website", _contact("website"))]),
    "accreditations": ("accreditations", iter, [
        ("id", _field("id")), ("organisation", _field("organisation")), ("scheme", _coded("scheme")),
        ("scope", _codes("scope")), ("granted", _field("granted")), *RECORDED]),
    "accreditation_events": ("accreditations", _children("accreditations", "events", "accreditation"), [
        ("accreditation", _field("accreditation")), ("on", _field("on")), ("status", _coded("status")),
        ("scope", _codes("scope")), ("reason", _field("reason")), ("basis", _field("basis"))]),
    "designations": ("designations", iter, [
        ("id", _field("id")), ("organisation", _field("organisation")), ("role", _coded("role")),
        ("product_types", _codes("product_types")), ("from", _field("from")), ("until", _field("until")),
        ("basis", _field("basis")), *RECORDED]),
    "agreements": ("agreements", iter, [
        ("id", _field("id")), ("kind", _coded("kind")), ("party", _field("party")),
        ("counterparty", _field("counterparty")), ("product_types", _codes("product_types")),
        ("from", _field("from")), ("until", _field("until")), ("terminated_on", _field("terminated_on")),
        *RECORDED]),
    "plans": ("plans", iter, [
        ("id", _field("id")), ("year", _field("year")), ("role", _coded("role")),
        ("product_types", _codes("product_types")), ("published", _field("published")),
        ("opens", _window("opens")), ("closes", _window("closes")),
        ("requires_expression_of_interest", _bool("requires_expression_of_interest")), *RECORDED]),
    "inspectors": ("inspectors", iter, [
        ("id", _field("id")), *NAMES, ("grade", _coded("grade")), ("specialties", _codes("specialties")),
        ("registered", _field("registered")), ("expires", _field("expires")), *RECORDED]),
    "inspector_affiliations": ("inspectors", _children("inspectors", "affiliations", "inspector"), [
        ("inspector", _field("inspector")), ("organisation", _field("organisation")),
        ("from", _field("from")), ("until", _field("until"))]),
    "inspector_events": ("inspectors", _children("inspectors", "events", "inspector"), [
        ("inspector", _field("inspector")), ("on", _field("on")), ("status", _coded("status")),
        ("grade", _coded("grade"))]),
}


def csv_text(file_name: str, filters: DirectoryFilter | None) -> str:
    """The CSV file (UTF-8 with a byte-order mark, so spreadsheets read the Chinese names); text a
    spreadsheet would run as a formula gets a leading quote (cepa.spreadsheets)."""
    list_name, rows_of, columns = CSV_FILES[file_name]
    parents = records(list_name, organisation_ids(filters))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow([column for column, _ in columns])
    for row in rows_of(parents):
        writer.writerow(["" if (value := get(row)) is None else value for _, get in columns])
    return out.getvalue()
