"""The routine (any-time) laboratory designation scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cepa.api.catalogue.records import instrument_out, parse_date, routine_out
from cepa.api.catalogue.schemas import RoutineScopeListOut
from cepa.api.errors import BadRequestOut
from cepa.catalogue import selectors
from cepa.catalogue.models import Instrument

router = Router(tags=["Catalogue"])


@router.get(
    "/routine-scope",
    response={200: RoutineScopeListOut, 400: BadRequestOut},
    summary="Routine (any-time) laboratory designation scope",
)
def list_routine_scope(request: HttpRequest, on: str | None = None) -> dict[str, Any]:
    day = parse_date("on", on)
    entries = selectors.routine_scope(day)
    instruments = Instrument.objects.filter(key__in=selectors.ROUTINE_INSTRUMENTS)
    return {
        "on": day,
        "instruments": [instrument_out(instrument) for instrument in instruments],
        "entries": [routine_out(entry, entry.product_type) for entry in entries],
    }
