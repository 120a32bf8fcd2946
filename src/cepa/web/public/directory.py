"""The directory of bodies: a faceted search over organisations, read in a fixed number of queries.

Facets that are plain columns or the existence of a record are filtered in the database; the free text
is matched in Python on folded names (Traditional and Simplified alike); whether a body is accredited on a
date follows its accreditations' status events, so `cepa.decisions` alone answers that facet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from cepa.bodies import selectors as bodies
from cepa.bodies.models import (
    Accreditation,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
    OrganisationKind,
    Scheme,
    Seat,
)
from cepa.catalogue.models import Category
from cepa.decisions.selectors import accredited_organisations, agreement_in_force_filter, in_force_filter
from cepa.web.public import products
from cepa.web.public.text import beijing_today, fold, local_name, matches

PAGE_SIZE = 25
STATUSES = {
    "accredited": _("Has an active accreditation"),
    "designated": _("Has a designation in force"),
    "agreement": _("Is party to an agreement in force"),
}
SORTS = ("name", "-name", "kind", "-kind", "seat", "-seat")
NAME_FIELDS = ("name_en", "name_zh_hant", "name_zh_hans")
ORGANISATION_FIELDS = ("id", *NAME_FIELDS, "kind", "seat", "hk_invested", "cnca_code")
DATE_ERROR = _("Enter the date as year-month-day, for example 2026-11-26.")


def _choices(table: dict[str, Any], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *table.items()]


def categories_of(catalogue: products.Catalogue) -> list[Category]:
    """The categories that have product types, in catalogue order (read with the types: no query)."""
    found = {product.category_id: product.category for product in catalogue.types}
    return sorted(found.values(), key=lambda c: (c.number_2023 or 99, c.number_2020 or 99, c.key))


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or id"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of body"), required=False, choices=())
    seat = forms.ChoiceField(label=_("Based in"), required=False, choices=())
    hk_invested = forms.ChoiceField(label=_("Set up by a Hong Kong enterprise"), required=False, choices=())
    scheme = forms.ChoiceField(label=_("Accreditation scheme"), required=False, choices=())
    category = forms.ChoiceField(label=_("Product category"), required=False, choices=())
    product = forms.CharField(label=_("Product type (code or name)"), required=False, max_length=300)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())
    on = forms.DateField(label=_("On date"), required=False, input_formats=["%Y-%m-%d"],
                         error_messages={"invalid": DATE_ERROR})
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data: Any, catalogue: products.Catalogue, lang: str) -> None:
        super().__init__(data)
        self.catalogue = catalogue
        choices: dict[str, list[tuple[str, Any]]] = {
            "kind": [("", _("Any kind")), *OrganisationKind.choices],
            "seat": [("", _("Anywhere")), *Seat.choices],
            "hk_invested": [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))],
            "scheme": [("", _("Any scheme")), *Scheme.choices],  # scheme names are not translated
            "category": [("", _("Any category"))]
            + [(c.key, local_name(c, lang).text) for c in categories_of(catalogue)],
            "status": _choices(STATUSES, _("Any status")),
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        self.product_choice = products.ProductChoice("")

    def clean_product(self) -> str:
        value: str = self.cleaned_data.get("product") or ""
        self.product_choice = products.choose(value, self.catalogue)
        if value and not self.product_choice.chosen:
            raise forms.ValidationError(self.product_choice.error)
        return value

    @property
    def day(self) -> dt.date:
        return self.cleaned_data.get("on") or beijing_today()


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    seat: str = ""
    hk_invested: bool | None = None
    scheme: str = ""
    codes: frozenset[str] | None = None  # product type or category: bodies whose records cover one
    status: str = ""
    on: dt.date = field(default_factory=beijing_today)

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.seat or self.hk_invested is not None or self.scheme
                    or self.codes is not None or self.status)

    @classmethod
    def from_form(cls, form: DirectoryForm) -> Filters:
        data = form.cleaned_data
        codes: frozenset[str] | None = None
        product = form.product_choice.product
        if form.product_choice.code and product is not None:
            # Records may name the type under any of its codes (contract §1, rev. 2).
            codes = frozenset({product.key, *product.all_codes})
        elif data.get("category"):
            codes = frozenset(form.catalogue.codes_of_category(data["category"]))
        invested = {"yes": True, "no": False}.get(data.get("hk_invested") or "")
        return cls(
            q=data.get("q") or "", kind=data.get("kind") or "", seat=data.get("seat") or "",
            hk_invested=invested, scheme=data.get("scheme") or "", codes=codes,
            status=data.get("status") or "", on=form.day,
        )


def _scope(model: type[Any], owner: str, codes: Collection[str]) -> QuerySet[Any]:
    """Scope rows covering one of `codes` of records owned by the outer organisation."""
    return model.objects.filter(product_type__in=list(codes), **{owner: OuterRef("pk")})


def filtered_organisations(filters: Filters) -> QuerySet[Organisation]:
    """The database part of the search: one query when evaluated."""
    queryset = bodies.organisations(
        AnonymousUser(), kind=filters.kind or None, seat=filters.seat or None, hk_invested=filters.hk_invested
    )
    if filters.scheme:
        queryset = queryset.filter(
            Exists(Accreditation.objects.filter(organisation=OuterRef("pk"), scheme=filters.scheme))
        )
    codes = filters.codes
    if codes is not None:
        queryset = queryset.filter(
            Exists(_scope(AccreditationScope, "accreditation__organisation", codes))
            | Exists(_scope(DesignationScope, "designation__organisation", codes))
            | Exists(_scope(AgreementScope, "agreement__party", codes))
        )
    on = filters.on
    if filters.status == "designated":
        designations = Designation.objects.filter(in_force_filter(on), organisation=OuterRef("pk"))
        if codes is not None:
            designations = designations.filter(scope_entries__product_type__in=list(codes))
        queryset = queryset.filter(Exists(designations))
    elif filters.status == "agreement":
        agreements = Agreement.objects.filter(agreement_in_force_filter(on), party=OuterRef("pk"))
        if codes is not None:
            agreements = agreements.filter(scope_entries__product_type__in=list(codes))
        queryset = queryset.filter(Exists(agreements))
    # "accredited" is judged on the rows by cepa.decisions (see `search`): it follows status events.
    return queryset


def search(filters: Filters) -> list[dict[str, Any]]:
    """Every organisation that matches, as rows of ORGANISATION_FIELDS, ordered by id."""
    rows = list(filtered_organisations(filters).values(*ORGANISATION_FIELDS).order_by("id"))
    if filters.status == "accredited" and rows:
        accredited = accredited_organisations(
            [row["id"] for row in rows], filters.on, scheme=filters.scheme or None, codes=filters.codes
        )
        rows = [row for row in rows if row["id"] in accredited]
    if filters.q:
        by_accreditation = set(
            Accreditation.objects.filter(id__icontains=filters.q.strip())
            .values_list("organisation_id", flat=True)
        )
        rows = [
            row for row in rows
            if row["id"] in by_accreditation or matches(filters.q, [
                row["id"], row["name_en"], row["name_zh_hant"], row["name_zh_hans"], row["cnca_code"] or ""
            ])
        ]
    return rows


def sort_rows(rows: list[dict[str, Any]], sort: str, lang: str) -> list[dict[str, Any]]:
    key = sort.lstrip("-") or "name"
    kind_order = list(OrganisationKind.values)
    seat_order = list(Seat.values)

    def name_key(row: dict[str, Any]) -> str:
        return fold(local_name(row, lang).text)

    def sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
        if key == "kind":
            return (kind_order.index(row["kind"]) if row["kind"] in kind_order else 99, name_key(row))
        if key == "seat":
            return (seat_order.index(row["seat"]) if row["seat"] in seat_order else 99, name_key(row))
        return (name_key(row), row["id"])

    return sorted(rows, key=sort_key, reverse=sort.startswith("-"))


def accreditations_of(org_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(id, scheme) of each organisation's accreditations. One query."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for accreditation_id, organisation, scheme in (
        Accreditation.objects.filter(organisation_id__in=org_ids)
        .order_by("id")
        .values_list("id", "organisation_id", "scheme")
    ):
        found[organisation].append((accreditation_id, scheme))
    return found
