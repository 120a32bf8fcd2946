"""The shared cache's table: `cepa migrate` creates it (Django's `createcachetable`) whenever the
cache is the database's (settings.CACHES without REDIS_URL), so a fresh database serves at once."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command


def create_cache_tables(*, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    """A post_migrate step: creates the database cache's table where it is missing (idempotent; a
    Redis cache needs none)."""
    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
