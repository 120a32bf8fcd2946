"""The public change history of registry records: GET /api/v1/history/{record_id}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cepa.api.errors import ErrorOut
from cepa.api.history.schemas import HistoryFilter, HistoryOut
from cepa.errors import NotFound
from cepa.history.selectors import change_record, public_changes_of

router = Router(tags=["History"])


@router.get(
    "/{path:record_id}",
    response={200: HistoryOut, 404: ErrorOut},
    summary="The recorded changes of a registry record",
    url_name="history-record",
)
def record_history(request: HttpRequest, record_id: str, filters: Query[HistoryFilter]) -> dict[str, Any]:
    """Every change of the record, oldest first: who, when, through which channel, why, before and after.

    Ids are chosen by each list's publisher, so `type` (a list name) tells apart records of
    different lists that share an id.
    """
    changes = [change_record(change) for change in public_changes_of(record_id, filters.type)]
    if not changes:
        where = f" in {filters.type}" if filters.type else ""
        raise NotFound(f"no recorded changes for {record_id!r}{where}")
    return {"record_id": record_id, "record_type": filters.type, "changes": changes}
