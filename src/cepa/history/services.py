"""The one way to write the change log: a change set with its changes, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cepa.history.models import Change, ChangeSet


@dataclass(frozen=True)
class RecordChange:
    record_type: str  # the interchange list name: organisations, accreditations, ...
    record_id: str
    action: str  # create | update | delete | transition
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_changes(
    *, actor: str, reason: str, channel: str, changes: Iterable[RecordChange], request_id: str = ""
) -> ChangeSet | None:
    """Writes one change set. Must run inside the transaction that made the changes."""
    if not actor:
        raise ValueError("actor is required")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the transaction that made the changes")
    rows = list(changes)
    if not rows:
        return None
    changeset = ChangeSet.objects.create(
        actor=actor, at=timezone.now(), reason=reason, channel=channel, request_id=request_id
    )
    Change.objects.bulk_create(
        [
            Change(
                changeset=changeset,
                record_type=row.record_type,
                record_id=row.record_id,
                action=row.action,
                before=row.before,
                after=row.after,
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return changeset
