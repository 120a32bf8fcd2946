"""Periods in the catalogue, route spans and bundled codes as the shipped data loads them; contract rev. 2."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cepa.catalogue import selectors
from cepa.catalogue.models import CataloguePeriod, ProductType, RouteSpan
from cepa.catalogue.reference_data import DATA_DIR, ReferenceDataError
from cepa.catalogue.services import load_reference_data
from cepa.history.models import Change
from cepa.testing.personas import sign_in

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
REMOVED_2022 = ("0801", "0802", "0805", "0813", "1604", "1608", "1609", "1901", "1902")


def periods_of(key: str) -> list[tuple[Any, ...]]:
    return [
        (p.start, p.until, p.started_by_id, p.ended_by_id, p.start_confirmed, p.end_confirmed)
        for p in selectors.timelines()[key].periods
    ]


def spans_of(key: str) -> list[tuple[Any, ...]]:
    return [
        (span.route, span.start, span.until, span.instrument_id, span.confirmed)
        for span in selectors.timelines()[key].route_spans
    ]


# --- codes and keys ----------------------------------------------------------------------------------


def test_bundled_codes_resolve_to_one_type_and_list_each_other() -> None:
    assert selectors.product_type_key_for("0807") == selectors.product_type_key_for("0907") == "0807"
    assert selectors.product_type_key_for("0207") == "0205"
    assert selectors.product_type_key_for("1116") == "1109"
    assert selectors.product_type_key_for("1115") == "1110"
    assert selectors.codes_of("0907") == ("0807", "0907")
    assert selectors.codes_of("0807") == ("0807", "0907")
    assert selectors.codes_of("0305") == ("0302", "0303", "0304", "0305", "0306", "0307", "0308", "0309")
    assert selectors.codes_of("0701") == ("0701",)
    assert selectors.codes_of("9999") is None


def test_a_type_without_a_code_is_named_by_its_key() -> None:
    assert selectors.product_type_key_for("electric-bicycles") == "electric-bicycles"
    assert selectors.codes_of("electric-bicycles") == ()
    assert selectors.product_type_key_for("combustible-gas-alarms") == "combustible-gas-alarms"
    assert selectors.product_type_key_for("Electric-Bicycles") is None


def test_the_code_index_holds_every_code_and_key_once() -> None:
    index = selectors.code_index()
    # 118 distinct codes (102 main, 16 bundled) and the 14 keys of the types without a code.
    assert len(index) == 118 + 14
    assert set(index.values()) == set(ProductType.objects.values_list("key", flat=True))
    assert {code for code, key in index.items() if key == "1201"} == {"1201", "1202", "1203"}


def test_code_confirmation() -> None:
    assert ProductType.objects.filter(code_confirmed=True).count() == 70
    assert ProductType.objects.filter(code_confirmed=False).count() == 32
    assert ProductType.objects.filter(code_confirmed__isnull=True).count() == 14
    assert not ProductType.objects.filter(code__isnull=True, code_confirmed__isnull=False).exists()
    assert ProductType.objects.get(key="0807").code_confirmed is True
    # Which toy codes 2202 bundles is inferred.
    assert ProductType.objects.get(key="2202").code_confirmed is False


# --- periods -----------------------------------------------------------------------------------------


def test_a_type_of_the_2001_catalogue_starts_on_2002_05_01() -> None:
    assert periods_of("0701") == [(D("2002-05-01"), None, "AQSIQ-CNCA-PN-2001-33", None, False, None)]
    assert periods_of("0101") == [(D("2002-05-01"), None, "AQSIQ-CNCA-PN-2001-33", None, True, None)]
    inferred = selectors.timelines()["0701"].periods[0]
    assert inferred.note.startswith("Start inferred:")
    assert inferred.mandatory_from == D("2003-08-01")
    assert ProductType.objects.get(key="0701").applications_from == D("2002-05-01")
    assert ProductType.objects.filter(applications_from=D("2002-05-01")).count() == 65
    assert not ProductType.objects.filter(applications_from=D("2020-04-21")).exists()


def test_later_batches_keep_their_own_first_day() -> None:
    assert periods_of("1109")[0][:3] == (D("2005-12-01"), None, "AQSIQ-CNCA-PN-2005-137")
    assert periods_of("electric-bicycles")[0][:3] == (D("2018-08-01"), None, "SAMR-CNCA-PN-2018-15")
    assert periods_of("0719")[0][:3] == (D("2017-11-01"), None, "AQSIQ-CNCA-PN-2017-86")
    assert periods_of("2101")[0][:3] == (D("2004-05-01"), None, "AQSIQ-CNCA-2004-DECORATION")
    assert periods_of("0915")[0][:3] == (D("2023-08-01"), None, "SAMR-PN-2023-10")


def test_combustible_gas_alarms_have_two_periods() -> None:
    assert periods_of("combustible-gas-alarms") == [
        (D("2011-10-01"), D("2018-06-10"), "AQSIQ-MPS-CNCA-PN-2011-55", "SAMR-CNCA-PN-2018-11", False, True),
        (D("2024-10-01"), None, "SAMR-PN-2024-9", None, True, None),
    ]
    timeline = selectors.timelines()["combustible-gas-alarms"]
    assert timeline.in_catalogue(D("2018-06-10"))
    assert not timeline.in_catalogue(D("2018-06-11"))
    assert not timeline.in_catalogue(D("2024-09-30"))
    assert timeline.in_catalogue(D("2024-10-01"))
    assert "inferred" in timeline.periods[0].note


@pytest.mark.parametrize("code", REMOVED_2022)
def test_a_type_removed_by_pn_2022_34_ends_the_day_before_its_removal(code: str) -> None:
    (period,) = selectors.timelines()[code].periods
    assert (period.until, period.ended_by_id, period.end_confirmed) == (
        D("2022-10-10"), "SAMR-PN-2022-34", False,
    )
    assert ProductType.objects.get(key=code).removed_on == D("2022-10-11")  # the day after `until`
    assert "upper bound" in period.note


def test_in_catalogue_filter_follows_the_periods() -> None:
    def on(day: str) -> set[str]:
        rows = ProductType.objects.filter(selectors.in_catalogue_filter(D(day)))
        return set(rows.values_list("key", flat=True))

    assert "0701" not in on("2002-04-30")
    assert "0701" in on("2002-05-01")
    assert "combustible-gas-alarms" in on("2018-06-10")
    assert "combustible-gas-alarms" not in on("2018-06-11")
    assert len(on("2002-05-01")) == 65
    assert len(on("2025-06-01")) == 96 + 11


def test_the_summary_fields_agree_with_the_periods() -> None:
    for key, timeline in selectors.timelines().items():
        product_type = ProductType.objects.get(key=key)
        first, last = timeline.periods[0], timeline.periods[-1]
        assert product_type.applications_from == first.start, key
        assert product_type.mandatory_from == first.mandatory_from, key
        assert product_type.removed_on == (last.until + dt.timedelta(days=1) if last.until else None), key
        assert product_type.removed_by_id == last.ended_by_id, key
        assert (product_type.route, product_type.route_confirmed) == (
            timeline.route_spans[-1].route, timeline.route_spans[-1].confirmed,
        ), key


# --- routes over time --------------------------------------------------------------------------------


def test_low_voltage_components_went_back_to_certification() -> None:
    assert spans_of("0302") == [
        ("certification", D("2002-05-01"), D("2019-12-31"), "AQSIQ-CNCA-PN-2001-33", False),
        ("self_declaration_b", D("2020-01-01"), D("2024-10-31"), "SAMR-PN-2019-44", True),
        ("certification", D("2024-11-01"), None, "SAMR-PN-2024-9", True),
    ]
    timeline = selectors.timelines()["0302"]
    routes = [timeline.route_on(D(day)) for day in ("2019-12-31", "2020-01-01", "2024-10-31", "2024-11-01")]
    assert [span.route if span else None for span in routes] == [
        "certification", "self_declaration_b", "self_declaration_b", "certification",
    ]


def test_self_declaration_procedures_and_the_2018_option() -> None:
    assert spans_of("0501")[-1] == ("self_declaration_a", D("2020-01-01"), None, "SAMR-PN-2019-44", True)
    assert spans_of("1110") == [
        ("certification", D("2005-12-01"), D("2018-12-02"), "AQSIQ-CNCA-PN-2005-137", True),
        ("certification_or_self_declaration", D("2018-12-03"), D("2019-12-31"), "SAMR-CNCA-PN-2018-29", True),
        ("self_declaration_b", D("2020-01-01"), None, "SAMR-PN-2019-44", False),  # B deduced, not read
    ]
    # Unknown 2018 options are left out, not guessed: 0301 stays certified until SD became the only route.
    assert [span[0] for span in spans_of("0301")] == ["certification", "self_declaration_b"]
    in_2023 = ProductType.objects.filter(versions__key="SAMR-2023-36")
    spans = RouteSpan.objects.filter(product_type__in=in_2023, start=D("2020-01-01"))
    sd_a = spans.filter(route="self_declaration_a")
    sd_b = spans.filter(route="self_declaration_b")
    assert (sd_a.count(), sd_b.count()) == (7, 12)


def test_an_unmarked_type_is_confirmed_certified_from_the_2020_table() -> None:
    assert spans_of("0701") == [
        ("certification", D("2002-05-01"), D("2020-04-20"), "AQSIQ-CNCA-PN-2001-33", False),
        ("certification", D("2020-04-21"), None, "SAMR-PN-2020-18", True),
    ]


def test_no_route_outside_the_periods() -> None:
    timeline = selectors.timelines()["combustible-gas-alarms"]
    assert timeline.route_on(D("2020-01-01")) is None
    assert timeline.route_on(D("2018-06-10")) is not None
    assert selectors.timelines()["0801"].route_on(D("2022-10-11")) is None


# --- what is still uncertain -------------------------------------------------------------------------


def test_counts_of_confirmed_and_inferred_facts() -> None:
    assert ProductType.objects.count() == 116
    assert CataloguePeriod.objects.count() == 117
    assert CataloguePeriod.objects.filter(start_confirmed=False).count() == 53
    assert CataloguePeriod.objects.filter(end_confirmed=False).count() == 9
    assert CataloguePeriod.objects.filter(end_confirmed=True).count() == 1
    assert RouteSpan.objects.count() == 183
    assert RouteSpan.objects.filter(confirmed=False).count() == 76
    assert ProductType.objects.filter(code_confirmed=False).count() == 32
    assert not CataloguePeriod.objects.filter(source="").exists()
    assert not RouteSpan.objects.filter(source="").exists()
    # Every inferred fact says so and why.
    for period in CataloguePeriod.objects.filter(start_confirmed=False):
        assert "inferred" in period.note, period
    for span in RouteSpan.objects.filter(confirmed=False):
        assert "nferred" in span.note, span


def test_the_bulk_selector_takes_three_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):
        everything = selectors.timelines()
        assert len(everything) == 116
        assert sum(len(t.periods) for t in everything.values()) == 117
        assert all(t.periods[0].started_by.title_en for t in everything.values())
        assert all(t.route_spans[0].instrument.key for t in everything.values())


# --- loading -----------------------------------------------------------------------------------------


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_types(data_dir: Path, change: Any) -> None:
    path = data_dir / "product_types.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change({row["key"]: row for row in document["product_types"]})
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def stored() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        list(CataloguePeriod.objects.order_by("pk").values_list()),
        list(RouteSpan.objects.order_by("pk").values_list()),
    )


def test_loading_again_leaves_periods_and_spans_alone() -> None:
    before, changes = stored(), Change.objects.count()
    assert load_reference_data(actor="test:loader") is False
    assert stored() == before
    assert Change.objects.count() == changes


def test_a_changed_period_is_stored_and_recorded_with_its_type(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)

    def move_start(rows: dict[str, dict[str, Any]]) -> None:
        gas = rows["combustible-gas-alarms"]
        gas["periods"][0]["start"] = gas["route_spans"][0]["start"] = gas["applications_from"] = "2002-05-01"

    edit_types(data_dir, move_start)
    untouched = list(CataloguePeriod.objects.filter(product_type="0701").values_list("pk", flat=True))
    assert load_reference_data(actor="test:loader", data_dir=data_dir) is True
    assert periods_of("combustible-gas-alarms")[0][:2] == (D("2002-05-01"), D("2018-06-10"))
    assert ProductType.objects.get(key="combustible-gas-alarms").applications_from == D("2002-05-01")
    assert list(CataloguePeriod.objects.filter(product_type="0701").values_list("pk", flat=True)) == untouched
    change = Change.objects.filter(record_type="catalogue.product_types").latest("id")
    assert (change.record_id, change.action) == ("combustible-gas-alarms", "update")
    assert change.before is not None and change.after is not None
    assert change.before["periods"][0]["start"] == "2011-10-01"
    assert change.after["periods"][0]["start"] == "2002-05-01"
    assert load_reference_data(actor="test:loader") is True  # back to the shipped files
    assert periods_of("combustible-gas-alarms")[0][0] == D("2011-10-01")


def test_periods_and_routes_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)

    def break_rows(rows: dict[str, dict[str, Any]]) -> None:
        rows["0701"]["applications_from"] = "2020-04-21"  # the old summary, no longer the first period's
        gas = rows["combustible-gas-alarms"]
        gas["periods"][1]["start"] = "2018-06-11"  # touches the first period
        rows["0302"]["route_spans"][1]["start"] = "2020-01-02"  # a day without a route
        rows["0801"]["periods"][0]["ended_by"] = None
        rows["0101"]["route_spans"][0]["route"] = "by_magic"
        rows["0104"]["periods"] = []

    edit_types(data_dir, break_rows)
    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(actor="test:loader", data_dir=data_dir)
    assert error.value.errors == [
        "product_types.json /product_types/0/route_spans/0/route: 'by_magic' is not a route",
        "product_types.json /product_types/1/periods: must be a non-empty list",
    ]

    def break_fit_only(rows: dict[str, dict[str, Any]]) -> None:
        break_rows(rows)
        rows["0101"]["route_spans"][0]["route"] = "certification"
        rows["0104"]["periods"] = rows["0105"]["periods"]

    data_dir = copy_data(tmp_path / "again")
    edit_types(data_dir, break_fit_only)
    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(actor="test:loader", data_dir=data_dir)
    keys = [row["key"] for row in json.loads((DATA_DIR / "product_types.json").read_text())["product_types"]]
    at = {key: f"product_types.json /product_types/{keys.index(key)}" for key in keys}
    gas = at["combustible-gas-alarms"]
    assert error.value.errors == [
        f"{at['0302']}/route_spans/1/start: expected 2020-01-01 (a period's start or the day after a span)",
        f"{at['0701']}/applications_from: '2020-04-21' disagrees with the periods ('2002-05-01')",
        f"{at['0801']}/periods/0: until, ended_by and end_confirmed go together",
        f"{at['0801']}/removed_by: 'SAMR-PN-2022-34' disagrees with the periods (None)",
        f"{gas}/periods/1/start: must come after a gap following the previous period",
        f"{gas}/route_spans/1/start: expected 2018-06-11 (a period's start or the day after a span)",
    ]
    assert periods_of("0701")[0][0] == D("2002-05-01")  # nothing written


# --- admin -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["catalogueperiod", "routespan"])
def test_periods_and_spans_are_view_only_in_the_admin(model: str) -> None:
    user = get_user_model().objects.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, user)
    assert client.get(f"/admin/catalogue/{model}/").status_code == 200
    assert client.get(f"/admin/catalogue/{model}/add/").status_code == 403
    assert client.get("/admin/catalogue/producttype/combustible-gas-alarms/change/").status_code == 200
