"""Prepared queries skip Django's cursor wrapper when nothing observes them, leaning on parts of Django
that are not documented API. These tests fail loudly when a Django release changes those parts: then
review cepa.decisions.prepared (or let it go through `connection.cursor()` always)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Organisation
from cepa.decisions.prepared import Prepared, _qmark
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
