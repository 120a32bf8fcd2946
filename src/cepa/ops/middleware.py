"""The outermost middleware: a request id, where the request's reads go, one access-log line, /healthz.

- Request id: the incoming X-Request-ID when it is sane (1-64 letters, digits, `.`, `_`, `:`, `-`,
  as a proxy or load balancer sends it), else a new one; echoed in the response's X-Request-ID,
  written into every change set the request makes (cepa.history) and into every log line.
- Read replicas (only when DATABASE_REPLICA_URLS names some): a GET or HEAD from a client that has not
  written lately reads from a replica; the first write of a request sends the rest of it to the
  primary and sets a signed cookie that keeps the client on the primary for
  CEPA_READ_YOUR_WRITES_SECONDS (read-your-writes across requests; see cepa.ops.routers).
- /healthz is answered here, before host validation, sessions and languages: a load balancer probes
  by address, and the check must not depend on what it checks.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.http import HttpRequest, HttpResponse

from cepa.ops.context import Routing, _request_id, _routing
from cepa.ops.health import health_response

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
WROTE_COOKIE = "cepa_wrote"
WROTE_SALT = "cepa.ops.read-your-writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEALTH_PATH = "/healthz"

# A replica that cannot be reached is left alone this long (per process); its reads go to the primary.
REPLICA_RETRY_SECONDS = 30.0

access_log = logging.getLogger("cepa.request")
logger = logging.getLogger("cepa.ops")
_replica_down_until: dict[str, float] = {}


def request_id_of(request: HttpRequest) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        rid = request_id_of(request)
        request.request_id = rid  # type: ignore[attr-defined]  # for log lines written after this middleware
        id_token = _request_id.set(rid)
        replicas: list[str] = settings.CEPA_READ_REPLICAS
        state = Routing(self._replica_for(request, replicas) if replicas else None)
        routing_token = _routing.set(state)
        try:
            health = request.path_info == HEALTH_PATH
            response = health_response() if health else self.get_response(request)
            if state.wrote:
                seconds = settings.CEPA_READ_YOUR_WRITES_SECONDS
                response.set_signed_cookie(
                    WROTE_COOKIE,
                    "1",
                    salt=WROTE_SALT,
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            response[REQUEST_ID_HEADER] = rid
            if access_log.isEnabledFor(logging.INFO):
                self._log(request, response.status_code, rid, start)
            return response
        finally:
            _routing.reset(routing_token)
            _request_id.reset(id_token)

    @staticmethod
    def _log(request: HttpRequest, status: int, rid: str, start: float) -> None:
        """One access-log line. The record is made directly: logging's search of the stack for the
        caller's file and line would cost more than the rest of this middleware."""
        fields = {
            "request_id": rid,
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration": round((time.perf_counter() - start) * 1000, 2),
        }
        record = access_log.makeRecord(
            access_log.name,
            logging.INFO,
            __file__,
            0,
            "%s %s %s",
            (request.method, request.path, status),
            None,
            extra=fields,
        )
        access_log.handle(record)

    @staticmethod
    def _replica_for(request: HttpRequest, replicas: list[str]) -> str | None:
        """The replica this request reads from, or None (the primary)."""
        if request.method not in SAFE_METHODS:
            return None
        if WROTE_COOKIE in request.COOKIES and request.get_signed_cookie(
            WROTE_COOKIE, default=None, salt=WROTE_SALT, max_age=settings.CEPA_READ_YOUR_WRITES_SECONDS
        ):
            return None  # this client wrote a moment ago: it reads what it wrote
        now = time.monotonic()
        candidates = [alias for alias in replicas if _replica_down_until.get(alias, 0.0) <= now]
        while candidates:
            alias = candidates[0] if len(candidates) == 1 else random.choice(candidates)
            try:
                connections[alias].ensure_connection()  # at once when the thread's connection is open
            except DatabaseError as error:
                # A replica that is down must not take the public pages with it: the primary serves.
                _replica_down_until[alias] = now + REPLICA_RETRY_SECONDS
                logger.warning(
                    "replica %s cannot be reached (%s): reading from the primary for %g s",
                    alias,
                    error,
                    REPLICA_RETRY_SECONDS,
                )
                candidates.remove(alias)
                continue
            return alias
        return None
