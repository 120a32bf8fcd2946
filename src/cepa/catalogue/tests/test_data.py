"""Integrity of the shipped catalogue, as loaded into the test database by migrate."""

from __future__ import annotations

import datetime as dt

import pytest

from cepa.catalogue import selectors
from cepa.catalogue.models import (
    CatalogueVersion,
    Category,
    Contact,
    Instrument,
    ProductType,
    ProductTypeChange,
    RoutineScopeEntry,
)
from cepa.catalogue.reference_data import read_reference_data

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    CatalogueVersion, Category, Contact, Instrument, ProductType, ProductTypeChange, RoutineScopeEntry,
)


def test_the_shipped_files_are_valid() -> None:
    data = read_reference_data()
    assert len(data["product_types"]) == 116


def test_the_2023_version_has_96_product_types_in_16_categories() -> None:
    types = ProductType.objects.filter(versions__key="SAMR-2023-36")
    assert types.count() == 96
    assert types.values("category").distinct().count() == 16
    assert CatalogueVersion.objects.get(key="SAMR-2023-36").product_type_count == 96


def test_the_2020_version_has_103_types_and_9_were_removed_in_2022() -> None:
    assert ProductType.objects.filter(versions__key="SAMR-2020-18").count() == 103
    removed = ProductType.objects.filter(removed_on__isnull=False)
    assert sorted(str(c) for c in removed.values_list("code", flat=True)) == [
        "0801", "0802", "0805", "0813", "1604", "1608", "1609", "1901", "1902",
    ]
    assert set(removed.values_list("removed_by", flat=True)) == {"SAMR-PN-2022-34"}
    assert all(list(t.versions.values_list("key", flat=True)) == ["SAMR-2020-18"] for t in removed)


def test_totals_unconfirmed_and_codeless_counts() -> None:
    assert ProductType.objects.count() == 116
    assert ProductType.objects.filter(confirmed=False).count() == 36
    assert ProductType.objects.filter(versions__key="SAMR-2023-36", confirmed=False).count() == 35
    assert ProductType.objects.filter(code__isnull=True).count() == 14
    assert ProductType.objects.filter(versions__key="SAMR-2023-36", code__isnull=True).count() == 3
    assert ProductType.objects.filter(versions__isnull=True).count() == 11


def test_every_record_has_a_source() -> None:
    for model in ALL_MODELS:
        assert model.objects.exists(), model.__name__
        assert not model.objects.filter(source="").exists(), model.__name__


def test_confirmed_codes_of_the_domain_notes_are_present() -> None:
    codes = selectors.known_codes()
    families = {"01": 3, "02": 6, "03": 9, "04": 1, "05": 3, "06": 4, "07": 19}
    for family, count in families.items():
        assert len([c for c in codes if c.startswith(family)]) == count, family
    assert {"0807", "0907", "0914", "0915", "0901", "1001"} <= codes
    for code in ("0101", "0205", "0207", "0302", "0309", "0401", "0701", "0704", "0914", "0915"):
        assert ProductType.objects.get(key=selectors.product_type_key_for(code)).confirmed is True


def key_of(code: str) -> str | None:
    found = selectors.product_type_by_code(code)
    return found.key if found else None


def test_bundled_codes_resolve_to_one_type() -> None:
    assert key_of("0907") == "0807"
    assert key_of("0305") == "0302"
    assert key_of("0207") == "0205"
    assert key_of("1116") == "1109"
    assert key_of("1115") == "1110"
    assert key_of("0701") == "0701"
    assert selectors.product_type_by_code("0000") is None
    assert selectors.product_type_by_code("") is None
    assert len(selectors.known_codes()) == 118


def test_routes_of_the_2023_table() -> None:
    in_2023 = ProductType.objects.filter(versions__key="SAMR-2023-36")
    route_a = in_2023.filter(route="self_declaration_a").values_list("code", flat=True)
    assert sorted(str(c) for c in route_a) == [
        "0501", "0503", "0506", "0603", "0604", "0605", "0607",
    ]
    # 12 self-declaration B types in the table; 0302 went back to certification from 2024-11-01.
    assert in_2023.filter(route="self_declaration_b").count() == 11
    change = ProductTypeChange.objects.get(product_type="0302", kind="route_changed")
    assert (change.new_route, change.effective, change.instrument_id) == (
        "certification", dt.date(2024, 11, 1), "SAMR-PN-2024-9",
    )


