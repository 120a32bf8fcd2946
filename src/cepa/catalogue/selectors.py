"""Reads of the CCC catalogue. Public reference data: no user scoping is needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cepa.catalogue.models import (
    CatalogueVersion,
    Category,
    Contact,
    Instrument,
    ProductType,
    RoutineScopeEntry,
)

# The instruments the contract names for routine (any-time) laboratory designation.
ROUTINE_INSTRUMENTS = ("CNCA-PN-2015-34", "CNCA-PN-2017-1", "CNCA-PN-2017-28")


def known_codes() -> frozenset[str]:
    """Every 4-digit code any shipped catalogue version has had (the main code and bundled codes)."""
    codes: set[str] = set()
    for code, others in ProductType.objects.values_list("code", "other_codes"):
        if code:
            codes.add(code)
        codes.update(str(other) for other in others or ())
    return frozenset(codes)


def product_type_by_code(code: str) -> ProductType | None:
    """The product type whose code, or one of whose bundled codes, is `code`."""
    if not code:
        return None
    found = ProductType.objects.select_related("category").filter(code=code).first()
    if found is not None:
        return found
    # Bundled codes live in a JSON list; the catalogue is small, so a scan is cheap and portable.
    for candidate in ProductType.objects.select_related("category").exclude(other_codes=[]):
        if code in (candidate.other_codes or []):
            return candidate
    return None


def product_type_key_for(code_or_key: str) -> str | None:
    """The key of the product type with this code, bundled code or key, in one query."""
    for key, code, others in ProductType.objects.values_list("key", "code", "other_codes"):
        if code_or_key in (key, code) or code_or_key in (others or ()):
            return str(key)
    return None


def product_types_by_codes(codes: Iterable[str]) -> dict[str, ProductType]:
    """Maps each given code that is known (main or bundled) to its product type, in one query."""
    wanted = set(codes)
    found: dict[str, ProductType] = {}
    for candidate in ProductType.objects.select_related("category"):
        for code in candidate.all_codes:
            if code in wanted:
                found[code] = candidate
    return found


def in_catalogue_filter(on: dt.date) -> Q:
    """Product types in the catalogue on `on`: applications open, not yet removed (removed_on exclusive)."""
    return Q(applications_from__lte=on) & (Q(removed_on__isnull=True) | Q(removed_on__gt=on))


def versions() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.select_related("instrument").order_by("effective", "key")


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.all()


def product_types() -> QuerySet[ProductType]:
    return ProductType.objects.select_related("category", "removed_by").prefetch_related("versions")


def routine_scope(on: dt.date | None = None) -> QuerySet[RoutineScopeEntry]:
    entries = RoutineScopeEntry.objects.select_related("product_type", "instrument").order_by(
        "product_type__code", "product_type__key", "valid_from"
    )
    if on is not None:
        entries = entries.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
    return entries


def routine_scope_codes(on: dt.date) -> frozenset[str]:
    """Codes (main and bundled) of product types in the routine-designation scope on `on`."""
    codes: set[str] = set()
    for entry in routine_scope(on):
        codes.update(entry.product_type.all_codes)
    return frozenset(codes)


def contacts() -> QuerySet[Contact]:
    return Contact.objects.all()


def contact_for_sector(sector: str) -> Contact | None:
    return Contact.objects.filter(sector=sector).first()
