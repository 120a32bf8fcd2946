"""The catalogue's product categories."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router

from cepa.api.catalogue.records import names, provenance
from cepa.api.catalogue.schemas import CategoryOut
from cepa.catalogue import selectors

router = Router(tags=["Catalogue"])


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