def test_in_catalogue_on_a_date() -> None:
    def on(day: str) -> set[str]:
        rows = ProductType.objects.filter(selectors.in_catalogue_filter(dt.date.fromisoformat(day)))
        return set(rows.values_list("key", flat=True))

    # Contract rev. 2: a type of the 2001 catalogue is in it from CCC's first day, not from 2020.
    assert "0701" not in on("2002-04-30")
    assert "0701" in on("2002-05-01")
    assert "0701" in on("2020-04-20")
    assert "2301" in on("2019-10-01")
    assert "0801" in on("2022-10-10")
    assert "0801" not in on("2022-10-11")
    assert "0914" not in on("2023-07-31")
    assert "0914" in on("2023-08-01")
    # Two periods: out of CCC from 2018-06-11, back on 2024-10-01.
    assert "combustible-gas-alarms" in on("2018-06-10")
    assert "combustible-gas-alarms" not in on("2018-06-11")
    assert "combustible-gas-alarms" not in on("2024-09-30")
    assert "combustible-gas-alarms" in on("2024-10-01")
    assert len(on("2025-06-01")) == 96 + 11


def test_later_additions_have_dates_a_slug_and_no_code() -> None:
    later = ProductType.objects.filter(versions__isnull=True)
    assert all(t.code is None and t.key == t.key.lower() and "-" in t.key for t in later)
    assert all(t.confirmed and "code is unknown" in t.note for t in later)
    chargers = ProductType.objects.get(key="ebike-chargers")
    assert chargers.applications_from == dt.date(2024, 10, 15)
    assert chargers.mandatory_from == dt.date(2025, 11, 1)


def test_categories_have_trilingual_names_and_unconfirmed_sectors() -> None:
    assert Category.objects.count() == 17
    assert not Category.objects.filter(sector_confirmed=True).exists()
    assert not Category.objects.filter(name_zh_hant="").exists()
    appliances = Category.objects.get(key="household-appliances")
    assert (appliances.number_2023, appliances.sector) == (7, "electrical_electronic")
    assert appliances.name_zh_hant == "家用和類似用途設備"
    gas = Category.objects.get(key="household-gas-appliances")
    assert (gas.number_2020, gas.number_2023, gas.sector) == (17, 16, "non_electrical_electronic")


def test_routine_scope_covers_appliances_lighting_and_the_pilot() -> None:
    codes = selectors.routine_scope_codes(dt.date(2026, 5, 5))
    appliances = {f"07{n:02d}" for n in range(1, 20)}
    assert appliances <= codes
    assert {"1001", "1002", "1109", "1116", "0401", "0301", "2101", "2102"} <= codes
    assert "0915" not in codes
    assert selectors.routine_scope_codes(dt.date(2017, 9, 28)) == frozenset({"0401", "0301", "2101"})
    assert not RoutineScopeEntry.objects.filter(instrument="CNCA-PN-2017-1").exists()
    assert Instrument.objects.get(key="CNCA-PN-2017-1").confirmed is False


def test_contacts() -> None:
    ee = selectors.contact_for_sector("electrical_electronic")
    non_ee = selectors.contact_for_sector("non_electrical_electronic")
    assert ee is not None and non_ee is not None
    assert (ee.name_en, ee.phone, ee.email) == ("Mr QIU Lei", "+86-10-82262779", "")
    assert (non_ee.name_en, non_ee.phone, non_ee.email) == ("Mr GUAN Jun-wen", "+86-10-82262674", "")
    assert "email" in ee.note and "email" in non_ee.note


def test_required_instruments_are_present() -> None:
    keys = set(Instrument.objects.values_list("key", flat=True))
    assert {
        "SAMR-PN-2020-18", "SAMR-PN-2023-36", "CNCA-PN-2014-45", "SAMR-PN-2022-34", "SAMR-PN-2023-10",
        "SAMR-PN-2024-9", "SAMR-PN-2024-26", "SAMR-PN-2024-28", "CNCA-PN-2015-34", "CNCA-PN-2017-1",
        "CNCA-PN-2017-28", "CNCA-IG-2020", "CNCA-IG-2025", "AQSIQ-DECREE-117", "CCAA-107",
    } <= keys
    versions = {v.key: (v.instrument_id, v.effective) for v in CatalogueVersion.objects.all()}
    assert versions["SAMR-2020-18"] == ("SAMR-PN-2020-18", dt.date(2020, 4, 21))
