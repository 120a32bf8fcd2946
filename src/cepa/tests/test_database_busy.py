"""Issue 12 finding 10: SQLite writers wait for the lock (20 s), and a write that still cannot proceed
is answered 503 with Retry-After on the pages and the API, never 500, with nothing written.

A real lock held by another connection shows the error SQLite gives once the busy timeout has passed;
the faces' answers are then driven with that error, raised where every write path passes (the
history's insert), so that no test waits 20 seconds."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from cepa.bodies.models import Organisation
from cepa.enquiries import protection
from cepa.enquiries.models import Enquiry
from cepa.errors import is_database_busy
from cepa.history.models import ChangeSet
from cepa.testing.personas import persona

pytestmark = pytest.mark.django_db

LOCKED = OperationalError("database is locked")
SAMPLE = Path(__file__).resolve().parents[1] / "interchange" / "tests" / "data" / "registry-sample.json"


def locked() -> Any:
    return mock.patch("cepa.history.services._insert_changes", side_effect=LOCKED)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's busy timeout")
def test_sqlite_writers_wait_twenty_seconds_for_the_lock() -> None:
    options = settings.DATABASES["default"]["OPTIONS"]
    assert (options["timeout"], options["transaction_mode"]) == (20, "IMMEDIATE")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000


def enquiry() -> dict[str, str]:
    return {
        "product": "0701",
        "name": "Chan Tai Man",
        "email": "chan@example.com",
        "organisation": "",
        "message": "May a Hong Kong laboratory test our refrigerators?",
        "website": "",
        "started": protection.issue_token(time.time() - 30),
    }


def assert_busy_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "<h1>The registry is busy</h1>" in html
    assert "Wait 5 seconds, then try again." in html


def test_a_real_held_lock_is_recognised_as_busy(tmp_path: Path) -> None:
    """Another process holding SQLite's write lock past the busy timeout gives the error the faces
    answer with 503 (Django's OperationalError, `database is locked`), after waiting the timeout."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # an import in another process, holding the write lock
    options = {**settings.DATABASES["default"].get("OPTIONS", {}), "timeout": 0.3, "init_command": ""}
    if connection.vendor != "sqlite":
        options = {"timeout": 0.3, "transaction_mode": "IMMEDIATE"}
    probe = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
        },
        alias="lock-probe",
    )
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as refused, probe.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
    finally:
        probe.close()
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - started >= 0.25
    assert str(refused.value) == "database is locked"
    assert is_database_busy(refused.value)
    assert not is_database_busy(OperationalError("no such table: t"))


def test_a_page_write_that_meets_a_locked_database_is_503_with_retry_after() -> None:
    before = ChangeSet.objects.count()
    with locked():
        response = Client(raise_request_exception=False).post("/enquiry/", enquiry())
    assert_busy_page(response)
    assert (Enquiry.objects.count(), ChangeSet.objects.count()) == (0, before)


def test_an_api_write_that_meets_a_locked_database_is_503_json_with_retry_after() -> None:
    admin = persona("root", "admin").headers
    before = ChangeSet.objects.count()
    with locked():
        response = Client(raise_request_exception=False).post(
            "/api/v1/import", data=SAMPLE.read_text(), content_type="application/json", headers=admin
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {
        "code": "SERVICE_UNAVAILABLE",
        "message": "the registry is busy saving another change; nothing was changed, try again in a few "
        "seconds",
    }
    assert (Organisation.objects.count(), ChangeSet.objects.count()) == (0, before)


def test_a_locked_database_met_outside_a_view_is_503_too() -> None:
    """The session is saved after the view (here: the enquiry's reference), where only the handler500
    sees a locked database."""
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=LOCKED):
        response = Client(raise_request_exception=False).post("/enquiry/", enquiry())
    assert_busy_page(response)


def test_other_database_errors_stay_server_errors() -> None:
    admin = persona("root", "admin").headers
    with mock.patch("cepa.history.services._insert_changes", side_effect=OperationalError("no such table")):
        response = Client(raise_request_exception=False).post(
            "/api/v1/import", data=SAMPLE.read_text(), content_type="application/json", headers=admin
        )
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "SERVER_ERROR"
