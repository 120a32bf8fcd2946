"""The process's memo of the registry's version (cepa.httpcache, CEPA_VERSION_MEMO_SECONDS): a 304 within
the period costs no query, this process's own write is seen at once, another's after the period, and a
client that just wrote always gets the version afresh."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from cepa import httpcache
from cepa.history.models import RegistryVersion
from cepa.ops.middleware import WROTE_COOKIE
from cepa.web.tests.test_http_caching import DIRECTORY, renamed_organisation

pytestmark = pytest.mark.usefixtures("demo")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The memo on (1 s), empty, and read against a clock the test moves."""
    settings.CEPA_VERSION_MEMO_SECONDS = 1
    monkeypatch.setattr(httpcache, "_memo", {})
    fake = Clock()
    monkeypatch.setattr(httpcache, "time", SimpleNamespace(monotonic=fake.monotonic))
    return fake


def written_elsewhere() -> None:
    """The version raised as another process's write would: no commit of this process's to hear of."""
    RegistryVersion.objects.filter(pk=1).update(number=F("number") + 1)


def test_a_304_within_the_period_makes_no_query(
    client: Client, clock: Clock, django_assert_num_queries: Any
) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    clock.now += 0.9
    with django_assert_num_queries(0):
        again = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_a_write_of_this_process_is_seen_at_once(
    client: Client, clock: Clock, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        renamed_organisation()
    assert len(callbacks) >= 1
    after = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)  # the clock has not moved
    assert after.status_code == 200
    assert after["ETag"] != etag
    # The new version is kept in turn.
    with django_assert_num_queries(0):
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_write_not_yet_committed_leaves_the_memo_alone(client: Client, clock: Clock) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    # Inside the test's transaction nothing commits: the memo is kept, as for another process's write.
    renamed_organisation()
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_another_process_write_is_seen_after_the_period(
    client: Client, clock: Clock, django_assert_num_queries: Any
) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    written_elsewhere()
    clock.now += 0.5
    with django_assert_num_queries(0):
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag).status_code == 304  # within the bound
    clock.now += 0.6
    after = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    clock.now += 0.1
    with django_assert_num_queries(0):
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_client_that_just_wrote_reads_the_version_afresh(
    client: Client, clock: Clock, django_assert_num_queries: Any
) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    written_elsewhere()  # through another process, whose memo this one never hears of
    client.cookies[WROTE_COOKIE] = "1"
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag).status_code == 200
    fresh = client.get(DIRECTORY)["ETag"]
    with django_assert_num_queries(1):  # the version, every time
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=fresh).status_code == 304
    # Others keep the memo's version for the rest of the period.
    del client.cookies[WROTE_COOKIE]
    with django_assert_num_queries(0):
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_memo_of_zero_seconds_reads_every_time(
    client: Client, clock: Clock, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.CEPA_VERSION_MEMO_SECONDS = 0
    etag = client.get(DIRECTORY)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert httpcache._memo == {}
