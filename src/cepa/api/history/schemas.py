"""A record's change history as the API shows it."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ChangeOut(Schema):
    changeset: int
    at: str  # ISO 8601 in Beijing/Hong Kong time
    actor: str
    channel: str
    reason: str
    record_type: str
    record_id: str
    action: str
    fields: list[str]  # the top-level fields the change touched
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class HistoryOut(Schema):
    record_id: str
    record_type: str | None
    changes: list[ChangeOut]


class HistoryFilter(Schema):
    type: str | None = None  # the list name (organisations, agreements, ...) when ids are shared
