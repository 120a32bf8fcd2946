"""The legal instruments the catalogue cites."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cepa.api.catalogue.records import instrument_out
from cepa.api.catalogue.schemas import InstrumentOut
from cepa.catalogue import selectors

router = Router(tags=["Catalogue"])


@router.get("/instruments", response=list[InstrumentOut], summary="Legal instruments cited")
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [instrument_out(instrument) for instrument in selectors.instruments()]
