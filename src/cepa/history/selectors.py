from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

from django.db.models import Q, QuerySet

from cepa.history.diff import field_changes
from cepa.history.models import Change
from cepa.history.visibility import Redaction, policy_for

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
    "test_reports",
    "factory_inspections",
    "certificates",
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


def change_record(change: Change, redaction: Redaction | None = None) -> dict[str, Any]:
    """A change with its change set, as the API and `cepa history --json` show it (through `redaction`
    when the reader may not see all of it)."""
    changeset = change.changeset
    before, after, reason = change.before, change.after, changeset.reason
    if redaction is not None:
        before, after, reason = redaction(before, after, reason)
    return {
        "changeset": changeset.pk,
        "at": changeset.at.astimezone(BEIJING).isoformat(),
        "actor": changeset.actor,
        "channel": changeset.channel,
        "reason": reason,
        "record_type": change.record_type,
        "record_id": change.record_id,
        "action": change.action,
        "fields": [item.field for item in field_changes(before, after)],
        "before": before,
        "after": after,
    }


def visible_history(user: Any, record_id: str, record_type: str | None = None) -> list[dict[str, Any]]:
    """The changes of the registry record(s) with this id that `user` may see, as that user sees them
    (cepa.history.visibility): a record that is not public shows no history to whoever may not see it,
    and the private parts of a public record are left out. One query, plus one per record type that has
    a policy."""
    changes = list(public_changes_of(record_id, record_type))
    views: dict[str, tuple[bool, Redaction | None]] = {}
    for name in {change.record_type for change in changes}:
        policy = policy_for(name)
        if policy is None:
            views[name] = (True, None)
        elif policy.visible(user, record_id):
            views[name] = (True, policy.redaction(user, record_id))
        else:
            views[name] = (False, None)
    return [
        change_record(change, views[change.record_type][1])
        for change in changes
        if views[change.record_type][0]
    ]
