"""The catalogue versions (each published catalogue and what this registry attaches to it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router

from cepa.api.catalogue.records import instrument_ref, provenance
from cepa.api.catalogue.schemas import VersionOut
from cepa.catalogue import selectors

router = Router(tags=["Catalogue"])


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
