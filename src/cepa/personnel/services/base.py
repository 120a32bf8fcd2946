"""What the inspector register's services share: the refusal reasons, the role check, input checks,
and reading and locking an inspector's record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cepa import bounds
from cepa.accounts import permissions
from cepa.errors import InvalidInput, NotFound, role_may_not
from cepa.history.services import RecordChange
from cepa.personnel import messages
from cepa.personnel.models import Inspector, InspectorStatus
from cepa.personnel.records import INSPECTORS


@dataclass(frozen=True)
class Reason:
    """One failing rule: a stable code and the values its message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return messages.message(self.code, lang, **self.params)


def _require_actor(actor: str) -> None:
    if not actor:
        raise ValueError("actor is required")


def require(user: Any, permission: str, obj: Any = None, what: str = "do this") -> None:
    """403 unless `user` may `permission` (on `obj`, an inspector's or organisation's id); `user=None`
    is the operator, who may."""
    if user is not None and not permissions.can(user, permission, obj):
        raise role_may_not(permissions.role_of(user), what)


def _date(name: str, value: Any) -> dt.date:
    """A date, or a YYYY-MM-DD string of one (a datetime is not a date here)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return bounds.check_day(name, value)
    if isinstance(value, str) and len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return bounds.check_day(name, day)
    raise InvalidInput(name, f"{value!r} is not a date (YYYY-MM-DD)")


def _text(name: str, value: Any, *, required: bool = False, limit: int = 10_000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(name, "must be text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(name, "is required")
    if len(value) > limit:
        raise InvalidInput(name, f"must be at most {limit} characters")
    if "\x00" in value:
        raise InvalidInput(name, "must not contain NUL characters")
    return value


def _record(inspector_id: str) -> dict[str, Any]:
    """The inspector's public interchange record (what the change log keeps as before and after)."""
    return INSPECTORS.load([inspector_id])[inspector_id]


def _locked(inspector_id: Any) -> Inspector:
    """The inspector's row, locked until the end of the transaction (serialises writes to one
    registration: its status and grade live in events, so there is no status column to compare)."""
    if not isinstance(inspector_id, str) or not inspector_id or "\x00" in inspector_id:
        raise NotFound(f"no inspector with registration number {inspector_id!r}")
    found = Inspector.objects.select_for_update().filter(pk=inspector_id).first()
    if found is None:
        raise NotFound(f"no inspector with registration number {inspector_id!r}")
    return found


class _StatusEvent(NamedTuple):
    on: dt.date
    status: str


def _status_events(record: dict[str, Any]) -> list[_StatusEvent]:
    """The status changes among the events of an interchange inspector record."""
    return [
        _StatusEvent(dt.date.fromisoformat(e["on"]), e["status"])
        for e in record.get("events", [])
        if e.get("status")
    ]


def _cancellation(record: dict[str, Any]) -> dt.date | None:
    """The day the registration was cancelled, if it ever was (cancellation is final)."""
    days = [event.on for event in _status_events(record) if event.status == InspectorStatus.CANCELLED]
    return min(days) if days else None


def _inspector_change(inspector_id: str, before: dict[str, Any]) -> RecordChange:
    return RecordChange("inspectors", inspector_id, "update", before, _record(inspector_id))
