"""Accreditations of the registry: the list, one record, and its replacement by an administrator."""

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
    AccreditationFilters,
    AccreditationOut,
    AccreditationPage,
)
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import ADMIN, READ, found
from cepa.bodies import selectors
from cepa.bodies.models import Accreditation

router = Router(tags=["Registry"])
records = Router(tags=["Registry"])


@router.get("/accreditations", response={200: AccreditationPage, **LIST_ERRORS}, **READ)
def list_accreditations(
    request: HttpRequest, filters: Query[AccreditationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Accreditations with their scope and status events, sorted by id."""
    queryset = selectors.accreditations(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, partial(selectors.registry_records, "accreditations"))


@records.get("/accreditations/{path:record_id}", response={200: AccreditationOut, **DETAIL_ERRORS}, **READ)
def get_accreditation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("accreditation", selectors.accreditation, request, record_id)


# The body is one record in interchange shape; the importer validates it.
@records.put(
    "/accreditations/{path:record_id}",
    response={200: AccreditationOut, 201: AccreditationOut, **WRITE_ERRORS},
    **ADMIN,
    openapi_extra=record_body("accreditations"),
)
def put_accreditation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the accreditation, its scope and events as a whole."""
    created = upsert_record(request, list_name="accreditations", model=Accreditation, record_id=record_id)
    return Status(201 if created else 200, get_accreditation(request, record_id))
