"""The CEPA measures over time and the routine-designation provisions, as shipped and loaded."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cepa.catalogue import selectors
from cepa.catalogue.models import CepaMeasure, RoutineProvision
from cepa.catalogue.reference_data import DATA_DIR, ReferenceDataError, read_reference_data
from cepa.catalogue.services import load_reference_data
from cepa.history.models import Change
from cepa.testing.personas import sign_in

pytestmark = pytest.mark.django_db

TESTING_MEASURES = [
    "CEPA-SUPPLEMENT-VII-CCC-PILOT",
    "CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED",
    "GUANGDONG-AGREEMENT-CCC-AV",
    "EXCHANGE-OF-LETTERS-2018-CCC-MAINLAND",
    "AMENDMENT-2019-MEASURE-1-ANY-ORIGIN",
]


def keys_on(day: str) -> list[str]:
    return [measure.key for measure in selectors.measure_on(dt.date.fromisoformat(day))]


def test_the_loader_loads_every_measure_and_provision_exactly() -> None:
    data = read_reference_data()
    assert len(data["measures"]) == CepaMeasure.objects.count() == 11
    assert len(data["routine_provisions"]) == RoutineProvision.objects.count() == 5
    assert list(CepaMeasure.objects.filter(activity="ccc_testing").order_by("effective").values_list(
        "key", flat=True)) == TESTING_MEASURES
    assert Change.objects.filter(record_type="catalogue.measures", action="create").count() == 11

    any_origin = CepaMeasure.objects.get(key="AMENDMENT-2019-MEASURE-1-ANY-ORIGIN")
    assert (any_origin.instrument_id, any_origin.signed, any_origin.effective, any_origin.until) == (
        "CEPA-AMENDMENT-2019", "2019-11-21", dt.date(2020, 6, 1), None,
    )
    assert (any_origin.place_restricted, any_origin.confirmed, any_origin.effective_confirmed) == (
        False, True, True,
    )
    assert any_origin.place_zh_hant == "任何產地，包括中國境外"
    assert any_origin.place_zh_hans == "任何产地，包括中国境外"

    pilot = CepaMeasure.objects.get(key="CEPA-SUPPLEMENT-VII-CCC-PILOT")
    assert (pilot.signed, pilot.effective, pilot.effective_confirmed, pilot.until_confirmed) == (
        "2010-05", dt.date(2011, 1, 1), False, False,
    )
    assert pilot.place_en == "Processed in Hong Kong" and pilot.place_restricted is True
    assert pilot.instrument is None


def test_every_measure_has_three_languages_a_source_and_a_note_where_uncertain() -> None:
    for measure in CepaMeasure.objects.all():
        for field in ("name", "scope", "place"):
            assert all(getattr(measure, f"{field}_{lang}") for lang in ("en", "zh_hant", "zh_hans"))
        assert measure.source.strip()
        certain = measure.confirmed and measure.effective_confirmed and measure.until_confirmed is not False
        assert certain or measure.note.strip(), measure.key


def test_a_second_load_writes_nothing() -> None:
    rows = list(CepaMeasure.objects.order_by("key").values())
    changes = Change.objects.count()
    assert load_reference_data(actor="test:loader") is False
    assert list(CepaMeasure.objects.order_by("key").values()) == rows
    assert Change.objects.count() == changes


def edit(data_dir: Path, name: str, change: Any) -> None:
    path = data_dir / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document[name])
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def test_a_changed_measure_is_updated_with_history_and_restored(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)

    def rename(rows: list[dict[str, Any]]) -> None:
        next(r for r in rows if r["key"] == "GUANGDONG-AGREEMENT-CCC-AV")["effective_confirmed"] = False

    edit(data_dir, "measures", rename)
    assert load_reference_data(actor="test:loader", data_dir=data_dir) is True
    assert CepaMeasure.objects.get(key="GUANGDONG-AGREEMENT-CCC-AV").effective_confirmed is False
    change = Change.objects.filter(record_type="catalogue.measures").latest("id")
    assert (change.record_id, change.action) == ("GUANGDONG-AGREEMENT-CCC-AV", "update")
    assert load_reference_data(actor="test:loader") is True
    assert CepaMeasure.objects.get(key="GUANGDONG-AGREEMENT-CCC-AV").effective_confirmed is True


@pytest.mark.parametrize("change,problem", [
    (lambda r: r.update(until="2010-12-31"), "/until: before effective"),
    (lambda r: r.update(signed="2010-13"), "is not YYYY-MM or YYYY-MM-DD"),
    (lambda r: r.update(effective=None), "a CCC testing measure needs its first day"),
    (lambda r: r.update(until_confirmed=None), "until and until_confirmed go together"),
    (lambda r: r.update(activity="lobbying"), "is not a measure activity"),
])
def test_inconsistent_measures_are_refused(tmp_path: Path, change: Any, problem: str) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    edit(data_dir, "measures", lambda rows: change(rows[0]))
    with pytest.raises(ReferenceDataError) as raised:
        read_reference_data(data_dir)
    assert any(problem in error for error in raised.value.errors), raised.value.errors


def test_the_timeline_is_in_order_of_the_first_day_or_else_the_signing() -> None:
    assert [measure.key for measure in selectors.measures()] == [
        "CEPA-SUPPLEMENT-VII-CCC-PILOT", "CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED",
        "CEPA-SUPPLEMENT-IX-GUANGDONG-FOOD", "CEPA-SUPPLEMENT-X-VOLUNTARY", "GUANGDONG-AGREEMENT-CCC-AV",
        "SERVICES-AGREEMENT-2015", "ECONOMIC-TECHNICAL-COOPERATION-2017",
        "EXCHANGE-OF-LETTERS-2018-CCC-MAINLAND",
        "AMENDMENT-2019-MEASURE-1-ANY-ORIGIN", "AMENDMENT-2019-MEASURES-2-3-MAINLAND",
        "AGREEMENT-II-2024-MEASURES-2-3-WORLDWIDE",
    ]


def test_measure_on_at_the_boundaries() -> None:
    assert keys_on("2010-12-31") == []
    assert keys_on("2011-01-01") == ["CEPA-SUPPLEMENT-VII-CCC-PILOT"]
    assert keys_on("2012-04-01") == ["CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED"]
    assert keys_on("2019-02-28") == ["CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED", "GUANGDONG-AGREEMENT-CCC-AV"]
    assert keys_on("2019-03-01") == [
        "CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED", "GUANGDONG-AGREEMENT-CCC-AV",
        "EXCHANGE-OF-LETTERS-2018-CCC-MAINLAND",
    ]
    assert keys_on("2020-05-31") == keys_on("2019-03-01")
    assert keys_on("2020-06-01") == ["AMENDMENT-2019-MEASURE-1-ANY-ORIGIN"]
    # The 2025 changes concern factory inspection and sampling, not testing.
    assert keys_on("2025-03-01") == ["AMENDMENT-2019-MEASURE-1-ANY-ORIGIN"]


def test_place_of_processing_mattered_until_june_2020() -> None:
    def mattered(day: str) -> bool:
        return selectors.place_of_processing_mattered(dt.date.fromisoformat(day))

    assert mattered("2011-01-01") and mattered("2019-03-01") and mattered("2020-05-31")
    assert not mattered("2020-06-01") and not mattered("2026-01-01")
    assert not mattered("2010-12-31")  # no measure at all then


def test_routine_gaps_are_recorded_as_uncertain() -> None:
    complete = RoutineProvision.objects.get(key="PN-2015-34-COMPLETE-FIELD")
    assert (complete.instrument_id, complete.applicant, complete.confirmed, complete.scope_confirmed) == (
        "CNCA-PN-2015-34", "designated_laboratories", True, False,
    )
    assert "Annex 1" in complete.text_en
    assert "附件 1" in complete.text_zh_hant and "附件 1" in complete.text_zh_hans
    missing = RoutineProvision.objects.get(key="PN-2017-1-NOT-FOUND")
    assert (missing.instrument_id, missing.confirmed, missing.instrument.confirmed) == (
        "CNCA-PN-2017-1", False, False,
    )


def test_uncertainties_sum_up_what_is_not_verified(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(6):
        found = selectors.uncertainties()
    assert "CNCA-PN-2017-1" in [instrument.key for instrument in found.instruments]
    assert [measure.key for measure in found.measures] == [
        "CEPA-SUPPLEMENT-VII-CCC-PILOT", "CEPA-SUPPLEMENT-VIII-CCC-HK-PROCESSED",
        "CEPA-SUPPLEMENT-IX-GUANGDONG-FOOD", "CEPA-SUPPLEMENT-X-VOLUNTARY", "GUANGDONG-AGREEMENT-CCC-AV",
        "SERVICES-AGREEMENT-2015", "ECONOMIC-TECHNICAL-COOPERATION-2017",
        "AGREEMENT-II-2024-MEASURES-2-3-WORLDWIDE",
    ]
    assert sorted(provision.key for provision in found.routine_provisions) == [
        "PN-2015-34-COMPLETE-FIELD", "PN-2015-34-WHOLE-PRODUCT-COMPONENTS", "PN-2017-1-NOT-FOUND",
        "PN-2017-28-WIDENED-SCOPE",
    ]
    assert (found.periods, found.inferred_periods) == (117, 54)
    assert (found.route_spans, found.inferred_route_spans) == (183, 76)
    assert (found.routine_entries, found.unconfirmed_routine_entries) == (29, 3)


@pytest.mark.parametrize("model", ["cepameasure", "routineprovision"])
def test_the_admin_lists_them_read_only(client: Any, model: str) -> None:
    from django.contrib.auth import get_user_model

    sign_in(client, get_user_model().objects.create(username="root", is_staff=True, is_superuser=True))
    assert client.get(f"/admin/catalogue/{model}/").status_code == 200
    assert client.get(f"/admin/catalogue/{model}/add/").status_code == 403
