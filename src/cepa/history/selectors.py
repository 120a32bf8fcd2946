from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

from django.db.models import Q, QuerySet

from cepa.history.diff import field_changes
from cepa.history.models import Change

BEIJING = timezone(timedelta(hours=8))

# Registry data anyone may read: the interchange lists and the shipped catalogue. Accounts and
# workflow records keep their history to themselves.
PUBLIC_RECORD_TYPES = (
    "organisations",
    "accreditations",
    "designations",
    "agreements",
    "plans",
    "expressions_of_interest",
    "inspectors",
)
PUBLIC_PREFIXES = ("catalogue.",)


def changes_of(record_id: str, record_type: str | None = None) -> QuerySet[Change]:
    """A record's history, oldest first, with its change set (one query)."""
    changes = Change.objects.filter(record_id=record_id).select_related("changeset")
    if record_type:
        changes = changes.filter(record_type=record_type)
    return changes.order_by("changeset__at", "id")


def public_changes_of(record_id: str, record_type: str | None = None) -> QuerySet[Change]:
    """Like changes_of, limited to the public registry's record types (one query)."""
    public = Q(record_type__in=PUBLIC_RECORD_TYPES)
    for prefix in PUBLIC_PREFIXES:
        public |= Q(record_type__startswith=prefix)
    return changes_of(record_id, record_type).filter(public)


def change_record(change: Change) -> dict[str, Any]:
    """A change with its change set, as the API and `cepa history --json` show it."""
    changeset = change.changeset
    return {
        "changeset": changeset.pk,
        "at": changeset.at.astimezone(BEIJING).isoformat(),
        "actor": changeset.actor,
        "channel": changeset.channel,
        "reason": changeset.reason,
        "record_type": change.record_type,
        "record_id": change.record_id,
        "action": change.action,
        "fields": [item.field for item in field_changes(change.before, change.after)],
        "before": change.before,
        "after": change.after,
    }
