"""The bench's replica-router line: the same reads with and without cepa.ops.routers.ReplicaRouter.

Without: Django with no router, every read on `default`. With: the router on, inside a request's
routing context, so every read is routed to a replica alias that opens the same database (a mirror,
so both sides read identical data at identical cost and the ratio is the router's own overhead:
the routing decision per query and the context the middleware sets). The reads are what anonymous
readers make: a testing decision and a page of the organisations list.
"""

from __future__ import annotations

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
    from cepa.demo.bench import paired_ratio, side_by_side
    from cepa.ops.context import routing
    from cepa.ops.routers import ReplicaRouter

    # An alias on the same database, with the settings Django completed for `default`.
    connections.settings[MIRROR_ALIAS] = dict(connections["default"].settings_dict)

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

    try:
        without()
        with_router()  # warm both connections
        queries = _count_queries(MIRROR_ALIAS, with_router) // per_run
        times: dict[str, list[float]] = side_by_side({"router": with_router, "plain": without}, repeat)
    finally:
        router.routers = saved_routers
        settings.CEPA_READ_REPLICAS = saved_replicas
        connections[MIRROR_ALIAS].close()
    plain, routed_time = (statistics.median(times[name]) / per_run for name in ("plain", "router"))
    ratio = paired_ratio(times["router"], times["plain"])
    verdict = "meets target" if ratio <= ROUTER_TARGET else "MISSES target"
    return [
        f"reads without a router (a testing decision + 50 organisations): {plain * 1000:.3f} ms each",
        f"the same reads routed to a replica alias ({queries} queries): {routed_time * 1000:.3f} ms each",
        f"replica router ratio: {ratio:.2f}x (target <= {ROUTER_TARGET:g}x): {verdict}",
    ]


def _count_queries(alias: str, run: Callable[[], None]) -> int:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[alias]) as captured:
        run()
    return len(captured.captured_queries)
