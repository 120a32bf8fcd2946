"""The request id (header, history, logs), the JSON-lines log format, /healthz, and `cepa serve`'s sizing."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings

from cepa.history.models import ChangeSet
from cepa.history.services import RecordChange, record_changes
from cepa.ops import health
from cepa.ops.context import current_request_id, request_id
from cepa.ops.logs import JsonLinesFormatter
from cepa.testing import factories
from cepa.testing.personas import persona
from cepa.web.management.commands.serve import default_threads, default_workers, granian_argv, usable_cores

NEW_LAB = {"id": "hk-lab-new", "name": {"en": "New Testing Ltd"}, "kind": "laboratory", "seat": "HK"}


@pytest.mark.django_db
def test_a_sane_request_id_is_kept_and_echoed() -> None:
    response = Client().get("/api/v1/organisations", headers={"X-Request-ID": "lb-7f3a.42:x_y"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.42:x_y"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 65, "semi;colon", "ünïcode"])
def test_an_insane_or_missing_request_id_is_replaced(incoming: str) -> None:
    headers = {"X-Request-ID": incoming} if incoming else {}
    response = Client().get("/api/v1/organisations", headers=headers)
    generated = response["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32
    assert int(generated, 16) >= 0


@pytest.mark.django_db
def test_every_change_of_a_request_records_its_id() -> None:
    admin = persona("root", "admin").headers
    before = set(ChangeSet.objects.values_list("pk", flat=True))
    response = Client().put(
        "/api/v1/organisations/hk-lab-new",
        data=json.dumps(NEW_LAB),
        content_type="application/json",
        headers={**admin, "X-Request-ID": "req-write-1"},
    )
    assert response.status_code == 201
    written = ChangeSet.objects.exclude(pk__in=before)
    assert [changeset.request_id for changeset in written] == ["req-write-1"]


@pytest.mark.django_db
def test_a_change_outside_a_request_has_no_request_id_unless_given() -> None:
    assert current_request_id() == ""
    with transaction.atomic():
        factories.organisation("hk-lab-a", "laboratory", "HK")
        change = RecordChange("organisations", "hk-lab-a", "create", None, {"id": "hk-lab-a"})
        plain = record_changes(actor="test:ops", reason="", channel="cli", changes=[change])
        with request_id("outer-id"):
            inside = record_changes(actor="test:ops", reason="", channel="cli", changes=[change])
            given = record_changes(
                actor="test:ops", reason="", channel="cli", changes=[change], request_id="given"
            )
    assert plain is not None and inside is not None and given is not None
    assert (plain.request_id, inside.request_id, given.request_id) == ("", "outer-id", "given")
    assert current_request_id() == ""


@pytest.mark.django_db
def test_the_access_log_has_one_record_per_request(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="cepa.request"):
        Client().get("/api/v1/organisations?limit=1", headers={"X-Request-ID": "req-log-1"})
    records = [record for record in caplog.records if record.name == "cepa.request"]
    assert len(records) == 1
    record = records[0]
    assert record.getMessage() == "GET /api/v1/organisations 200"
    assert (record.request_id, record.method, record.path, record.status) == (  # type: ignore[attr-defined]
        "req-log-1",
        "GET",
        "/api/v1/organisations",
        200,
    )
    assert record.duration >= 0  # type: ignore[attr-defined]
    line = json.loads(JsonLinesFormatter().format(record))
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration",
    }
    assert (line["level"], line["logger"], line["request_id"], line["status"]) == (
        "INFO",
        "cepa.request",
        "req-log-1",
        200,
    )
    assert line["time"].endswith("+00:00")


def test_a_log_line_is_one_json_object_on_one_line() -> None:
    formatter = JsonLinesFormatter()
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = logging.LogRecord(
            "cepa.x", logging.ERROR, __file__, 1, "failed: %s", ("两行\n文字",), sys.exc_info()
        )
    with request_id("req-exc"):
        text = formatter.format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed: 两行\n文字"
    assert line["request_id"] == "req-exc"
    assert line["level"] == "ERROR"
    assert "ValueError: bad" in line["exception"]


@pytest.mark.django_db
def test_healthz_reports_every_check() -> None:
    # Probed by address, as a load balancer does: answered before host validation.
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_fails_when_the_cache_loses_what_it_was_given() -> None:
    caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=caches):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False, "error": "a value written to the cache was not read back"}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_fails_while_migrations_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("bodies", "9999")])
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "error": "1 migrations not applied: run `cepa migrate`",
    }


def test_serve_sizes_granian_from_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CEPA_WORKERS", raising=False)
    monkeypatch.delenv("CEPA_THREADS", raising=False)
    assert usable_cores() == len(os.sched_getaffinity(0))
    assert default_workers() == usable_cores()
    sqlite = "sqlite3" in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"]
    assert default_threads() == (2 if sqlite else 4)
    monkeypatch.setenv("CEPA_WORKERS", "3")
    monkeypatch.setenv("CEPA_THREADS", "6")
    assert (default_workers(), default_threads()) == (3, 6)
    argv = granian_argv("/bin/granian", "0.0.0.0", 8080, 3, 6)
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--blocking-threads") + 1] == "6"
    assert argv[-1] == "cepa.wsgi:application"
    # granian's own lines are JSON lines too: its log configuration names the application's formatter.
    config = json.loads(Path(argv[argv.index("--log-config") + 1]).read_text(encoding="utf-8"))
    assert config["formatters"]["json"] == {"()": "cepa.ops.logs.JsonLinesFormatter"}
    assert set(config["loggers"]) == {"_granian", "granian.access"}
