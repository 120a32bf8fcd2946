"""The bench's replica-router line: the same reads with and without cepa.ops.routers.ReplicaRouter.

Without: Django with no router, every read on `default`. With: the router on, inside a request's
routing context, so every read is routed to a replica alias. By default that alias uses default's own
connection, so both sides do identical database work and the ratio is the router's overhead alone
(the routing decision per query and the context the middleware sets). When DATABASE_REPLICA_URLS
names a PostgreSQL streaming replica of the bench's server, the alias reads that replica instead, and
the ratio also holds the difference between the two servers. Many short rounds in adjacent pairs after
a warm-up, and the median of the pairs' ratios: a pair's two rounds run a few milliseconds apart, so
other work on the machine slows both alike. (The fastest round of each side is no steadier on a busy
machine: a round that fits in one scheduler slice is much faster than one that does not, and a side
whose rounds are a little longer seldom fits.) The reads are what anonymous readers make: a
testing decision and a page of the organisations list.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from typing import Any

ROUTER_TARGET = 1.10
MIRROR_ALIAS = "bench_replica"


def measure_router(repeat: int, per_run: int, subject: str, code: str, on: Any) -> list[str]:
    from django.conf import settings
    from django.db import connections, router

    from cepa.bodies.models import Organisation
    from cepa.decisions.services import decide
    from cepa.demo.bench import paired_ratio
    from cepa.ops.context import routing
    from cepa.ops.routers import ReplicaRouter

    # An alias on the same database, with the settings Django completed for `default`; or, when
    # DATABASE_REPLICA_URLS names a PostgreSQL streaming replica of the bench's server, that replica
    # (the bench's database reaches it by replication).
    target = dict(connections["default"].settings_dict)
    replica = _streaming_replica(target)
    if replica:
        target.update(
            {key: connections[replica].settings_dict[key] for key in ("HOST", "PORT", "USER", "PASSWORD")}
        )
    connections.settings[MIRROR_ALIAS] = target
    if replica:
        _wait_for_replay(MIRROR_ALIAS)
    else:
        # The alias shares default's connection: the database work is identical on both sides, and the
        # difference is the router's alone (two connections would add their own noise on a busy machine).
        connections["default"].ensure_connection()
        connections[MIRROR_ALIAS].connection = connections["default"].connection
    where = f"{replica} (a streaming replica)" if replica else "a replica alias on the same database"

    def reads() -> None:
        for _ in range(per_run):
            decide("testing", subject=subject, product_type=code, on=on, lang="en")
            list(Organisation.objects.order_by("id").values("id", "name_en", "kind", "seat")[:50])

    saved_routers = router.routers
    saved_replicas = getattr(settings, "CEPA_READ_REPLICAS", [])
    settings.CEPA_READ_REPLICAS = [MIRROR_ALIAS]
    routed = [ReplicaRouter()]

    def without() -> None:
        router.routers = []
        reads()

    def with_router() -> None:
        router.routers = routed
        with routing(MIRROR_ALIAS):
            reads()

    runs = {"router": with_router, "plain": without}
    try:
        queries = _count_queries(MIRROR_ALIAS, with_router) // per_run
        times = _rounds(runs, repeat)
    finally:
        router.routers = saved_routers
        settings.CEPA_READ_REPLICAS = saved_replicas
        if not replica:
            connections[MIRROR_ALIAS].connection = None  # default's: not closed here
        connections[MIRROR_ALIAS].close()
    plain, routed_time = (statistics.median(times[name]) / per_run for name in ("plain", "router"))
    ratio = paired_ratio(times["router"], times["plain"])
    verdict = "meets target" if ratio <= ROUTER_TARGET else "MISSES target"
    return [
        f"reads without a router (a testing decision + 50 organisations): {plain * 1000:.3f} ms each",
        f"the same reads routed to {where} ({queries} queries): {routed_time * 1000:.3f} ms each",
        f"replica router ratio: {ratio:.2f}x, median of {repeat} paired rounds "
        f"(ratio of the medians {routed_time / plain:.2f}x) (target <= {ROUTER_TARGET:g}x): {verdict}",
    ]


def _rounds(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, list[float]]:
    """Many short rounds of each side, in adjacent pairs, each side first in every other pair (no side
    gains from going second), after warm-up rounds that are not counted. The collector is paused while
    timing, so neither side pays for the other's garbage."""
    from cepa.demo.bench import side_by_side

    for _ in range(3):
        side_by_side(runs, 1)
    times: dict[str, list[float]] = {name: [] for name in runs}
    collecting = gc.isenabled()
    gc.disable()
    try:
        for turn in range(repeat):
            first, second = ("router", "plain") if turn % 2 == 0 else ("plain", "router")
            pair = side_by_side({first: runs[first], second: runs[second]}, 1)
            for name in (first, second):
                times[name] += pair[name]
            if turn % 10 == 9:
                gc.collect()  # between rounds, outside the timing
    finally:
        if collecting:
            gc.enable()
    return times


def _count_queries(alias: str, run: Callable[[], None]) -> int:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[alias]) as captured:
        run()
    return len(captured.captured_queries)


def _streaming_replica(primary: dict[str, Any]) -> str | None:
    """The first configured replica when it and the bench's database are on PostgreSQL."""
    from django.conf import settings

    replicas = list(getattr(settings, "CEPA_READ_REPLICAS", []))
    if not replicas or "postgresql" not in primary["ENGINE"]:
        return None
    return replicas[0]


def _wait_for_replay(alias: str, seconds: float = 60) -> None:
    import time

    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        (lsn,) = cursor.fetchone()
    deadline = time.monotonic() + seconds
    with connections[alias].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the replica {alias} did not replay the bench's database in {seconds:g} s"
                )
            time.sleep(0.1)
