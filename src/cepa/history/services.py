"""The one way to write the change log: a change set with its changes, inside the caller's transaction."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import F
from django.utils import timezone

from cepa import writes
from cepa.history import generation
from cepa.history.models import Change, ChangeSet, RegistryVersion
from cepa.ops.context import current_request_id


@dataclass(frozen=True)
class RecordChange:
    record_type: str  # the interchange list name: organisations, accreditations, ...
    record_id: str
    action: str  # create | update | delete | transition
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_changes(
    *,
    actor: str,
    reason: str,
    channel: str,
    changes: Iterable[RecordChange],
    request_id: str = "",
    into: ChangeSet | None = None,
) -> ChangeSet | None:
    """Writes one change set. Must run inside the transaction that made the changes.

    `into`: a change set this transaction already wrote, which the changes join (a streamed import
    records its parts one after another in one change set).

    `request_id` defaults to the id of the request being served (cepa.ops.middleware), so every change
    made in a request can be found from its log lines.
    """
    if not actor:
        raise ValueError("actor is required")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the transaction that made the changes")
    rows = list(changes)
    if not rows:
        return into
    if into is not None:
        _insert_changes(into.pk, rows)
        return into
    changeset = ChangeSet.objects.create(
        actor=actor, at=timezone.now(), reason=reason, channel=channel,
        request_id=request_id or current_request_id(),
    )
    _insert_changes(changeset.pk, rows)
    _raise_registry_version()
    return changeset


def _raise_registry_version() -> None:
    """The registry's version goes up by one in this transaction (see RegistryVersion). Last, so the
    row's lock is held only for the rest of the transaction."""
    at = timezone.now()
    if not RegistryVersion.objects.filter(pk=1).update(number=F("number") + 1, at=at):
        RegistryVersion.objects.create(pk=1, number=1, at=at)
    # This process's memo of the version is forgotten once the write is visible, not before: a reader
    # in between would keep the old version again.
    transaction.on_commit(generation.committed)


_BASE_ADAPT = BaseDatabaseOperations.adapt_json_value


def _plain_dumps() -> Callable[[Any], str] | None:
    """`json.dumps(value)` (what the base adapt_json_value gives, SQLite's) with one C encoder made once
    rather than per value: a streamed import encodes millions of history rows, and making the encoder
    is near half the time of each. Without the C encoder: None (json.dumps as it is)."""
    make = getattr(json.encoder, "c_make_encoder", None)  # the C accelerator (absent without _json)
    if make is None:
        return None
    encode = make(
        None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
        False, False, True,
    )

    def dumps(value: Any) -> str:
        return "".join(encode(value, 0))

    return dumps


def _insert_changes(changeset_id: int, rows: list[RecordChange]) -> None:
    """One bulk insert: an import's tens of thousands of rows would spend more time in model
    instances than in the database."""
    before_field = Change._meta.get_field("before")
    after_field = Change._meta.get_field("after")

    # What JSONField.get_db_prep_save does for a plain dict, without its per-value checks.
    adapt_json = connection.ops.adapt_json_value
    plain = _plain_dumps() if type(connection.ops).adapt_json_value is _BASE_ADAPT else None

    def adapter(field: Any) -> Callable[[Any], Any]:
        if plain is not None and field.encoder is None:
            return plain
        return lambda value: adapt_json(value, field.encoder)

    adapt_before, adapt_after = adapter(before_field), adapter(after_field)

    columns = ("changeset_id", "record_type", "record_id", "action", "before", "after")
    values = [
        (
            changeset_id,
            row.record_type,
            row.record_id,
            row.action,
            None if row.before is None else adapt_before(row.before),
            None if row.after is None else adapt_after(row.after),
        )
        for row in rows
    ]
    writes.insert(Change._meta.db_table, columns, values)
