"""cepa.writes: statements handed to the writer thread run in order, before any other query, inside the
caller's transaction; a failing one is raised in the caller as Django's error and nothing stays."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from cepa import writes
from cepa.history.models import ChangeSet

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = ("id", "actor", "at", "reason", "channel", "request_id")


def rows(base: int, first: int, count: int) -> list[tuple[Any, ...]]:
    """Change sets numbered from base + first on."""
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    return [(base + pk, f"actor {pk}", at, "", "import", "") for pk in range(first, first + count)]


def last_id() -> int:
    return ChangeSet.objects.aggregate(last=Max("id"))["last"] or 0


def test_handed_over_rows_are_written_before_the_next_query_and_commit() -> None:
    before, base = ChangeSet.objects.count(), last_id()
    with transaction.atomic(), writes.overlapped():
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 1, 12_000))
        assert ChangeSet.objects.count() == before + 12_000
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 12_001, 3))
    assert list(ChangeSet.objects.order_by("-id").values_list("actor", flat=True)[:2]) == [
        "actor 12003",
        "actor 12002",
    ]
    assert ChangeSet.objects.count() == before + 12_003


def test_a_failing_statement_is_raised_in_the_caller_and_nothing_stays() -> None:
    before, base = ChangeSet.objects.count(), last_id()
    with pytest.raises(IntegrityError), transaction.atomic(), writes.overlapped():
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 1, 10))
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 10, 2))  # id 10 twice
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 100, 2))
    assert ChangeSet.objects.count() == before


def test_an_error_of_the_caller_drops_what_waits_and_nothing_stays() -> None:
    before, base = ChangeSet.objects.count(), last_id()
    with pytest.raises(ValueError, match="refused"), transaction.atomic(), writes.overlapped():
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 1, 10_000))
        raise ValueError("refused")
    assert ChangeSet.objects.count() == before


def test_outside_overlapped_rows_are_written_at_once() -> None:
    before, base = ChangeSet.objects.count(), last_id()
    with transaction.atomic():
        writes.insert(ChangeSet._meta.db_table, COLUMNS, rows(base, 1, 2))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {ChangeSet._meta.db_table}")
            assert cursor.fetchone() == (before + 2,)


@pytest.mark.parametrize("per_insert", [writes.ROWS_PER_INSERT, 7])
def test_overlapped_rows_are_written_as_given_in_order(
    monkeypatch: pytest.MonkeyPatch, per_insert: int
) -> None:
    """On SQLite several rows go to one INSERT (the last of each call shorter); on PostgreSQL, COPY. Either
    way the table ends as row-at-a-time inserts leave it."""
    monkeypatch.setattr(writes, "ROWS_PER_INSERT", per_insert)
    base = last_id()
    written = rows(base, 1, 12_345) + rows(base, 20_001, 5)
    with transaction.atomic(), writes.overlapped():
        writes.insert(ChangeSet._meta.db_table, COLUMNS, written[:12_345])
        writes.insert(ChangeSet._meta.db_table, COLUMNS, written[12_345:])
    stored = ChangeSet.objects.filter(id__gt=base).order_by("id").values_list("id", "actor", "channel")
    assert list(stored) == [(pk, actor, channel) for pk, actor, _, _, channel, _ in written]
