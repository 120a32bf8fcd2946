"""Organisations of the registry: the list, one record, and its replacement by an administrator."""

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
    OrganisationFilters,
    OrganisationOut,
    OrganisationPage,
)
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import ADMIN, READ, found
from cepa.bodies import selectors
from cepa.bodies.models import Organisation

router = Router(tags=["Registry"])
records = Router(tags=["Registry"])


@router.get("/organisations", response={200: OrganisationPage, **LIST_ERRORS}, **READ)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Organisations, sorted by id. `q` searches the id and the three names."""
    queryset = selectors.organisations(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, partial(selectors.registry_records, "organisations"))


@records.get("/organisations/{path:record_id}", response={200: OrganisationOut, **DETAIL_ERRORS}, **READ)
def get_organisation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("organisation", selectors.organisation, request, record_id)


# The body is one record in interchange shape; the importer validates it.
@records.put(
    "/organisations/{path:record_id}",
    response={200: OrganisationOut, 201: OrganisationOut, **WRITE_ERRORS},
    **ADMIN,
    openapi_extra=record_body("organisations"),
)
def put_organisation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the organisation as a whole (recorded in the history)."""
    created = upsert_record(request, list_name="organisations", model=Organisation, record_id=record_id)
    return Status(201 if created else 200, get_organisation(request, record_id))
