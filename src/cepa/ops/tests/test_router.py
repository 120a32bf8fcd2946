"""The replica router on any engine: a "replica" alias that these tests add mirrors the test database
(Django's TEST MIRROR), or, when DATABASE_REPLICA_URLS is set, the first configured replica is used.
Which connection ran each query shows where it was routed; what a lagging replica returns is proved in
test_streaming_replica."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from cepa import httpcache
from cepa.bodies.models import Organisation
from cepa.decisions.services import decide
from cepa.history.models import RegistryVersion
from cepa.ops.context import routing
from cepa.ops.middleware import WROTE_COOKIE
from cepa.ops.tests.replication import caught_up, mirror
from cepa.testing import factories
from cepa.testing.personas import persona

REPLICA = settings.CEPA_READ_REPLICAS[0] if settings.CEPA_READ_REPLICAS else "replica"
NEW_LAB = {"id": "hk-lab-new", "name": {"en": "New Testing Ltd"}, "kind": "laboratory", "seat": "HK"}

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None) -> Iterator[None]:
    """The alias, added before pytest-django checks the tests' databases (module scope: before the
    function-scoped django_db marker) and after the test database exists (its name is copied)."""
    with mirror(REPLICA):
        yield


@pytest.fixture
def replicated() -> Iterator[None]:
    with override_settings(CEPA_READ_REPLICAS=[REPLICA], DATABASE_ROUTERS=["cepa.ops.routers.ReplicaRouter"]):
        yield


class Where:
    """The queries each database ran inside the block."""

    def __enter__(self) -> Where:
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.primary.captured_queries), len(self.replica.captured_queries)


def test_without_replicas_every_query_goes_to_the_primary() -> None:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    with override_settings(CEPA_READ_REPLICAS=[], DATABASE_ROUTERS=[]), Where() as where:
        response = Client().get("/api/v1/organisations/hk-lab-a")
    assert response.status_code == 200
    assert WROTE_COOKIE not in response.cookies
    primary, replica = where.counts
    assert primary > 0
    assert replica == 0


def test_anonymous_reads_go_to_the_replica(replicated: None) -> None:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    caught_up(REPLICA)
    client = Client()
    for path in (
        "/api/v1/organisations/hk-lab-a",
        "/bodies/hk-lab-a/",
        "/directory/",
        "/open-data/cepa-registry.json",
    ):
        with Where() as where:
            response = client.get(path)
        assert response.status_code == 200, path
        primary, replica = where.counts
        assert (primary, replica > 0) == (0, True), path
        assert WROTE_COOKIE not in response.cookies


def test_decisions_read_the_replica(replicated: None) -> None:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    caught_up(REPLICA)
    with routing(REPLICA), Where() as where:
        decide("testing", subject="hk-lab-a", product_type="0807", on=None, lang="en")
    primary, replica = where.counts
    assert primary == 0
    assert replica > 0


def test_a_write_sends_the_rest_of_the_request_to_the_primary(replicated: None) -> None:
    with routing(REPLICA) as state, Where() as where:
        assert Organisation.objects.count() == 0
        assert where.counts == (0, 1)
        factories.organisation("hk-lab-a", "laboratory", "HK")
        assert state.wrote
        assert Organisation.objects.count() == 1
    primary, replica = where.counts
    assert replica == 1
    assert primary >= 2  # the insert and the count after it


def test_reads_inside_a_transaction_go_to_the_primary(replicated: None) -> None:
    with routing(REPLICA) as state, Where() as where, transaction.atomic():
        assert not Organisation.objects.filter(pk="hk-lab-a").exists()
    assert not state.wrote
    primary, replica = where.counts
    assert replica == 0
    assert primary >= 1


def test_outside_a_request_everything_reads_the_primary(replicated: None) -> None:
    with Where() as where:
        assert Organisation.objects.count() == 0
    assert where.counts == (1, 0)


def test_sessions_and_accounts_are_read_from_the_primary(replicated: None) -> None:
    with routing(REPLICA), Where() as where:
        assert Session.objects.count() == 0
        from django.contrib.auth import get_user_model

        assert get_user_model().objects.count() == 0
    assert where.counts == (2, 0)


def test_a_client_that_wrote_reads_the_primary_for_a_while(replicated: None) -> None:
    admin = persona("root", "admin").headers
    client = Client()
    with override_settings(CEPA_READ_YOUR_WRITES_SECONDS=2), Where() as write:
        created = client.put(
            "/api/v1/organisations/hk-lab-new",
            data=json.dumps(NEW_LAB),
            content_type="application/json",
            headers=admin,
        )
    assert created.status_code == 201
    caught_up(REPLICA)
    assert write.counts[1] == 0  # a PUT reads and writes the primary only
    cookie = created.cookies[WROTE_COOKIE]
    assert cookie["max-age"] == 2
    assert cookie["httponly"]

    with override_settings(CEPA_READ_YOUR_WRITES_SECONDS=2):
        with Where() as after:
            assert client.get("/api/v1/organisations/hk-lab-new").status_code == 200
        assert after.counts[1] == 0 and after.counts[0] > 0
        with Where() as stranger:
            assert Client().get("/api/v1/organisations/hk-lab-new").status_code == 200
        assert stranger.counts[0] == 0 and stranger.counts[1] > 0

        time.sleep(2.2)  # the cookie's signature carries its time: older than the setting, it is ignored
        with Where() as later:
            assert client.get("/api/v1/organisations/hk-lab-new").status_code == 200
        assert later.counts[0] == 0 and later.counts[1] > 0


def test_a_forged_cookie_does_not_pin_a_client_to_the_primary(replicated: None) -> None:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    caught_up(REPLICA)
    client = Client()
    client.cookies[WROTE_COOKIE] = "1"
    with Where() as where:
        assert client.get("/api/v1/organisations/hk-lab-a").status_code == 200
    assert where.counts[0] == 0 and where.counts[1] > 0


def test_migrations_never_run_on_a_replica(replicated: None) -> None:
    from django.db import router

    assert router.allow_migrate(REPLICA, "bodies", model_name="organisation") is False
    assert router.allow_migrate("default", "bodies", model_name="organisation") is True


def test_a_replica_that_cannot_be_reached_leaves_its_reads_to_the_primary(
    replicated: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import OperationalError

    from cepa.ops import middleware

    factories.organisation("hk-lab-a", "laboratory", "HK")
    connection = connections[REPLICA]
    monkeypatch.setattr(middleware, "_replica_down_until", {})
    if connection.vendor == "postgresql":
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # nothing listens there
    else:  # SQLite keeps an in-memory test database open: its connection refuses instead

        def unreachable() -> None:
            raise OperationalError("unable to open database file")

        monkeypatch.setattr(connection, "ensure_connection", unreachable)
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = Client().get("/api/v1/organisations/hk-lab-a")
        assert response.status_code == 200
        assert response.json()["id"] == "hk-lab-a"
        assert len(primary.captured_queries) > 0
        assert f"replica {REPLICA} cannot be reached" in caplog.text
        assert set(middleware._replica_down_until) == {REPLICA}
        # Reported, but the node still serves (from the primary): it stays in the load balancer.
        health = Client().get("/healthz")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        assert health.json()["checks"][f"database:{REPLICA}"]["ok"] is False
    finally:
        connection.close()


def test_a_client_that_wrote_gets_the_version_from_the_primary_not_the_memo(
    replicated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process's memo of the registry's version (cepa.httpcache) may lag another process's write; a
    client that just wrote (perhaps through that other process) reads the version afresh, on the primary,
    and is never told "not modified" about what it wrote."""
    monkeypatch.setattr(httpcache, "_memo", {})
    path = "/api/v1/organisations/hk-lab-new"
    writer = Client()
    admin = persona("root", "admin").headers
    with override_settings(CEPA_VERSION_MEMO_SECONDS=3600):  # no expiry within the test
        created = writer.put(path, data=json.dumps(NEW_LAB), content_type="application/json", headers=admin)
        assert created.status_code == 201
        caught_up(REPLICA)
        stranger = Client()
        etag = stranger.get(path)["ETag"]  # the memo now holds the version read on the replica
        # and the primary's, as a request routed there without having written leaves it (a replica down)
        httpcache.memoized_version(RequestFactory().get(path), "default")
        RegistryVersion.objects.filter(pk=1).update(number=F("number") + 1)  # as another process writes
        caught_up(REPLICA)
        with Where() as remembered:
            assert stranger.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert remembered.counts == (0, 0)
        with Where() as fresh:
            answer = writer.get(path, HTTP_IF_NONE_MATCH=etag)
        assert answer.status_code == 200
        assert answer["ETag"] != etag
        assert fresh.counts[0] > 0 and fresh.counts[1] == 0
