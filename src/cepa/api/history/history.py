"""The public change history of registry records: GET /api/v1/history/{record_id}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cepa.api.auth import OPTIONAL_SECURITY, current_user, optional_auth
from cepa.api.errors import ErrorOut
from cepa.api.history.schemas import HistoryFilter, HistoryOut
from cepa.errors import NotFound
from cepa.history.selectors import visible_history

router = Router(tags=["History"])


@router.get(
    "/{path:record_id}",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    auth=optional_auth,
    openapi_extra=OPTIONAL_SECURITY,
    summary="The recorded changes of a registry record",
    url_name="history-record",
)
def record_history(request: HttpRequest, record_id: str, filters: Query[HistoryFilter]) -> dict[str, Any]:
    """Every change of the record, oldest first: who, when, through which channel, why, before and after.

    Ids are chosen by each list's publisher, so `type` (a list name) tells apart records of
    different lists that share an id.
    """
    # Visible exactly when the record is, as its own page shows it (cepa.history.visibility): expressions
    # of interest only to officers and the body's staff; an inspector's status and grade reasons only to
    # the registrar and the inspector's own body. The committed OpenAPI copy keeps the text above.
    changes = visible_history(current_user(request), record_id, filters.type)
    if not changes:
        where = f" in {filters.type}" if filters.type else ""
        raise NotFound(f"no recorded changes for {record_id!r}{where}")
    return {"record_id": record_id, "record_type": filters.type, "changes": changes}
