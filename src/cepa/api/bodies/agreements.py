"""Agreements of the registry: the list, one record, and its replacement by an administrator."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user
from cepa.api.bodies.schemas import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    AgreementFilters,
    AgreementOut,
    AgreementPage,
)
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import ADMIN, READ, found
from cepa.bodies import selectors
from cepa.bodies.models import Agreement

router = Router(tags=["Registry"])
records = Router(tags=["Registry"])


@router.get("/agreements", response={200: AgreementPage, **LIST_ERRORS}, **READ)
def list_agreements(
    request: HttpRequest, filters: Query[AgreementFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Cooperation agreements in the registry, sorted by id."""
    queryset = selectors.agreements(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, partial(selectors.registry_records, "agreements"))


@records.get("/agreements/{path:record_id}", response={200: AgreementOut, **DETAIL_ERRORS}, **READ)
def get_agreement(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("agreement", selectors.agreement, request, record_id)


# The body is one record in interchange shape; the importer validates it.
@records.put(
    "/agreements/{path:record_id}",
    response={200: AgreementOut, 201: AgreementOut, **WRITE_ERRORS},
    **ADMIN,
    openapi_extra=record_body("agreements"),
)
def put_agreement(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the agreement as a whole."""
    created = upsert_record(request, list_name="agreements", model=Agreement, record_id=record_id)
    return Status(201 if created else 200, get_agreement(request, record_id))
