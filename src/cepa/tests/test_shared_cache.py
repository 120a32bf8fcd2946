"""The shared cache (issue 13): Redis with REDIS_URL, else a table of the database that `cepa migrate`
creates; either way every worker sees the same rate limits and used form tokens.

The Redis tests use the machine's Redis when one answers (REDIS_URL, else 127.0.0.1:6379) and skip
otherwise; they write only keys under a prefix of their own, and delete them after.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from cepa.enquiries import protection

SRC = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cepa_cache"}
}


def settings_caches(**env: str) -> dict[str, Any]:
    """settings.CACHES as a fresh process computes it from `env`."""
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
    environ["PYTHONPATH"] = str(SRC)
    out = subprocess.run(
        [sys.executable, "-c", "import json, cepa.settings as s; print(json.dumps(s.CACHES))"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    caches_setting: dict[str, Any] = json.loads(out)
    return caches_setting


def test_without_redis_url_the_cache_is_a_table_of_the_database() -> None:
    assert settings_caches() == {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cepa_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }


def test_redis_url_puts_the_cache_on_redis() -> None:
    assert settings_caches(REDIS_URL="redis://cache.internal:6379/2") == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache.internal:6379/2",
            "KEY_PREFIX": "cepa",
        }
    }


@pytest.mark.django_db
def test_migrate_creates_the_cache_table() -> None:
    with override_settings(CACHES=DATABASE_CACHE):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS cepa_cache")
        assert "cepa_cache" not in connection.introspection.table_names()
        call_command("migrate", verbosity=0)
        assert "cepa_cache" in connection.introspection.table_names()
        caches["default"].set("probe", "kept")
        assert caches["default"].get("probe") == "kept"


# --- on Redis ---------------------------------------------------------------------------------------


def redis_answers() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5):
            pass
    except OSError:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}")


@pytest.fixture
def on_redis() -> Iterator[None]:
    """The project's cache on Redis, as REDIS_URL sets it, under a key prefix of this test's own."""
    import redis

    prefix = f"cepa-test-{uuid.uuid4().hex}"
    setting = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=setting):
        yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def in_threads(count: int, work: Any) -> list[Any]:
    """`work()` in `count` threads at once: each thread has its own cache client, like a worker."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: work(), range(count)))


@needs_redis
def test_on_redis_two_workers_share_the_rate_limit(on_redis: None) -> None:
    one, other = caches.create_connection("default"), caches.create_connection("default")
    assert one is not other
    for _ in range(protection.LIMIT_PER_HOUR):
        assert protection.admit_submission("198.51.100.1")
    slots = protection._slot_keys("198.51.100.1")
    assert len(one.get_many(slots)) == len(other.get_many(slots)) == protection.LIMIT_PER_HOUR
    assert protection.rate_limited("198.51.100.1")
    assert protection.admit_submission("198.51.100.1") is False


@needs_redis
def test_on_redis_racing_workers_never_pass_the_limit(on_redis: None) -> None:
    admitted = in_threads(3 * protection.LIMIT_PER_HOUR, lambda: protection.admit_submission("198.51.100.2"))
    assert admitted.count(True) == protection.LIMIT_PER_HOUR


@needs_redis
def test_on_redis_one_form_token_sent_by_racing_workers_is_used_once(on_redis: None) -> None:
    token = protection.issue_token()
    assert in_threads(8, lambda: protection.use_token(token)).count(True) == 1
