"""What a request carries to the code below it without being passed: its id, and where its reads go.

Both live in context variables, set by cepa.ops.middleware.RequestContextMiddleware for the length of
one request and reset afterwards (a server thread serves many requests). Outside a request (commands,
the sweep, tests that call services) there is no request id and every query goes to the primary.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_request_id: ContextVar[str] = ContextVar("cepa_request_id", default="")


@dataclass
class Routing:
    """Where this request's reads go: `replica` (an alias), or the primary once `wrote` is set.

    `wrote` is set by the router's db_for_write: from the first write on, every read of the request
    goes to the primary, and the response tells the client to keep reading from it for a while.
    """

    replica: str | None
    wrote: bool = False
    # The primary's connection of the thread serving the request, looked up once (the router asks it
    # on every read whether a transaction is open, and connections[...] costs more than the question).
    primary: Any = field(default=None, compare=False, repr=False)


_routing: ContextVar[Routing | None] = ContextVar("cepa_routing", default=None)


def current_request_id() -> str:
    """The id of the request being served ("" outside a request)."""
    return _request_id.get()


def current_routing() -> Routing | None:
    return _routing.get()


@contextlib.contextmanager
def request_id(value: str) -> Iterator[None]:
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


@contextlib.contextmanager
def routing(replica: str | None) -> Iterator[Routing]:
    """Reads in this block go to `replica` (None: the primary) until something is written."""
    state = Routing(replica)
    token = _routing.set(state)
    try:
        yield state
    finally:
        _routing.reset(token)
