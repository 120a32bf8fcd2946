"""Product types: the filtered, paginated list and one type with its changes and routine scope."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import F, Prefetch, Q
from django.http import HttpRequest
from ninja import Query, Router

from cepa.api.catalogue.records import instrument_ref, names, parse_date, provenance, routine_out
from cepa.api.catalogue.schemas import ProductTypeDetailOut, ProductTypeFilters, ProductTypePage
from cepa.api.errors import BadRequestOut, ErrorOut
from cepa.api.pagination import PageParams, paginate
from cepa.catalogue import selectors
from cepa.catalogue.models import (
    CatalogueVersion,
    Category,
    ProductType,
    ProductTypeChange,
    RoutineScopeEntry,
)
from cepa.errors import InvalidInput, NotFound

router = Router(tags=["Catalogue"])

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,59}$")


def history_out(history: selectors.History) -> dict[str, Any]:
    return {
        "periods": [
            {"from": p.start, "until": p.until, "instrument": p.instrument, "ended_by": p.ended_by,
             "confirmed": p.confirmed, "source": p.source}
            for p in history.periods
        ],
        "routes": [
            {"route": r.route, "from": r.start, "until": r.until, "instrument": r.instrument,
             "confirmed": r.confirmed, "source": r.source}
            for r in history.routes
        ],
    }


def product_type_out(obj: ProductType, history: selectors.History) -> dict[str, Any]:
    return {
        "key": obj.key,
        "code": obj.code,
        "other_codes": list(obj.other_codes or []),
        "name": names(obj),
        "category": {"key": obj.category.key, "name": names(obj.category)},
        "route": obj.route,
        "route_confirmed": obj.route_confirmed,
        "sector": obj.enquiry_sector,
        "versions": sorted(version.key for version in obj.versions.all()),
        "applications_from": obj.applications_from,
        "mandatory_from": obj.mandatory_from,
        "removed_on": obj.removed_on,
        "removed_by": obj.removed_by_id,
        **provenance(obj),
        **history_out(history),
    }


def change_out(obj: ProductTypeChange) -> dict[str, Any]:
    return {
        "key": obj.key,
        "kind": obj.kind,
        "instrument": instrument_ref(obj.instrument) if obj.instrument else None,
        "effective": obj.effective,
        "applications_from": obj.applications_from,
        "mandatory_from": obj.mandatory_from,
        "new_route": obj.new_route,
        **provenance(obj),
    }


@router.get(
    "/product-types",
    response={200: ProductTypePage, 400: BadRequestOut},
    summary="Product types (filtered, paginated)",
    by_alias=True,  # periods and routes say `from`
)
def list_product_types(
    request: HttpRequest, filters: Query[ProductTypeFilters], page: Query[PageParams]
) -> dict[str, Any]:
    on = parse_date("in_catalogue_on", filters.in_catalogue_on)
    rows = selectors.product_types()
    if filters.category:
        if not Category.objects.filter(key=filters.category).exists():
            raise InvalidInput(
                "category", "unknown category", summary=f"category: no category {filters.category!r}"
            )
        rows = rows.filter(category_id=filters.category)
    if filters.version:
        if not CatalogueVersion.objects.filter(key=filters.version).exists():
            raise InvalidInput(
                "version",
                "unknown catalogue version",
                summary=f"version: no catalogue version {filters.version!r}",
            )
        rows = rows.filter(versions__key=filters.version)
    if filters.route:
        rows = rows.filter(route=filters.route)
    if filters.sector:
        rows = rows.filter(Q(sector=filters.sector) | Q(sector="", category__sector=filters.sector))
    if on is not None:
        rows = rows.filter(selectors.in_catalogue_filter(on))
    text = (filters.q or "").strip()
    if text:
        bundled = [
            key
            for key, others in ProductType.objects.exclude(other_codes=[]).values_list("key", "other_codes")
            if any(text in code for code in others or ())
        ]
        rows = rows.filter(
            Q(code__icontains=text)
            | Q(key__icontains=text)
            | Q(name_en__icontains=text)
            | Q(name_zh_hant__icontains=text)
            | Q(name_zh_hans__icontains=text)
            | Q(pk__in=bundled)
        )
    rows = rows.order_by(F("code").asc(nulls_last=True), "key")
    return paginate(request, rows, page, load_product_types)


def load_product_types(keys: list[Any]) -> list[dict[str, Any]]:
    """The records of a page, in the page's order (three queries whatever its size)."""
    by_key = {obj.key: obj for obj in selectors.product_types().filter(pk__in=keys)}
    histories = selectors.histories(keys)
    return [product_type_out(by_key[key], histories[key]) for key in keys]


@router.get(
    "/product-types/{code}",
    response={200: ProductTypeDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="One product type, by code, bundled code or key",
    by_alias=True,
)
def get_product_type(request: HttpRequest, code: str) -> dict[str, Any]:
    if not KEY.match(code):
        raise InvalidInput([], summary=f"code: {code!r} is neither a 4-digit code nor a product type key")
    key = selectors.product_type_key_for(code)
    found = (
        selectors.product_types()
        .prefetch_related(
            Prefetch("changes", ProductTypeChange.objects.select_related("instrument")),
            Prefetch("routine_scope", RoutineScopeEntry.objects.select_related("instrument")),
        )
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if found is None:
        raise NotFound(f"no product type with code or key {code!r} in any catalogue version")
    return {
        **product_type_out(found, selectors.histories([found.key])[found.key]),
        "changes": [change_out(change) for change in found.changes.all()],
        "routine_scope": [routine_out(entry, found) for entry in found.routine_scope.all()],
    }
