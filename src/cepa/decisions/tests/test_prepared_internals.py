"""Prepared queries skip Django's cursor wrapper when nothing observes them, leaning on parts of Django
that are not documented API. These tests fail loudly when a Django release changes those parts: then
review cepa.decisions.prepared (or let it go through `connection.cursor()` always)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Organisation
from cepa.decisions import prepared
from cepa.decisions.prepared import Prepared, _qmark, one_cursor
from cepa.testing.factories import organisation

pytestmark = pytest.mark.usefixtures("catalogue")

BY_KIND = Prepared(
    lambda ids, kind, prefix: (
        Organisation.objects.filter(id__in=ids, kind=kind, id__startswith=prefix)
        .order_by("id")
        .values_list("id", "kind", "hk_invested")
    )
)
# What the driver path calls on the connection, as Django's own cursor() does.
UNDOCUMENTED = (
    "close_if_health_check_failed",
    "ensure_connection",
    "validate_no_broken_transaction",
    "wrap_database_errors",
    "create_cursor",
    "queries_logged",
)


def test_the_connection_still_has_what_the_driver_path_calls() -> None:
    missing = [name for name in UNDOCUMENTED if not hasattr(connection, name)]
    assert missing == [], f"Django changed its connection wrapper: review cepa.decisions.prepared ({missing})"
    assert isinstance(connection.execute_wrappers, list)


def test_the_driver_path_gives_what_djangos_cursor_gives() -> None:
    organisation("lab-1", "laboratory", "HK")
    organisation("lab-2", "laboratory", "MAINLAND")
    organisation("cb-1", "certification_body", "HK")
    params = {"ids": ["lab-1", "lab-2", "cb-1"], "kind": "laboratory", "prefix": "lab-"}
    assert not connection.queries_logged and not connection.execute_wrappers  # the driver path runs
    direct = BY_KIND.rows(**params)
    with CaptureQueriesContext(connection) as queries:
        observed = BY_KIND.rows(**params)
    assert len(queries) == 1
    assert [row[0] for row in direct] == ["lab-1", "lab-2"]
    assert direct == observed


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the placeholder conversion is SQLite's")
def test_the_placeholder_conversion_is_djangos() -> None:
    sql = "SELECT 1 WHERE a = %s AND b LIKE '%%x' AND c IN (%s, %s) AND d = '%%s'"
    connection.ensure_connection()
    cursor = connection.create_cursor()
    try:
        assert _qmark(sql) == cursor.convert_query(sql)
    finally:
        cursor.close()


ONE = Prepared(lambda id: Organisation.objects.filter(id=id).values_list("id", "kind"))
LIST = Prepared(lambda ids: Organisation.objects.filter(id__in=ids).order_by("id").values_list("id", "kind"))
MIXED = Prepared(
    lambda ids, kind: (
        Organisation.objects.filter(id__in=ids, kind=kind).order_by("id").values_list("id", "kind")
    )
)
BUILT = Prepared(
    lambda prefix: Organisation.objects.filter(id__startswith=prefix).order_by("id").values_list("id", "kind")
)


def test_inside_one_cursor_every_way_of_placing_parameters_gives_the_orms_rows() -> None:
    organisation("lab-1", "laboratory", "HK")
    organisation("lab-2", "laboratory", "MAINLAND")
    organisation("cb-1", "certification_body", "HK")
    cases: list[tuple[Prepared, dict[str, Any], int]] = [
        (ONE, {"id": "lab-2"}, prepared._ONE),
        (LIST, {"ids": ["lab-2", "cb-1", "lab-1"]}, prepared._LIST),
        (MIXED, {"ids": ["lab-2", "cb-1", "lab-1"], "kind": "laboratory"}, prepared._PLAN),
        (BUILT, {"prefix": "lab-"}, prepared._FILLED),
    ]
    assert not connection.queries_logged and not connection.execute_wrappers  # the driver path runs
    with one_cursor(Organisation):
        placed = [query.rows(**params) for query, params, _ in cases]
        again = [query.rows(**params) for query, params, _ in cases]  # placed as worked out the first time
    assert placed == [
        [("lab-2", "laboratory")],
        [("cb-1", "certification_body"), ("lab-1", "laboratory"), ("lab-2", "laboratory")],
        [("lab-1", "laboratory"), ("lab-2", "laboratory")],
        [("lab-1", "laboratory"), ("lab-2", "laboratory")],
    ]
    assert again == placed
    for (query, params, placing), rows in zip(cases, placed, strict=True):
        assert rows == list(query._build(**params))
        assert [ready[1] for ready in query._ready.values() if ready is not None] == [placing]


EITHER = Prepared(
    lambda value: (
        (
            Organisation.objects.filter(id=value)
            if isinstance(value, str)
            else Organisation.objects.filter(id__in=value)
        )
        .order_by("id")
        .values_list("id")
    )
)
KIND_FIRST = Prepared(
    lambda ids: (
        Organisation.objects.filter(kind="laboratory").filter(id__in=ids).order_by("id").values_list("id")
    )
)


def test_inside_one_cursor_a_string_and_a_list_of_one_are_shapes_apart() -> None:
    organisation("lab-1", "laboratory", "HK")
    organisation("cb-1", "certification_body", "HK")
    with one_cursor(Organisation):
        assert EITHER.rows(value="lab-1") == [("lab-1",)]
        assert EITHER.rows(value=["cb-1"]) == [("cb-1",)]
        assert EITHER.rows(value="cb-1") == [("cb-1",)]
        # A constant before the list: placed by the plan, the list's items after it.
        assert KIND_FIRST.rows(ids=["cb-1", "lab-1"]) == [("lab-1",)]
    assert sorted(ready[1] for ready in EITHER._ready.values() if ready is not None) == [
        prepared._ONE,
        prepared._LIST,
    ]
    assert [ready[1] for ready in KIND_FIRST._ready.values() if ready is not None] == [prepared._PLAN]
