"""PostgreSQL: the prepared queries run inside `one_cursor` (a certificate's snapshot) become server-side
prepared statements of that connection (CEPA_PG_PREPARE, default on), and decide exactly as without."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.db import DataError, connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Organisation
from cepa.certificates.models import Certificate
from cepa.cli import main as cepa
from cepa.decisions import loader
from cepa.decisions.prepared import one_cursor
from cepa.decisions.services import decide
from cepa.decisions.tests.test_prepared_internals import BY_KIND
from cepa.demo.registry import demo_cases
from cepa.testing.factories import organisation

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"),
    pytest.mark.django_db,
]


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # `load-demo` closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    call_command("load-demo", stdout=io.StringIO())
    return sorted(Certificate.objects.values_list("id", flat=True))


def prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return {row[0] for row in cursor.fetchall()}


def snapshot_queries(number: str) -> int:
    """How many queries the snapshot runs (observed: through Django's cursor, nothing prepared)."""
    with CaptureQueriesContext(connection) as queries:
        loader.snapshot_for_certificate(number)
    return len(queries.captured_queries)


def test_two_decisions_prepare_the_snapshots_statements_once(demo: list[str]) -> None:
    number = demo[0]
    queries = snapshot_queries(number)
    assert queries >= 5
    before = prepared_statements()
    with override_settings(CEPA_PG_PREPARE=True):
        first = decide("certificate", subject=number, on="2026-06-01").to_json()
        after_first = prepared_statements()
        second = decide("certificate", subject=number, on="2026-06-01").to_json()
        after_second = prepared_statements()
    new = after_first - before
    assert len(new) == queries  # each of the snapshot's queries, with server-side parameters
    assert all(statement.startswith("SELECT") and "$1" in statement for statement in new)
    assert after_second == after_first  # run again, not prepared again
    assert first == second
    # Django's own queries stay unprepared: psycopg's threshold is back to Django's None.
    assert connection.connection.prepare_threshold is None


def test_switched_off_nothing_is_prepared(demo: list[str]) -> None:
    number = demo[0]
    before = prepared_statements()
    with override_settings(CEPA_PG_PREPARE=False):
        first = decide("certificate", subject=number, on="2026-06-01").to_json()
        second = decide("certificate", subject=number, on="2026-06-01").to_json()
    assert prepared_statements() == before
    assert first == second


def all_decisions(numbers: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """A hash of every demo certificate's decision on three days in two languages, and of the output of
    every demo case (testing, inspection, designation, certificate, enquiry) as the CLI gives it."""
    out: list[object] = []
    for number in numbers:
        for on in ("2024-01-15", "2026-06-01", "2031-01-01"):
            for lang in ("en", "zh-hant"):
                out.append(decide("certificate", subject=number, on=on, lang=lang).to_json())
    for case in demo_cases():
        try:
            cepa(["cepa", *case["argv"]])
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        printed = capsys.readouterr()
        out.append((case["argv"], code, printed.out, printed.err))
    return hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest()


def test_every_demo_decision_is_the_same_with_and_without(
    demo: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(CEPA_PG_PREPARE=False):
        without = all_decisions(demo, capsys)
    with override_settings(CEPA_PG_PREPARE=True):
        prepared = all_decisions(demo, capsys)
        again = all_decisions(demo, capsys)  # now from the prepared statements
        assert any(statement.startswith("SELECT") for statement in prepared_statements())
    assert prepared == without
    assert again == without


def test_a_failed_transaction_and_a_rollback_leave_decisions_working(demo: list[str]) -> None:
    number = demo[0]
    with override_settings(CEPA_PG_PREPARE=True):
        expected = decide("certificate", subject=number, on="2026-06-01").to_json()
        # A statement failing inside a savepoint; the savepoint rolled back, the statements stay usable.
        with pytest.raises(DataError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")
        assert decide("certificate", subject=number, on="2026-06-01").to_json() == expected
        # A snapshot made inside a savepoint that is then rolled back.
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            decide("certificate", subject=number, on="2026-06-01")
            raise ZeroDivisionError
        assert decide("certificate", subject=number, on="2026-06-01").to_json() == expected


def test_a_like_pattern_and_an_in_list_through_the_prepared_path() -> None:
    """Django's SQL for client binding (a LIKE pattern built from a parameter, an expanded IN list) as
    a server-side prepared statement gives what Django's cursor gives."""
    organisation("lab-1", "laboratory", "HK")
    organisation("lab-2", "laboratory", "MAINLAND")
    organisation("cb-1", "certification_body", "HK")
    params = {"ids": ["lab-1", "lab-2", "cb-1"], "kind": "laboratory", "prefix": "lab-"}
    with CaptureQueriesContext(connection):
        observed = BY_KIND.rows(**params)
    with override_settings(CEPA_PG_PREPARE=True):
        with one_cursor(Organisation):
            first = BY_KIND.rows(**params)
        with one_cursor(Organisation):
            second = BY_KIND.rows(**params)
        assert any("LIKE $" in statement for statement in prepared_statements())
    assert [row[0] for row in observed] == ["lab-1", "lab-2"]
    assert first == second == observed


def test_an_error_inside_restores_the_threshold_and_is_raised_as_djangos() -> None:
    """A driver error raised inside `one_cursor` comes out as Django's own error, and psycopg's threshold
    is Django's again (else every later query of the connection could be prepared)."""
    from cepa.decisions.prepared import _pinned

    connection.ensure_connection()
    assert connection.connection.prepare_threshold is None
    with override_settings(CEPA_PG_PREPARE=True):
        with pytest.raises(DataError), transaction.atomic(), one_cursor(Organisation):
            pinned = _pinned.get()
            assert pinned is not None and pinned.prepare
            assert connection.connection.prepare_threshold is not None
            pinned.cursor.execute("SELECT 1 / %s", [0], prepare=True)
        assert _pinned.get() is None
        assert connection.connection.prepare_threshold is None
        with pytest.raises(ZeroDivisionError), one_cursor(Organisation):
            raise ZeroDivisionError
        assert _pinned.get() is None
        assert connection.connection.prepare_threshold is None
