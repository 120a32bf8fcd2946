"""Catalogue rows as the API's records, and the date parameters the lists read."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cepa.catalogue.models import Instrument, ProductType, RoutineScopeEntry
from cepa.errors import InvalidInput

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(field: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        if DATE.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput(field, "not a date YYYY-MM-DD", summary=f"{field}: {value!r} is not a date YYYY-MM-DD")


def names(obj: Any) -> dict[str, str]:
    """The three names, as in the interchange format (the Chinese ones only when known)."""
    out = {"en": obj.name_en}
    if obj.name_zh_hant:
        out["zh-Hant"] = obj.name_zh_hant
    if obj.name_zh_hans:
        out["zh-Hans"] = obj.name_zh_hans
    return out


def titles(obj: Instrument) -> dict[str, str]:
    out = {"en": obj.title_en}
    if obj.title_zh_hant:
        out["zh-Hant"] = obj.title_zh_hant
    if obj.title_zh_hans:
        out["zh-Hans"] = obj.title_zh_hans
    return out


def provenance(obj: Any) -> dict[str, Any]:
    return {"confirmed": obj.confirmed, "source": obj.source, "note": obj.note}


def instrument_ref(obj: Instrument) -> dict[str, Any]:
    return {"key": obj.key, "title": titles(obj)}


def instrument_out(obj: Instrument) -> dict[str, Any]:
    return {**instrument_ref(obj), "issued": obj.issued, **provenance(obj)}


def routine_out(obj: RoutineScopeEntry, product_type: ProductType) -> dict[str, Any]:
    return {
        "product_type": product_type.key,
        "code": product_type.code,
        "other_codes": list(product_type.other_codes or []),
        "name": names(product_type),
        "instrument": instrument_ref(obj.instrument),
        "valid_from": obj.valid_from,
        "valid_until": obj.valid_until,
        **provenance(obj),
    }
