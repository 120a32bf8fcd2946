"""Public reads of the CCC catalogue (mounted at /api/v1/catalogue). No account needed; no writes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cepa.api.errors import BadRequest, BadRequestOut, ErrorOut, NotFound
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.catalogue import selectors
from cepa.catalogue.models import (
    CatalogueVersion,
    Category,
    Contact,
    Instrument,
    ProductType,
    ProductTypeChange,
    RoutineScopeEntry,
)

router = Router(tags=["Catalogue"])

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,59}$")
RouteName = Literal["certification", "self_declaration_a", "self_declaration_b"]
SectorName = Literal["electrical_electronic", "non_electrical_electronic"]


def parse_date(field: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        if DATE.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise BadRequest(
        f"{field}: {value!r} is not a date YYYY-MM-DD",
        errors=[{"field": field, "message": "not a date YYYY-MM-DD"}],
    )


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


# ---------------------------------------------------------------- schemas


class InstrumentRef(Schema):
    key: str
    title: dict[str, str]


class InstrumentOut(Schema):
    key: str
    title: dict[str, str]
    issued: dt.date | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class VersionOut(Schema):
    key: str
    instrument: InstrumentRef
    effective: dt.date
    category_count: int | None = Field(..., description="As published")
    product_type_count: int | None = Field(..., description="As published")
    product_types_recorded: int = Field(..., description="Product types this registry attaches to it")
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class CategoryRef(Schema):
    key: str
    name: dict[str, str]


class CategoryOut(Schema):
    key: str
    name: dict[str, str]
    number_2020: int | None
    number_2023: int | None
    sector: SectorName
    sector_confirmed: bool = Field(..., description="The sector mapping is an inference until confirmed")
    product_type_count: int
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class ProductTypeOut(Schema):
    key: str
    code: str | None = Field(..., description="Null where no code has been published")
    other_codes: list[str] = Field(..., description="Further codes the type bundles")
    name: dict[str, str]
    category: CategoryRef
    route: RouteName = Field(..., description="The current conformity route (see changes for dates)")
    route_confirmed: bool
    sector: SectorName = Field(..., description="The CNCA enquiry sector")
    versions: list[str]
    applications_from: dt.date = Field(..., description="First day in the catalogue")
    mandatory_from: dt.date | None
    removed_on: dt.date | None = Field(..., description="First day no longer in the catalogue")
    removed_by: str | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class ChangeOut(Schema):
    key: str
    kind: str
    instrument: InstrumentRef | None
    effective: dt.date | None
    applications_from: dt.date | None
    mandatory_from: dt.date | None
    new_route: str
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class RoutineScopeOut(Schema):
    product_type: str
    code: str | None
    other_codes: list[str]
    name: dict[str, str]
    instrument: InstrumentRef
    valid_from: dt.date
    valid_until: dt.date | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class ProductTypeDetailOut(ProductTypeOut):
    changes: list[ChangeOut]
    routine_scope: list[RoutineScopeOut]


class RoutineScopeListOut(Schema):
    on: dt.date | None = Field(..., description="The date asked about, or null for every entry")
    instruments: list[InstrumentOut] = Field(..., description="The instruments of routine designation")
    entries: list[RoutineScopeOut]


class ContactOut(Schema):
    sector: SectorName
    name: dict[str, str]
    organisation: dict[str, str]
    phone: str
    email: str = Field(..., description="Empty where not published")
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


ProductTypePage = page_schema("ProductTypePage", ProductTypeOut)


# ---------------------------------------------------------------- record builders


def provenance(obj: Any) -> dict[str, Any]:
    return {"confirmed": obj.confirmed, "source": obj.source, "note": obj.note}


def instrument_ref(obj: Instrument) -> dict[str, Any]:
    return {"key": obj.key, "title": titles(obj)}


def instrument_out(obj: Instrument) -> dict[str, Any]:
    return {**instrument_ref(obj), "issued": obj.issued, **provenance(obj)}


def product_type_out(obj: ProductType) -> dict[str, Any]:
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


# ---------------------------------------------------------------- endpoints


@router.get("/versions", response=list[VersionOut], summary="Catalogue versions")
def list_versions(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.versions().annotate(recorded=Count("product_types"))
    return [
        {
            "key": version.key,
            "instrument": instrument_ref(version.instrument),
            "effective": version.effective,
            "category_count": version.category_count,
            "product_type_count": version.product_type_count,
            "product_types_recorded": version.recorded,  # type: ignore[attr-defined]
            **provenance(version),
        }
        for version in rows
    ]


@router.get("/categories", response=list[CategoryOut], summary="Categories")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.categories().annotate(types=Count("product_types"))
    return [
        {
            "key": category.key,
            "name": names(category),
            "number_2020": category.number_2020,
            "number_2023": category.number_2023,
            "sector": category.sector,
            "sector_confirmed": category.sector_confirmed,
            "product_type_count": category.types,  # type: ignore[attr-defined]
            **provenance(category),
        }
        for category in rows
    ]


class ProductTypeFilters(Schema):
    category: str | None = Field(None, description="Category key")
    version: str | None = Field(None, description="Catalogue version key, e.g. SAMR-2023-36")
    route: RouteName | None = None
    sector: SectorName | None = None
    in_catalogue_on: str | None = Field(None, description="YYYY-MM-DD: only types in the catalogue that day")
    q: str | None = Field(None, max_length=100, description="Text in the code or any of the three names")


@router.get(
    "/product-types",
    response={200: ProductTypePage, 400: BadRequestOut},
    summary="Product types (filtered, paginated)",
)
def list_product_types(
    request: HttpRequest, filters: Query[ProductTypeFilters], page: Query[PageParams]
) -> dict[str, Any]:
    on = parse_date("in_catalogue_on", filters.in_catalogue_on)
    rows = selectors.product_types()
    if filters.category:
        if not Category.objects.filter(key=filters.category).exists():
            raise BadRequest(f"category: no category {filters.category!r}",
                             errors=[{"field": "category", "message": "unknown category"}])
        rows = rows.filter(category_id=filters.category)
    if filters.version:
        if not CatalogueVersion.objects.filter(key=filters.version).exists():
            raise BadRequest(f"version: no catalogue version {filters.version!r}",
                             errors=[{"field": "version", "message": "unknown catalogue version"}])
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
    return paginate(rows, page, load_product_types)


def load_product_types(keys: list[Any]) -> list[dict[str, Any]]:
    """The records of a page, in the page's order (two queries whatever its size)."""
    by_key = {obj.key: obj for obj in selectors.product_types().filter(pk__in=keys)}
    return [product_type_out(by_key[key]) for key in keys]


