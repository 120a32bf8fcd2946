"""The conditional status change every workflow makes (house rule: exactly one row, else a conflict)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def swap_status(row: Model, old: str, **fields: Any) -> bool:
    """Updates `row` only while its status is still `old` and copies `fields` onto the instance.
    False when another request changed the status first; the caller raises its own conflict."""
    if type(row)._default_manager.filter(pk=row.pk, status=old).update(**fields) != 1:
        return False
    for name, value in fields.items():
        setattr(row, name, value)
    return True
