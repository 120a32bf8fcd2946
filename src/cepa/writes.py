"""Bulk INSERTs that can run beside the Python work that makes their rows (a streamed import).

`executemany(sql, rows)` runs at once on the default connection, or, inside `overlapped()`, goes to a
thread of its own that runs the statements in order on the same connection and transaction. The
database does its work with the GIL released (sqlite3 while it steps a statement, psycopg while it
waits on the server), so reading, checking and building the next rows goes on meanwhile.

Order stays as written: any other query on the connection (through Django) first waits for every
statement handed over, and so does leaving `overlapped()`; an error of a handed-over statement is
raised in the caller's thread, as Django's own error, at its next call.
"""

from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

from django.db import connection

BATCH = 5_000
# SQLite, overlapped: rows to one INSERT at most (see `_insert_many_per_statement`).
ROWS_PER_INSERT = 1_000
# Statements handed over and not yet run, at most: bounds the memory the rows waiting take.
WAITING = 8

_STOP = object()
_COPY = object()
_STATEMENTS = object()


class _Writer:
    def __init__(self) -> None:
        self.raw = connection.connection  # the DB-API connection under Django's
        self.qmark = connection.vendor == "sqlite"
        # SQLite: how many parameters a statement takes (999 before SQLite 3.32, 32766 since).
        self.parameters = self.raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if self.qmark else 0
        self.jobs: queue.Queue[Any] = queue.Queue(maxsize=WAITING)
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, name="cepa-writes", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while True:
                job = self.jobs.get()
                try:
                    if job is _STOP:
                        return
                    if self.error is None and not self.cancelled:
                        kind, sql, rows = job
                        if kind is _COPY:
                            with cursor.copy(sql) as stream:
                                for row in rows:
                                    stream.write_row(row)
                        elif kind is _STATEMENTS:  # (sql, parameters) pairs, each run once
                            for statement, params in rows:
                                cursor.execute(statement, params)
                        else:
                            cursor.executemany(sql, rows)
                except BaseException as error:  # raised in the caller's thread (see raise_error)
                    self.error = error
                finally:
                    self.jobs.task_done()
        finally:
            cursor.close()

    def submit(self, sql: str, rows: Sequence[Any], *, kind: object = None) -> None:
        """Hands over `sql` for each of `rows` (executemany); with `kind` _COPY, a COPY of the rows; with
        _STATEMENTS, `rows` are (sql in the driver's placeholders, parameters) pairs, each run once."""
        self.raise_error()
        if self.qmark and kind is None:  # what Django's SQLite cursor does to each statement
            sql = sql.replace("%s", "?")
        self.jobs.put((kind, sql, rows))

    def drain(self) -> None:
        """Waits until every statement handed over has run."""
        self.jobs.join()
        self.raise_error()

    def raise_error(self) -> None:
        if self.error is not None:
            self.raise_error_from(None)

    def raise_error_from(self, cause: BaseException | None) -> None:
        error, self.error = self.error, None
        assert error is not None
        with connection.wrap_database_errors:
            raise error from cause

    def stop(self) -> None:
        self.jobs.put(_STOP)
        self.thread.join()

    def cancel(self) -> None:
        """Drops what is still waiting; returns once nothing runs."""
        self.cancelled = True
        self.stop()


_active: threading.local = threading.local()


def _current() -> _Writer | None:
    return getattr(_active, "writer", None)


# The writer takes the GIL back after each statement it steps (each row of an executemany; on SQLite each
# INSERT of up to ROWS_PER_INSERT rows); while the caller's thread runs Python, that waits for the
# interpreter's switch interval (5 ms by default), so the writer falls behind and the caller ends up
# waiting for it. A shorter interval while a writer runs lets both go on (measured: the streamed import
# of issue 10 3-20 % faster at 0.1 scale, in 4 alternating pairs, before SQLite's INSERTs took many
# rows). The interval is the process's: set while any writer runs.
SWITCH_INTERVAL = 0.0005
_switching = threading.Lock()
_writers_running = 0
_interval_before = 0.0


@contextmanager
def _switching_often() -> Iterator[None]:
    global _writers_running, _interval_before
    with _switching:
        if _writers_running == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _interval_before))
        _writers_running += 1
    try:
        yield
    finally:
        with _switching:
            _writers_running -= 1
            if _writers_running == 0:
                sys.setswitchinterval(_interval_before)


@contextmanager
def overlapped() -> Iterator[None]:
    """Inside: `executemany` hands its statements to a writer thread. Must run inside the transaction
    (nothing commits before the writer is done)."""
    if _current() is not None:
        yield
        return
    connection.ensure_connection()
    writer = _Writer()

    def in_order(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        writer.drain()
        return execute(sql, params, many, context)

    _active.writer = writer
    try:
        with _switching_often(), connection.execute_wrapper(in_order):
            try:
                yield
            except BaseException as error:
                # The rest is rolled back; a statement that failed first is what would have been raised
                # had it run at once.
                writer.cancel()
                if writer.error is not None:
                    writer.raise_error_from(error)
                raise
            writer.drain()
    finally:
        _active.writer = None
        if writer.thread.is_alive():
            writer.stop()


def insert(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERTs the rows (values in the order of `columns`); inside `overlapped()` on PostgreSQL, with COPY,
    which the server takes several times faster than the same rows one statement each."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    writer = _current()
    if writer is not None and connection.vendor == "postgresql":
        for start in range(0, len(rows), BATCH):
            writer.submit(
                f"COPY {quote(table)} ({names}) FROM STDIN", rows[start : start + BATCH], kind=_COPY
            )
        return
    if writer is not None and writer.qmark and rows:
        _insert_many_per_statement(
            writer, f"INSERT INTO {quote(table)} ({names}) VALUES ", len(columns), rows
        )
        return
    marks = ", ".join(["%s"] * len(columns))
    executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def _insert_many_per_statement(
    writer: _Writer, head: str, width: int, rows: Sequence[tuple[Any, ...]]
) -> None:
    """SQLite, overlapped: up to ROWS_PER_INSERT rows to an INSERT, as many as its parameters allow. The
    writer then takes the GIL back once per statement rather than once per row (see SWITCH_INTERVAL),
    and SQLite inserts the rows of a statement in their order, as executemany would."""
    one = "(" + ", ".join(["?"] * width) + ")"
    per = max(1, min(ROWS_PER_INSERT, writer.parameters // width))
    full = head + ", ".join([one] * per)  # one string for every full statement: compiled once
    flatten = chain.from_iterable
    statements: list[tuple[str, list[Any]]] = []
    for at in range(0, len(rows), per):
        part = rows[at : at + per]
        # The last part may be shorter: a statement of its own.
        sql = full if len(part) == per else head + ", ".join([one] * len(part))
        statements.append((sql, list(flatten(part))))
        if len(statements) * per >= BATCH:
            writer.submit("", statements, kind=_STATEMENTS)
            statements = []
    if statements:
        writer.submit("", statements, kind=_STATEMENTS)


def executemany(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Runs `sql` (with %s placeholders) for each row, in batches; overlapped when asked for."""
    writer = _current()
    if writer is not None:
        for start in range(0, len(rows), BATCH):
            writer.submit(sql, rows[start : start + BATCH])
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
