"""Inspectors: public reads (public fields only) and administrators' PUT through the importer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cepa.api.auth import OPTIONAL_SECURITY, admin_auth, current_user, optional_auth
from cepa.api.errors import BadRequestOut, ErrorOut, NotFound
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.bodies.api import Names, record_id_ok
from cepa.personnel import selectors
from cepa.personnel.models import Grade, Inspector, InspectorStatus

router = Router(tags=["Inspectors"])
records = Router(tags=["Inspectors"])

READ: dict[Any, Any] = {
    "auth": optional_auth,
    "openapi_extra": OPTIONAL_SECURITY,
    "by_alias": True,
    "exclude_unset": True,
}


class AffiliationOut(Schema):
    organisation: str
    valid_from: dt.date = Field(..., alias="from")
    until: dt.date | None = None


class InspectorOut(Schema):
    """The public fields of a registration; personal data is never part of it."""

    id: str
    name: Names
    grade: Grade = Field(..., description="The grade at registration")
    specialties: list[str]
    registered: dt.date
    expires: dt.date
    affiliations: list[AffiliationOut]
    status: InspectorStatus = Field(..., description="Status on `as_of`")
    current_grade: Grade = Field(..., description="Grade on `as_of`")
    registration_valid: bool = Field(..., description="`as_of` lies between registered and expires")
    organisation: str | None = Field(..., description="The organisation affiliated on `as_of`")
    as_of: dt.date = Field(..., description="Today in Beijing time")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "2024-CCC-HK-0007",
                    "name": {"en": "Wong Ka Yan", "zh-Hant": "黃嘉欣"},
                    "grade": "inspector",
                    "specialties": ["07"],
                    "registered": "2024-05-01",
                    "expires": "2027-04-30",
                    "affiliations": [{"organisation": "hk-cb-lionrock", "from": "2024-05-01"}],
                    "status": "active",
                    "current_grade": "inspector",
                    "registration_valid": True,
                    "organisation": "hk-cb-lionrock",
                    "as_of": "2026-05-20",
                }
            ]
        }
    }


InspectorPage = page_schema("InspectorPage", InspectorOut)


class InspectorFilters(Schema):
    organisation: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="Affiliated with this organisation today"
    )
    q: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[^\x00]*$",
        description="Text in the registration number or any of the names",
    )


@router.get("/inspectors", response={200: InspectorPage, 400: BadRequestOut, 401: ErrorOut}, **READ)
def list_inspectors(
    request: HttpRequest, filters: Query[InspectorFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Registered CCC factory inspectors, sorted by registration number."""
    queryset = selectors.inspectors(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.public_records)


@records.get(
    "/inspectors/{path:record_id}", response={200: InspectorOut, 401: ErrorOut, 404: ErrorOut}, **READ
)
def get_inspector(request: HttpRequest, record_id: str) -> dict[str, Any]:
    found = selectors.inspector(current_user(request), record_id) if record_id_ok(record_id) else None
    if found is None:
        raise NotFound(f"no inspector with id {record_id!r}")
    return found


@records.put(
    "/inspectors/{path:record_id}",
    response={200: InspectorOut, 201: InspectorOut, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut},
    auth=admin_auth,
    openapi_extra=record_body("inspectors"),
    by_alias=True,
    exclude_unset=True,
)
def put_inspector(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the registration, its affiliations and events (interchange shape)."""
    created = upsert_record(request, list_name="inspectors", model=Inspector, record_id=record_id)
    return Status(201 if created else 200, get_inspector(request, record_id))
