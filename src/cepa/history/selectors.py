from __future__ import annotations

from django.db.models import QuerySet

from cepa.history.models import Change


def changes_of(record_id: str, record_type: str | None = None) -> QuerySet[Change]:
    """A record's history, oldest first, with its change set (one query)."""
    changes = Change.objects.filter(record_id=record_id).select_related("changeset")
    if record_type:
        changes = changes.filter(record_type=record_type)
    return changes.order_by("changeset__at", "id")
