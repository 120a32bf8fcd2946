"""/healthz for load balancers: the database, the cache, the migrations (and each replica, reported).

200 with {"status": "ok", ...} when the database, the cache and the migrations pass, 503 with
{"status": "fail", ...} when one fails; each check says what it found. A replica's state and replay lag
are reported for monitoring but do not fail the node. Never cached.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

# Once every migration is applied it stays so for the life of the process (a deploy restarts it).
_migrations_applied = False


# A PostgreSQL standby's replay lag: 0 when it has replayed all it received, else the age of the last
# transaction it replayed (informative: how far behind anonymous readers are; it does not fail the check).
REPLAY_LAG = """
SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def check_database(alias: str, *, replica: bool = False) -> dict[str, Any]:
    start = time.perf_counter()
    connection = connections[alias]
    lag = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            if replica and connection.vendor == "postgresql":
                cursor.execute(REPLAY_LAG)
                lag = round(float(cursor.fetchone()[0]), 3)
    except Exception as error:
        connection.close()  # the next request starts from a fresh connection
        return {"ok": False, "error": f"{error.__class__.__name__}: {error}".strip()}
    found: dict[str, Any] = {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 2)}
    if lag is not None:
        found["replay_lag_s"] = lag
    return found


def check_cache() -> dict[str, Any]:
    key = f"cepa:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return {"ok": False, "error": f"{error.__class__.__name__}: {error}".strip()}
    if found != "ok":
        return {"ok": False, "error": "a value written to the cache was not read back"}
    return {"ok": True, "backend": str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]}


def check_migrations() -> dict[str, Any]:
    global _migrations_applied
    if _migrations_applied:
        return {"ok": True}
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return {"ok": False, "error": f"{error.__class__.__name__}: {error}".strip()}
    if plan:
        return {"ok": False, "error": f"{len(plan)} migrations not applied: run `cepa migrate`"}
    _migrations_applied = True
    return {"ok": True}


def health() -> dict[str, Any]:
    checks: dict[str, Any] = {"database": check_database(DEFAULT_DB_ALIAS)}
    for alias in settings.CEPA_READ_REPLICAS:
        checks[f"database:{alias}"] = check_database(alias, replica=True)
    checks["cache"] = check_cache()
    checks["migrations"] = (
        check_migrations()
        if checks["database"]["ok"]
        else {"ok": False, "error": "the database cannot be reached"}
    )
    # A replica that is down does not fail the node: its reads go to the primary meanwhile
    # (cepa.ops.middleware), and taking every node out for a shared replica would stop the service.
    ok = all(check["ok"] for name, check in checks.items() if not name.startswith("database:"))
    return {"status": "ok" if ok else "fail", "checks": checks}


def health_response() -> JsonResponse:
    report = health()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response
