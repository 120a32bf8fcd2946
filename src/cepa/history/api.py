"""The public change history of registry records: GET /api/v1/history/{record_id}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from cepa.api.errors import ErrorOut, NotFound
from cepa.history.selectors import change_record, public_changes_of

router = Router(tags=["History"])


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


@router.get(
    "/{path:record_id}",
    response={200: HistoryOut, 404: ErrorOut},
    summary="The recorded changes of a registry record",
    url_name="history-record",
)
def record_history(
    request: HttpRequest, record_id: str, filters: Query[HistoryFilter]
) -> dict[str, Any]:
    """Every change of the record, oldest first: who, when, through which channel, why, before and after.

    Ids are chosen by each list's publisher, so `type` (a list name) tells apart records of
    different lists that share an id.
    """
    changes = [change_record(change) for change in public_changes_of(record_id, filters.type)]
    if not changes:
        where = f" in {filters.type}" if filters.type else ""
        raise NotFound(f"no recorded changes for {record_id!r}{where}")
    return {"record_id": record_id, "record_type": filters.type, "changes": changes}
