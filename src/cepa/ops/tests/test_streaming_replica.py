"""The router against a real streaming replica (`make test-replica`, which .ci/run runs): the primary
is DATABASE_URL, the replica DATABASE_REPLICA_URLS, and the test database reaches the replica by
replication. Skipped unless the first configured replica is a PostgreSQL server in recovery."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from cepa.ops.middleware import WROTE_COOKIE
from cepa.ops.tests import replication
from cepa.ops.tests.replication import scalar
from cepa.testing import factories
from cepa.testing.personas import persona

REPLICA = settings.CEPA_READ_REPLICAS[0] if settings.CEPA_READ_REPLICAS else ""
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(
        not (REPLICA and POSTGRES), reason="needs DATABASE_REPLICA_URLS naming a PostgreSQL replica"
    ),
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA] if REPLICA else ["default"]),
]


def caught_up() -> None:
    replication.caught_up(REPLICA)


@pytest.fixture
def paused() -> Iterator[None]:
    """The replica stops replaying the primary's WAL: it falls behind until the end of the test."""
    caught_up()
    scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        yield
    finally:
        scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
        caught_up()


def test_the_replica_is_a_streaming_standby() -> None:
    assert scalar(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert scalar("default", "SELECT pg_is_in_recovery()") is False
    assert settings.DATABASE_ROUTERS == ["cepa.ops.routers.ReplicaRouter"]


def test_anonymous_readers_read_the_replica() -> None:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    caught_up()
    response = Client().get("/api/v1/organisations/hk-lab-a")
    assert response.status_code == 200
    assert response.json()["id"] == "hk-lab-a"


def test_a_writer_reads_its_write_while_the_replica_lags(paused: None) -> None:
    admin = persona("root", "admin").headers
    lab = {"id": "hk-lab-new", "name": {"en": "New Testing Ltd"}, "kind": "laboratory", "seat": "HK"}
    writer = Client()

    created = writer.put(
        "/api/v1/organisations/hk-lab-new",
        data=json.dumps(lab),
        content_type="application/json",
        headers=admin,
    )
    assert created.status_code == 201
    assert WROTE_COOKIE in writer.cookies

    # The writer's session reads the primary: its own write is there.
    assert writer.get("/api/v1/organisations/hk-lab-new").status_code == 200
    assert writer.get("/bodies/hk-lab-new/").status_code == 200
    # Anonymous readers read the replica, which has not replayed the write yet.
    assert Client().get("/api/v1/organisations/hk-lab-new").status_code == 404
    assert Client().get("/bodies/hk-lab-new/").status_code == 404
    assert scalar(REPLICA, "SELECT count(*) FROM bodies_organisation WHERE id = 'hk-lab-new'") == 0
    assert scalar("default", "SELECT count(*) FROM bodies_organisation WHERE id = 'hk-lab-new'") == 1


def test_a_lagging_replica_catches_up() -> None:
    caught_up()  # the flush after the previous test included
    scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        factories.organisation("hk-lab-late", "laboratory", "HK")
        assert Client().get("/api/v1/organisations/hk-lab-late").status_code == 404
    finally:
        scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
    caught_up()
    assert Client().get("/api/v1/organisations/hk-lab-late").status_code == 200


def test_health_reports_the_replica_and_its_lag() -> None:
    caught_up()
    response = Client().get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks[f"database:{REPLICA}"]["ok"] is True
    assert checks[f"database:{REPLICA}"]["replay_lag_s"] == 0
    assert checks["database"]["ok"] is True
    assert "replay_lag_s" not in checks["database"]


def test_health_shows_a_replica_falling_behind(paused: None) -> None:
    time.sleep(1.1)
    factories.organisation("hk-lab-behind", "laboratory", "HK")
    deadline = time.monotonic() + 15
    # Received but not replayed: the lag is the age of the last transaction the replica replayed.
    while scalar(REPLICA, "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"):
        assert time.monotonic() < deadline, "the replica did not receive the write"
        time.sleep(0.05)
    response = Client().get("/healthz")
    assert response.status_code == 200  # informative: a lagging replica still serves
    assert response.json()["checks"][f"database:{REPLICA}"]["replay_lag_s"] >= 1
