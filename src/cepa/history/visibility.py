"""Whose history a user may read, and how much of it: a record's history is visible exactly when the
record is, field by field as the record's own page shows it.

The change log keeps every record type whole, but some records are not public (expressions of interest:
the officers' and the body's only) and some public records have private parts (the reasons of an
inspector's status and grade changes are personal matters). The app that owns such a record type says
so here, from its AppConfig.ready, with a `Policy`; the history's readers (the API, `cepa history`'s
public face, the pages) ask `policy_for`. A record type without a policy is public and shown whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What a reader may see of one change: (before, after, reason) → the same, with private parts removed.
Redaction = Callable[[dict[str, Any] | None, dict[str, Any] | None, str], tuple[Any, Any, str]]


@dataclass(frozen=True)
class Policy:
    # Whether `user` may see the record `record_id` (its history with it).
    visible: Callable[[Any, str], bool]
    # How `user` sees the record's changes: None to see them whole.
    redaction: Callable[[Any, str], Redaction | None] = lambda user, record_id: None


_POLICIES: dict[str, Policy] = {}


def register(record_type: str, policy: Policy) -> None:
    _POLICIES[record_type] = policy


def policy_for(record_type: str) -> Policy | None:
    return _POLICIES.get(record_type)
