"""Designations of the registry: the list, one record, and its replacement by an administrator."""

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
    DesignationFilters,
    DesignationOut,
    DesignationPage,
)
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import ADMIN, READ, found
from cepa.bodies import selectors
from cepa.bodies.models import Designation

router = Router(tags=["Registry"])
records = Router(tags=["Registry"])


@router.get("/designations", response={200: DesignationPage, **LIST_ERRORS}, **READ)
def list_designations(
    request: HttpRequest, filters: Query[DesignationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """CNCA designations, sorted by id."""
    queryset = selectors.designations(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, partial(selectors.registry_records, "designations"))


@records.get("/designations/{path:record_id}", response={200: DesignationOut, **DETAIL_ERRORS}, **READ)
def get_designation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("designation", selectors.designation, request, record_id)


# The body is one record in interchange shape; the importer validates it.
@records.put(
    "/designations/{path:record_id}",
    response={200: DesignationOut, 201: DesignationOut, **WRITE_ERRORS},
    **ADMIN,
    openapi_extra=record_body("designations"),
)
def put_designation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the designation as a whole."""
    created = upsert_record(request, list_name="designations", model=Designation, record_id=record_id)
    return Status(201 if created else 200, get_designation(request, record_id))
