"""The directory of bodies: a faceted search over organisations, read in a fixed number of queries.

The facets are the organisations' FilterSet (cepa.bodies.filters), which the API list and the open-data
downloads apply too. Facets that are plain columns or the existence of a record are filtered in the
database; the free text
is matched in Python on folded names (Traditional and Simplified alike); whether a body is accredited on a
date follows its accreditations' status events, so `cepa.decisions` alone answers that facet.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cepa.bodies import selectors as bodies
from cepa.bodies.filters import OrganisationFilter, OrganisationStatus
from cepa.bodies.models import Accreditation, Organisation, OrganisationKind, Scheme, Seat
from cepa.catalogue.models import Category
from cepa.web.public import products
from cepa.web.public.text import fold, local_name, matches

PAGE_SIZE = 25
SORTS = ("name", "-name", "kind", "-kind", "seat", "-seat")
NAME_FIELDS = ("name_en", "name_zh_hant", "name_zh_hans")
ORGANISATION_FIELDS = ("id", *NAME_FIELDS, "kind", "seat", "hk_invested", "cnca_code")
DATE_ERROR = _("Enter the date as year-month-day, for example 2026-11-26.")


def categories_of(catalogue: products.Catalogue) -> list[Category]:
    """The categories that have product types, in catalogue order (read with the types: no query)."""
    found = {product.category_id: product.category for product in catalogue.types}
    return sorted(found.values(), key=lambda c: (c.number_2023 or 99, c.number_2020 or 99, c.key))


class DirectoryForm(forms.Form):
    """The form of DirectoryFilter: the page's labels and choices in its language, the product typed as
    a code or a name, the order and the page."""

    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1)
    field_order = ("q", "kind", "seat", "hk_invested", "scheme", "category", "product", "status", "on")

    def __init__(self, data: Any, *, catalogue: products.Catalogue, lang: str) -> None:
        super().__init__(data)
        self.catalogue = catalogue
        labels = {
            "q": _("Name or id"), "kind": _("Kind of body"), "seat": _("Based in"),
            "hk_invested": _("Set up by a Hong Kong enterprise"), "scheme": _("Accreditation scheme"),
            "category": _("Product category"), "product": _("Product type (code or name)"),
            "status": _("Status"), "on": _("On date"),
        }
        choices: dict[str, list[tuple[str, Any]]] = {
            "kind": [("", _("Any kind")), *OrganisationKind.choices],
            "seat": [("", _("Anywhere")), *Seat.choices],
            "hk_invested": [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))],
            "scheme": [("", _("Any scheme")), *Scheme.choices],  # scheme names are not translated
            "category": [("", _("Any category"))]
            + [(c.key, local_name(c, lang).text) for c in categories_of(catalogue)],
            "status": [("", _("Any status")), *OrganisationStatus.choices],
        }
        for name, label in labels.items():
            self.fields[name].label = label
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


class CategoryFilter(django_filters.Filter):
    field_class = forms.ChoiceField  # the choices are the catalogue's, set by DirectoryForm


class DirectoryFilter(OrganisationFilter):
    """The organisations' filters (cepa.bodies.filters), with the product typed as a code or a name, or a
    whole category, in place of `product_type`. Two steps stay outside the database query, in `search`:
    the free text, matched on folded names (Traditional and Simplified alike), and "accredited", judged
    on the rows found (one query fewer than a subquery of ids)."""

    product_type = None  # type: ignore[assignment]
    category = CategoryFilter()
    product = django_filters.CharFilter(max_length=300)

    TOGETHER = (*OrganisationFilter.TOGETHER, "category", "product")

    class Meta:
        form = DirectoryForm

    def __init__(self, data: Any, catalogue: products.Catalogue, lang: str) -> None:
        self.catalogue = catalogue
        self.lang = lang
        super().__init__(data, queryset=bodies.organisations(AnonymousUser()))

    @property
    def form(self) -> DirectoryForm:
        if not hasattr(self, "_form"):
            self._form = self.get_form_class()(self.data, catalogue=self.catalogue, lang=self.lang)
        return self._form  # type: ignore[no-any-return]

    def codes(self) -> frozenset[str] | None:
        """Bodies whose records cover one of these product types: the one chosen, or its category's."""
        if self.form.product_choice.code:
            return frozenset({self.form.product_choice.code})
        category = self.form.cleaned_data.get("category")
        return frozenset(self.catalogue.codes_of_category(category)) if category else None

    def id_or_name(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset  # matched on the rows, see `search`

    def keep_accredited(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        return queryset  # judged on the rows, see `search`

    @property
    def text(self) -> str:
        return str(self.form.cleaned_data.get("q") or "").strip()

    @property
    def active(self) -> bool:
        data = self.form.cleaned_data
        return bool(
            self.text or data.get("kind") or data.get("seat") or data.get("hk_invested") is not None
            or data.get("scheme") or self.codes() is not None or self.status_asked
        )


def search(filters: DirectoryFilter) -> list[dict[str, Any]]:
    """Every organisation that matches (the filters being valid), as rows of ORGANISATION_FIELDS, ordered
    by id."""
    rows = list(filters.qs.values(*ORGANISATION_FIELDS).order_by("id"))
    if filters.status_asked == OrganisationStatus.ACCREDITED and rows:
        accredited = filters.accredited([row["id"] for row in rows])
        rows = [row for row in rows if row["id"] in accredited]
    q = filters.text
    if q:
        by_accreditation = set(
            Accreditation.objects.filter(id__icontains=q).values_list("organisation_id", flat=True)
        )
        rows = [
            row for row in rows
            if row["id"] in by_accreditation or matches(q, [
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
