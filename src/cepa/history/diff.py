"""Which fields of a record a change touched, for people reading the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ABSENT: Any = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any  # None when the field was absent
    after: Any  # None when the field is absent now


def field_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """The top-level fields whose value differs, by name (PostgreSQL's jsonb keeps no key order)."""
    before = before or {}
    after = after or {}
    names = sorted(set(before) | set(after))
    return [
        FieldChange(name, before.get(name, ABSENT), after.get(name, ABSENT))
        for name in names
        if name not in before or name not in after or before[name] != after[name]
    ]
