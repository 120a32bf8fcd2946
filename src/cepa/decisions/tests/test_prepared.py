from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Organisation
from cepa.catalogue.models import ProductType
from cepa.decisions import loader
from cepa.decisions.prepared import Prepared, day, flag, json_value, maybe_day, maybe_moment, moment
from cepa.decisions.services import gc_paused
from cepa.testing.factories import organisation

pytestmark = pytest.mark.usefixtures("catalogue")

BY_IDS = Prepared(
    lambda ids: Organisation.objects.filter(id__in=ids).order_by("id").values_list("id", "kind")
)
BY_KIND = Prepared(
    lambda kind, prefix: (
        Organisation.objects.filter(kind=kind, id__startswith=prefix).order_by("id").values_list("id")
    )
)


def test_compiled_once_per_shape_and_run_with_new_parameters() -> None:
    organisation("a", "laboratory", "HK")
    organisation("b", "certification_body", "HK")
    organisation("c", "laboratory", "MAINLAND")
    assert BY_IDS.rows(ids=["a"]) == [("a", "laboratory")]
    assert BY_IDS.rows(ids=["b"]) == [("b", "certification_body")]
    assert BY_IDS.rows(ids=["c", "a"]) == [("a", "laboratory"), ("c", "laboratory")]
    shapes = [shape for shape in BY_IDS._compiled if shape[0] == connection.vendor]
    assert sorted(shape[1] for shape in shapes) == [("ids", 1), ("ids", 2)]


def test_templated_parameter_is_filled() -> None:
    organisation("lab-1", "laboratory", "HK")
    organisation("lab-2", "laboratory", "HK")
    organisation("other", "laboratory", "HK")
    assert BY_KIND.rows(kind="laboratory", prefix="lab-") == [("lab-1",), ("lab-2",)]
    assert BY_KIND.rows(kind="laboratory", prefix="oth") == [("other",)]
    assert BY_KIND.rows(kind="certification_body", prefix="lab-") == []


def test_empty_list_matches_nothing_without_a_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert BY_IDS.rows(ids=[]) == []
    assert len(queries) == 0


def test_prepared_queries_are_counted_like_any_other() -> None:
    with CaptureQueriesContext(connection) as queries:
        BY_IDS.rows(ids=["a"])
    assert len(queries) == 1


def test_catalogue_by_code_finds_bundled_codes() -> None:
    category = ProductType.objects.first().category  # type: ignore[union-attr]
    ProductType.objects.create(
        key="bundle-test",
        code="9990",
        other_codes=["9991", "9992"],
        category=category,
        name_en="Bundle",
        route="certification",
        applications_from=dt.date(2024, 1, 1),
    )
    # One type, whichever of its names is asked, with all its names
    (bundle,) = loader.load_catalogue("9991")
    assert (bundle.key, bundle.codes) == ("bundle-test", ("9990", "9991", "9992"))
    assert loader.load_catalogue("9990") == loader.load_catalogue("bundle-test") == [bundle]
    assert loader.load_catalogue("9993") == []
    # a code is not matched inside a longer one
    assert loader.load_catalogue("999") == []


def test_value_conversions() -> None:
    assert moment(dt.datetime(2026, 3, 31, 16, 0)) == dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)  # noqa: DTZ001
    assert moment("2026-03-31T16:00:00+00:00") == dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert maybe_moment(None) is None
    assert day("2026-02-28") == dt.date(2026, 2, 28)
    assert maybe_day(None) is None
    assert json_value('["0701"]') == ["0701"]
    assert json_value(["0701"]) == ["0701"]
    assert json_value(None) is None
    assert (flag(1), flag(0), flag(True)) == (True, False, True)


def test_gc_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()
