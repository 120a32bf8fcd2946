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

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

_MARK = "\x1f"


class Prepared:
    """A queryset factory taking keyword parameters (strings or lists of strings) → cached SQL."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        # shape -> (sql, one slot per SQL parameter: ("value", name, index) | ("template", text) | constant,
        # the sql in the driver's placeholder style when it differs)
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any], str | None]] = {}
        self._model: Any = None  # the queryset's model, for the database router

    def rows(self, **params: str | Sequence[str]) -> list[tuple[Any, ...]]:
        if any(not isinstance(value, str) and not value for value in params.values()):
            return []  # an empty IN list matches nothing
        if self._model is None:
            self._model = self._build(**params).model
        # The router's choice (a read replica when one serves this request; see cepa.ops.routers).
        connection = connections[router.db_for_read(self._model)]
        shape = (
            connection.vendor,
            *sorted((name, -1 if isinstance(value, str) else len(value)) for name, value in params.items()),
        )
        compiled = self._compiled.get(shape)
        if compiled is None:
            sql, slots = self._compile(params)
            # What Django's SQLite cursor does to every query, done once; None: the driver takes `sql`.
            native_sql = _qmark(sql) if connection.vendor == "sqlite" else None
            compiled = (sql, slots, native_sql)
            self._compiled[shape] = compiled
        sql, slots, native_sql = compiled
        values = [self._fill(slot, params) for slot in slots]
        if connection.execute_wrappers or connection.queries_logged:
            # Observed (query counting in tests, DEBUG logging): through Django's cursor, so it is seen.
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                return cursor.fetchall()
        # Nothing observes: the driver's own cursor with the SQL already in its placeholder style.
        # Django's wrappers cost more per query than the indexed lookups themselves. The steps below are
        # what Django's cursor() does first; they are not documented API, so test_prepared_internals
        # fails loudly when a Django release changes them.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            if native_sql is None:
                cursor = connection.create_cursor()  # the driver's cursor, set up as Django sets it up
                native_sql = sql
            else:
                cursor = connection.connection.cursor()
            try:
                cursor.execute(native_sql, values)
                return cursor.fetchall()
            finally:
                cursor.close()

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
                slots.append(("value", *markers[param]))
            elif isinstance(param, str) and _MARK in param:
                scalars = tuple(marker for marker, (_, index) in markers.items() if index < 0)
                slots.append(("template", param, scalars))
            else:
                slots.append(("constant", param))
        return sql, slots

    @staticmethod
    def _fill(slot: tuple[Any, ...], params: dict[str, str | Sequence[str]]) -> Any:
        if slot[0] == "value":
            _, name, index = slot
            value = params[name]
            return value if index < 0 else value[index]
        if slot[0] == "template":
            _, text, marker_list = slot
            for marker in marker_list:
                if marker in text:
                    name = marker.strip(_MARK)
                    text = text.replace(marker, str(params[name]))
            return text
        return slot[1]


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
