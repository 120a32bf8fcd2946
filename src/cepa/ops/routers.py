"""The database router of a registry with read replicas (active only when DATABASE_REPLICA_URLS is set).

- Every write goes to the primary (`default`), and marks the request as having written.
- A read goes to a replica only inside a request that RequestContextMiddleware let read from one: a
  GET or HEAD from a client that has not written in the last CEPA_READ_YOUR_WRITES_SECONDS, and only
  until the request itself writes. Everything else reads the primary: other methods, a client that
  just wrote (read-your-writes), a read inside a transaction (a service validating before it
  writes), commands and the reminder sweep (no request at all).
- Sessions, users, roles, API tokens and the database cache are always read from the primary: a
  sign-out, a revoked token or a rate-limit counter takes effect at once, whatever a replica's lag.
  Anonymous readers, the bulk of the traffic, do not touch those tables.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from cepa.ops.context import _routing

PRIMARY = DEFAULT_DB_ALIAS
# The database cache's pseudo-model (django.core.cache.backends.db) has this app label.
CACHE_APP_LABEL = "django_cache"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "admin", CACHE_APP_LABEL})


class ReplicaRouter:
    def __init__(self) -> None:
        self.replicas = frozenset(settings.CEPA_READ_REPLICAS)
        self.aliases = self.replicas | {PRIMARY}

    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _routing.get()
        if state is None or state.replica is None or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        primary = state.primary
        if primary is None:
            primary = state.primary = connections[PRIMARY]
        return PRIMARY if primary.in_atomic_block else state.replica

    def db_for_write(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label != CACHE_APP_LABEL:  # a cache entry is no change to the registry
            state = _routing.get()
            if state is not None:
                state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replicas hold the primary's data: objects read from any of them may be related.
        if obj1._state.db in self.aliases and obj2._state.db in self.aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only: its schema arrives by replication.
        return False if db in self.replicas else None
