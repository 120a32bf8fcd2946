"""ORM queries compiled to SQL once, then run many times with new parameters.

A decision makes a handful of indexed lookups that take the database a fraction of a millisecond
each; compiling the same querysets again for every decision cost several times that. A `Prepared`
query is written with the ORM (so it follows the models), compiled once per database vendor and
parameter shape, and then executed through Django's cursor (so it is still logged and counted in
tests). Rows come back as tuples in the `values_list` order, with values as the database driver gives
them: use `aware`, `json_value` and `flag` for the few types that differ between SQLite and
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet

_MARK = "\x1f"


class Prepared:
    """A queryset factory taking keyword parameters (strings or lists of strings) → cached SQL."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        # shape -> (sql, one slot per SQL parameter (see _SCALAR), the sql in the driver's placeholder
        # style when it differs)
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any], str | None]] = {}
        self._model: Any = None  # the queryset's model, for the database router
        # For the driver's cursor inside `one_cursor`: the shape, nested as (...((vendor, name, -1 for a
        # string or a list's length), name, ...)...) in the parameters' order -> (the sql it takes, how
        # its parameters are placed (_ONE, _LIST, _PLAN or _FILLED), the name or plan that places them,
        # the slots) or None when an empty IN list matches nothing.
        self._ready: dict[Any, tuple[str, int, Any, list[Any]] | None] = {}

    def rows(self, **params: str | Sequence[str]) -> list[tuple[Any, ...]]:
        pinned = _pinned.get()
        if pinned is not None and pinned.cursor is not None:
            # Inside `one_cursor`: its connection, checks and driver cursor, taken once for every query;
            # the parameters placed as worked out once per shape (most queries take one string, or one
            # list as it is). The shape is a nested tuple built as the parameters are read, and loops
            # are written out: in Python 3.11 a comprehension makes a function object and a frame, and
            # this runs for every query of every decision.
            key: Any = pinned.vendor
            for name, value in params.items():
                key = (key, name, -1 if value.__class__ is str else len(value))
            try:
                ready = self._ready[key]
            except KeyError:
                ready = self._ready[key] = self._ready_for(pinned.connection, params)
            if ready is None:
                return []
            driver_sql, placing, plan, slots = ready
            cursor = pinned.cursor
            values: Any
            if placing == _ONE:
                values = (params[plan],)
            elif placing == _LIST:
                values = params[plan]
            elif placing == _PLAN:
                values = []
                add = values.append
                for name, index in plan:
                    add(params[name] if index == -1 else params[name][index] if index >= 0 else name)
            else:
                values = self._values(slots, params)
            if pinned.prepare:
                # A server-side prepared statement on this connection (psycopg keeps it, by SQL and
                # parameter types, for the connection's life): PostgreSQL then neither parses nor plans it
                # again, which cost more than running it.
                cursor.execute(driver_sql, values, prepare=True)
            else:
                cursor.execute(driver_sql, values)
            return cursor.fetchall()
        if self._model is None:
            self._model = self._build(**params).model
        # The router's choice (a read replica when one serves this request; see cepa.ops.routers).
        connection = pinned.connection if pinned is not None else connections[router.db_for_read(self._model)]
        sql, slots, native_sql = self._compiled_for(connection, params)
        if sql is None:
            return []
        values = self._values(slots, params)
        if connection.execute_wrappers or connection.queries_logged:
            # Observed (query counting in tests, DEBUG logging): through Django's cursor, so it is seen.
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                return cursor.fetchall()
        # Nothing observes: the driver's own cursor with the SQL already in its placeholder style.
        # Django's wrappers cost more per query than the indexed lookups themselves.
        with _driver_cursor(connection) as cursor:
            cursor.execute(native_sql or sql, values)
            return cursor.fetchall()

    def _compiled_for(
        self, connection: Any, params: dict[str, str | Sequence[str]]
    ) -> tuple[str | None, list[Any], str | None]:
        """(sql, slots, sql in the driver's placeholder style or None), compiled on first use; sql None
        when an empty IN list matches nothing."""
        shape: list[Any] = [connection.vendor]
        for name, value in params.items():
            if value.__class__ is str:
                shape.append(name)
            elif not value:
                return None, [], None
            else:
                shape.append((name, len(value)))
        key = tuple(shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            if self._model is None:
                self._model = self._build(**params).model
            sql, slots = self._compile(params)
            # What Django's SQLite cursor does to every query, done once; None: the driver takes `sql`.
            native_sql = _qmark(sql) if connection.vendor == "sqlite" else None
            compiled = (sql, slots, native_sql)
            self._compiled[key] = compiled
        return compiled

    def _ready_for(
        self, connection: Any, params: dict[str, str | Sequence[str]]
    ) -> tuple[str, int, Any, list[Any]] | None:
        sql, slots, native_sql = self._compiled_for(connection, params)
        if sql is None:
            return None
        driver_sql = native_sql or sql
        plan: list[tuple[Any, int]] = []
        for kind, name, index in slots:
            if kind is _TEMPLATE:  # a parameter built from others (rare): `_values` fills it
                return driver_sql, _FILLED, None, slots
            # -1: the scalar parameter itself; -2: a constant; else the item of a list parameter.
            plan.append((name, -1 if kind is _SCALAR else -2 if kind is _CONSTANT else index))
        if len(plan) == 1 and plan[0][1] == -1:
            return driver_sql, _ONE, plan[0][0], slots
        first = plan[0][0] if plan and plan[0][1] >= 0 else None  # a list parameter's first item
        whole = params.get(first) if first is not None else None
        if (
            whole is not None
            and whole.__class__ is not str
            and plan == [(first, index) for index in range(len(whole))]
        ):
            return driver_sql, _LIST, first, slots  # one list parameter, its items in order
        return driver_sql, _PLAN, plan, slots

    @staticmethod
    def _values(slots: list[Any], params: dict[str, str | Sequence[str]]) -> list[Any]:
        # Inline rather than a call per parameter: this runs for every query of every decision.
        values = []
        for kind, name, index in slots:
            if kind is _SCALAR:
                values.append(params[name])
            elif kind is _ITEM:
                values.append(params[name][index])
            elif kind is _CONSTANT:
                values.append(name)
            else:
                values.append(_filled(name, index, params))
        return values

    def _compile(self, params: dict[str, str | Sequence[str]]) -> tuple[str, list[Any]]:
        markers: dict[str, tuple[str, int]] = {}
        marked: dict[str, str | list[str]] = {}
        for name, value in params.items():
            if isinstance(value, str):
                marker = f"{_MARK}{name}{_MARK}"
                markers[marker] = (name, -1)
                marked[name] = marker
            else:
                marked[name] = [f"{_MARK}{name}:{index}{_MARK}" for index in range(len(value))]
                markers.update({marker: (name, index) for index, marker in enumerate(marked[name])})
        sql, sql_params = self._build(**marked).query.sql_with_params()
        slots: list[Any] = []
        for param in sql_params:
            if isinstance(param, str) and param in markers:
                name, index = markers[param]
                slots.append((_SCALAR if index < 0 else _ITEM, name, index))
            elif isinstance(param, str) and _MARK in param:
                scalars = tuple(marker for marker, (_, index) in markers.items() if index < 0)
                slots.append((_TEMPLATE, param, scalars))
            else:
                slots.append((_CONSTANT, param, None))
        return sql, slots


# How `rows` places a query's parameters inside `one_cursor`: one string parameter; one list parameter as
# it is; by a plan of (name, index); by `_values` (a parameter built from others).
_ONE, _LIST, _PLAN, _FILLED = 0, 1, 2, 3

# The kinds of a compiled query's parameter slots: (kind, name, index) | (kind, text, markers) |
# (kind, constant, None).
_SCALAR, _ITEM, _TEMPLATE, _CONSTANT = "scalar", "item", "template", "constant"


def _filled(text: str, markers: tuple[str, ...], params: dict[str, str | Sequence[str]]) -> str:
    """A parameter the ORM built from scalar ones (a LIKE pattern, say) with their values put in."""
    for marker in markers:
        if marker in text:
            name = marker.strip(_MARK)
            text = text.replace(marker, str(params[name]))
    return text


@contextlib.contextmanager
def _driver_cursor(connection: Any) -> Iterator[Any]:
    """The driver's own cursor, after the steps Django's cursor() takes first. They are not documented
    API, so test_prepared_internals fails loudly when a Django release changes them."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        # On SQLite the plain cursor (the SQL is converted once); elsewhere the cursor set up as Django
        # sets it up.
        sqlite = connection.vendor == "sqlite"
        cursor = connection.connection.cursor() if sqlite else connection.create_cursor()
        try:
            yield cursor
        finally:
            cursor.close()


class _Pinned:
    """What `one_cursor` holds for the queries inside it. A plain slotted class: built once per
    decision, where a frozen dataclass's __init__ sets each slot through object.__setattr__."""

    __slots__ = ("connection", "cursor", "prepare", "vendor")

    def __init__(self, connection: Any, cursor: Any, vendor: str = "", prepare: bool = False) -> None:
        self.connection = connection
        self.cursor = cursor  # the driver's cursor; None when something observes the queries
        self.vendor = vendor
        self.prepare = prepare  # PostgreSQL: the cursor binds on the server and prepares (CEPA_PG_PREPARE)


_pinned: ContextVar[_Pinned | None] = ContextVar("cepa_prepared_pinned", default=None)


class one_cursor:  # lower case: used as the function it replaced, `with one_cursor(Model):`
    """Runs the prepared queries made inside on one connection (the router's choice for `model`) and,
    when nothing observes them, one driver cursor: a snapshot's dozen indexed lookups then pay for the
    connection's checks and a cursor once, not a dozen times (as a plain DB-API client would). Inside
    an enclosing `one_cursor`, its cursor serves.

    A class rather than a generator-based context manager: it is entered once per decision, and the
    generator's machinery cost more than the checks themselves."""

    __slots__ = ("_cursor", "_model", "_raw", "_threshold", "_token", "_wrapped")

    def __init__(self, model: Any) -> None:
        self._model = model
        self._token: Any = None
        self._cursor: Any = None
        self._wrapped: Any = None
        self._raw: Any = None  # PostgreSQL, preparing: the psycopg connection and its prepare_threshold
        self._threshold: Any = None

    def __enter__(self) -> None:
        if _pinned.get() is not None:
            return
        connection = connections[router.db_for_read(self._model)]
        if connection.execute_wrappers or connection.queries_logged:
            self._token = _pinned.set(_Pinned(connection, None))
            return
        # The steps of _driver_cursor, spelled out (see there).
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_no_broken_transaction()
        wrapped = connection.wrap_database_errors
        vendor = connection.vendor
        prepare = vendor == "postgresql" and settings.CEPA_PG_PREPARE
        with wrapped:
            if vendor == "sqlite":
                cursor = connection.connection.cursor()
            elif prepare:
                cursor = _server_binding_cursor(connection)
                # Django sets psycopg's prepare_threshold to None, which refuses even `prepare=True`; a
                # threshold no query reaches, only while inside, lets `prepare=True` alone prepare and
                # leaves Django's own queries (client binding, never prepared) exactly as they were.
                self._raw = raw = connection.connection
                self._threshold = raw.prepare_threshold
                if self._threshold is None:
                    raw.prepare_threshold = _NEVER_BY_COUNT
            else:
                cursor = connection.create_cursor()
        self._wrapped = wrapped
        self._cursor = cursor
        self._token = _pinned.set(_Pinned(connection, cursor, vendor, prepare))

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        if self._token is None:
            return
        _pinned.reset(self._token)
        self._token = None
        cursor, self._cursor = self._cursor, None
        if cursor is None:
            return
        wrapped, self._wrapped = self._wrapped, None
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.prepare_threshold = self._threshold
        try:
            cursor.close()
        finally:
            # Django's DatabaseErrorWrapper re-raises a driver error as Django's own; it never
            # swallows one, so the original exception (if any) goes on.
            wrapped.__exit__(kind, error, traceback)


# A prepare_threshold no query reaches: only `prepare=True` prepares (psycopg keeps up to prepared_max
# statements per connection, least recently used dropped).
_NEVER_BY_COUNT = 2**31


def _server_binding_cursor(connection: Any) -> Any:
    """psycopg's plain cursor on Django's connection, set up as Django's create_cursor sets up its own
    (client-binding) one: only this cursor binds on the server, so only the prepared queries run inside
    `one_cursor` become prepared statements; Django's SQL for client binding (%s, %% for a literal %)
    is what psycopg's server-binding cursor takes too."""
    import psycopg  # imported here: PostgreSQL only
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    raw = connection.connection
    cursor = psycopg.Cursor(raw)
    # What Django's create_cursor does: results' timestamps in the connection's time zone.
    loader = raw.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)
    return cursor


# The "format" to "qmark" placeholder conversion Django's SQLite cursor makes (SQLiteCursorWrapper.
# convert_query); test_prepared_internals checks that the two still agree.
_FORMAT_PLACEHOLDER = re.compile(r"(?<!%)%s")


def _qmark(sql: str) -> str:
    return _FORMAT_PLACEHOLDER.sub("?", sql).replace("%%", "%")


def moment(value: dt.datetime | str) -> dt.datetime:
    """A timestamp column as an aware datetime (SQLite gives naive UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def maybe_moment(value: dt.datetime | str | None) -> dt.datetime | None:
    return None if value is None else moment(value)


def day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def maybe_day(value: dt.date | str | None) -> dt.date | None:
    return None if value is None else day(value)


def json_value(value: Any) -> Any:
    """A JSON column: both drivers give its text here (Django decodes it only in the ORM)."""
    if isinstance(value, str | bytes | bytearray):
        return json.loads(value)
    return value


def flag(value: Any) -> bool:
    return bool(value)
