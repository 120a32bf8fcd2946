"""The catalogue facts: product types (main and bundled codes), the routine-designation scope, the
enquiry contacts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cepa.catalogue.models import Contact, ProductType, RoutineScopeEntry
from cepa.decisions.loader.common import NAME_FIELDS, _name
from cepa.decisions.prepared import Prepared, day, json_value, maybe_day
from cepa.rules import facts

_CATALOGUE_FIELDS = (
    "key",
    "code",
    "other_codes",
    "applications_from",
    "removed_on",
    "sector",
    "category__sector",
)


def _has_code(code: str, prefix: str = "") -> Q:
    # Bundled codes live in a JSON list; matching its text with the quotes is portable and exact.
    return Q(**{f"{prefix}code": code}) | Q(**{f"{prefix}other_codes__icontains": f'"{code}"'})


_CATALOGUE_FOR_CODE = Prepared(
    lambda code: ProductType.objects.filter(_has_code(code)).order_by("key").values_list(*_CATALOGUE_FIELDS)
)
_CATALOGUE_ALL = Prepared(lambda: ProductType.objects.order_by("key").values_list(*_CATALOGUE_FIELDS))


def _catalogue_entries(rows: list[tuple[Any, ...]]) -> list[facts.CatalogueEntry]:
    entries: list[facts.CatalogueEntry] = []
    for key, code, others, applications_from, removed_on, sector, category_sector in rows:
        codes = ([code] if code else []) + [str(other) for other in json_value(others) or ()]
        for one in dict.fromkeys(codes):
            entries.append(
                facts.CatalogueEntry(
                    code=one,
                    applications_from=day(applications_from),
                    removed_on=maybe_day(removed_on),
                    sector=sector or category_sector or "",
                    key=key,
                )
            )
    return entries


def load_catalogue(code: str | None = None) -> list[facts.CatalogueEntry]:
    """The catalogue entries of the product types carrying `code` (main or bundled), or of every
    product type any catalogue version has had (`code` None). One query."""
    rows = _CATALOGUE_ALL.rows() if code is None else _CATALOGUE_FOR_CODE.rows(code=code)
    entries = _catalogue_entries(rows)
    return entries if code is None else [e for e in entries if e.code == code]


_ROUTINE = Prepared(
    lambda code: (
        RoutineScopeEntry.objects.filter(_has_code(code, "product_type__"))
        .order_by("valid_from", "id")
        .values_list(
            "product_type__code",
            "product_type__other_codes",
            "valid_from",
            "valid_until",
            "instrument__title_en",
            "instrument__title_zh_hant",
            "instrument__title_zh_hans",
        )
    )
)


def load_routine_scope(code: str) -> list[facts.RoutineScopeEntry]:
    """Routine-designation scope entries whose product type has `code` (main or bundled). One query."""
    entries = []
    for main, others, valid_from, valid_until, en, zh_hant, zh_hans in _ROUTINE.rows(code=code):
        if code == main or code in {str(other) for other in json_value(others) or ()}:
            entries.append(
                facts.RoutineScopeEntry(
                    code,
                    day(valid_from),
                    maybe_day(valid_until),
                    _name(en, zh_hant, zh_hans),
                )
            )
    return entries


_CONTACTS = Prepared(
    lambda: Contact.objects.order_by("sector").values_list(
        "sector",
        *NAME_FIELDS,
        "organisation_en",
        "organisation_zh_hant",
        "organisation_zh_hans",
        "phone",
        "email",
    )
)


def load_contacts() -> list[facts.Contact]:
    return [
        facts.Contact(
            sector=sector,
            name=_name(en, zh_hant, zh_hans),
            organisation=_name(org_en, org_hant, org_hans),
            phone=phone or "",
            email=email or "",
        )
        for sector, en, zh_hant, zh_hans, org_en, org_hant, org_hans, phone, email in _CONTACTS.rows()
    ]
