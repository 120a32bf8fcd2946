"""Helpers for tests that read through a replica alias: a mirror is always current; a streaming
replica is waited for."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


@contextmanager
def mirror(alias: str) -> Iterator[None]:
    """`alias`, for the block, a second connection to the test database (as Django's TEST MIRROR makes
    one): the router's tests run on any engine without a replica, and the settings keep no alias for
    them. An alias the settings already define (DATABASE_REPLICA_URLS) is left as it is."""
    if alias in connections:
        yield
        return
    primary = connections["default"].settings_dict  # the test database's, once pytest-django set it up
    connections.settings[alias] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    try:
        yield
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def scalar(alias: str, sql: str, params: tuple[str, ...] = ()) -> object:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        assert row is not None
        return row[0]


def is_streaming(alias: str) -> bool:
    connection = connections[alias]
    return connection.vendor == "postgresql" and scalar(alias, "SELECT pg_is_in_recovery()") is True


def caught_up(alias: str) -> None:
    """Returns once `alias` shows everything the primary has written so far (at once for a mirror)."""
    if not is_streaming(alias):
        return
    # The insert position: with asynchronous commit the write position can trail the last commit.
    target = str(scalar("default", "SELECT pg_current_wal_insert_lsn()::text"))
    deadline = time.monotonic() + 15
    while not scalar(alias, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)):
        assert time.monotonic() < deadline, "the replica did not catch up within 15 s"
        time.sleep(0.05)
