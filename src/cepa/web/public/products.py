"""Choosing a product type by code or by name in any language (one query for the whole catalogue)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from cepa.catalogue.models import ProductType
from cepa.catalogue.selectors import product_types
from cepa.httpcache import Version, current_version
from cepa.web.public.text import fold, matches

LEADING_CODE = re.compile(r"^\s*(\d{4})(?!\d)")
# Everyday names and synonyms of product types, as data with their source (data/README.md).
SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "product_synonyms.json"
SYNONYM_LANGUAGES = ("en", "zh-Hant", "zh-Hans")


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Catalogue key → the everyday names and synonyms people search it by, in the three languages."""
    document = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, ...]] = {}
    for entry in document["synonyms"]:
        words = tuple(word for language in SYNONYM_LANGUAGES for word in entry[language])
        found[entry["key"]] = found.get(entry["key"], ()) + words
    return found


@dataclass
class Catalogue:
    """Every product type (with its category), and each code (main or bundled) mapped to its type."""

    types: list[ProductType]
    by_code: dict[str, ProductType]

    @classmethod
    def load(cls) -> Catalogue:
        """The catalogue; within a public request, the one this process last read at the same registry
        version (every change of the catalogue raises the version), else read afresh (one query). Kept
        only while public pages are kept (CEPA_PAGE_CACHE_SECONDS)."""
        version = current_version() if settings.CEPA_PAGE_CACHE_SECONDS > 0 else None
        kept = _KEPT.get("catalogue")
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        types = list(product_types().prefetch_related(None).order_by("code", "key"))
        by_code: dict[str, ProductType] = {}
        for product in types:
            for code in product.all_codes:
                by_code.setdefault(code, product)
        catalogue = cls(types, by_code)
        if version is not None:
            _KEPT["catalogue"] = (version, catalogue)
        return catalogue

    @property
    def coded(self) -> list[ProductType]:
        return [product for product in self.types if product.code]

    def codes_of_category(self, category_key: str) -> set[str]:
        """Every name records may give the category's types: their codes, and the keys of those without."""
        return {
            code
            for product in self.types
            if product.category_id == category_key
            for code in (product.key, *product.all_codes)
        }


# The catalogue last read in a public request, with the registry version it was read at.
_KEPT: dict[str, tuple[Version, Catalogue]] = {}

@dataclass
class ProductChoice:
    query: str
    code: str | None = None
    product: ProductType | None = None
    candidates: list[ProductType] = field(default_factory=list)
    error: str = ""

    @property
    def chosen(self) -> bool:
        return self.code is not None


def _texts(product: ProductType) -> list[str]:
    """What a search compares: the key, the names in three languages, every code (main and bundled) and the
    everyday names of the synonyms file."""
    return [
        product.key,
        product.name_en,
        product.name_zh_hant,
        product.name_zh_hans,
        *product.all_codes,
        *synonyms().get(product.key, ()),
    ]


def choose(query: str, catalogue: Catalogue) -> ProductChoice:
    """The product type `query` names: a 4-digit code (also at the start, as the suggestions give it),
    else the one type whose name (in any language, Traditional or Simplified) contains every word."""
    query = (query or "").strip()
    choice = ProductChoice(query)
    if not query:
        return choice
    code = LEADING_CODE.match(query)
    if code:
        product = catalogue.by_code.get(code.group(1))
        if product is None:
            choice.error = _("No product type has the code %(code)s.") % {"code": code.group(1)}
            return choice
        choice.code, choice.product = code.group(1), product
        return choice
    folded = fold(query)
    found = [product for product in catalogue.types if matches(query, _texts(product))]
    exact = [p for p in found if folded in {fold(text) for text in _texts(p)}]
    if len(exact) == 1:
        found = exact
    if not found:
        choice.error = _("No product type matches “%(query)s”. Try a code such as 0701, or fewer words.") % {
            "query": query
        }
    elif len(found) > 1:
        choice.candidates = found
        choice.error = _("%(count)s product types match “%(query)s”. Choose one.") % {
            "count": len(found), "query": query
        }
    elif not found[0].code:
        choice.product = found[0]
        choice.error = _(
            "This product type has no published code yet, so the registry cannot answer for it."
        )
    else:
        choice.product, choice.code = found[0], found[0].code
    return choice