@router.get(
    "/product-types/{code}",
    response={200: ProductTypeDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="One product type, by code, bundled code or key",
)
def get_product_type(request: HttpRequest, code: str) -> dict[str, Any]:
    if not KEY.match(code):
        raise BadRequest(f"code: {code!r} is neither a 4-digit code nor a product type key")
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
        **product_type_out(found),
        "changes": [change_out(change) for change in found.changes.all()],
        "routine_scope": [routine_out(entry, found) for entry in found.routine_scope.all()],
    }


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


@router.get("/contacts", response=list[ContactOut], summary="CNCA enquiry contacts per sector")
def list_contacts(request: HttpRequest) -> list[dict[str, Any]]:
    return [contact_out(contact) for contact in selectors.contacts()]


def contact_out(contact: Contact) -> dict[str, Any]:
    organisation = {"en": contact.organisation_en}
    if contact.organisation_zh_hant:
        organisation["zh-Hant"] = contact.organisation_zh_hant
    if contact.organisation_zh_hans:
        organisation["zh-Hans"] = contact.organisation_zh_hans
    return {
        "sector": contact.sector,
        "name": names(contact),
        "organisation": organisation,
        "phone": contact.phone,
        "email": contact.email,
        **provenance(contact),
    }


@router.get("/instruments", response=list[InstrumentOut], summary="Legal instruments cited")
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [instrument_out(instrument) for instrument in selectors.instruments()]
