"""The public registry of bodies: organisations, accreditations, designations and agreements.

Reading needs no account; PUT of a record (interchange shape) needs an administrator's token and
goes through the importer. Per-record routes live on `records`, mounted last (see cepa.api.api).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cepa.api.auth import admin_auth, current_user
from cepa.api.errors import BadRequestOut, ErrorOut, NotFound
from cepa.api.imports import upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.api.routes import READ
from cepa.bodies import selectors
from cepa.bodies.models import (
    Accreditation,
    AccreditationStatus,
    Agreement,
    AgreementKind,
    Designation,
    DesignationRole,
    Organisation,
    OrganisationKind,
    Scheme,
    Seat,
)

router = Router(tags=["Registry"])
records = Router(tags=["Registry"])

CODE = r"^[0-9]{4}$"
WRITE: dict[Any, Any] = {
    "auth": admin_auth,
    "by_alias": True,
    "exclude_unset": True,
}  # body documented by record_body
LIST_ERRORS: dict[Any, Any] = {400: BadRequestOut, 401: ErrorOut}
DETAIL_ERRORS: dict[Any, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[Any, Any] = {400: BadRequestOut, 401: ErrorOut, 403: ErrorOut}


class Names(Schema):
    en: str
    zh_hant: str | None = Field(None, alias="zh-Hant")
    zh_hans: str | None = Field(None, alias="zh-Hans")


class Provenance(Schema):
    source: str | None = Field(None, description="Where the data comes from")
    note: str | None = None


class OrganisationOut(Provenance):
    id: str
    name: Names
    kind: OrganisationKind
    seat: Seat
    hk_invested: bool = False
    cnca_code: str | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "hk-lab-harbour",
                    "name": {"en": "Harbour Product Testing Ltd", "zh-Hant": "海港產品測試有限公司"},
                    "kind": "laboratory",
                    "seat": "HK",
                    "hk_invested": False,
                }
            ]
        }
    }


class AccreditationEventOut(Provenance):
    on: dt.date
    status: AccreditationStatus
    scope: list[str] | None = None
    reason: str | None = None
    basis: str | None = None


class AccreditationOut(Provenance):
    id: str
    organisation: str
    scheme: Scheme
    scope: list[str]
    granted: dt.date
    events: list[AccreditationEventOut] = []

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "HOKLAS 950",
                    "organisation": "hk-lab-harbour",
                    "scheme": "HOKLAS",
                    "scope": ["0701", "0915"],
                    "granted": "2020-09-01",
                    "events": [
                        {"on": "2026-02-01", "status": "suspended", "scope": ["0915"], "reason": "voluntary"}
                    ],
                }
            ]
        }
    }


class DesignationOut(Provenance):
    id: str
    organisation: str
    role: DesignationRole
    product_types: list[str]
    valid_from: dt.date = Field(..., alias="from")
    until: dt.date | None = None
    basis: str | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "CNCA-CB-57",
                    "organisation": "cn-cb-east",
                    "role": "certification_body",
                    "product_types": ["0701", "0915"],
                    "from": "2017-01-01",
                    "basis": "CNCA designation plan 2016-2",
                }
            ]
        }
    }


class AgreementOut(Provenance):
    id: str
    kind: AgreementKind
    party: str
    counterparty: str
    product_types: list[str]
    valid_from: dt.date = Field(..., alias="from")
    until: dt.date | None = None
    terminated_on: dt.date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "AGR-2021-014",
                    "kind": "testing",
                    "party": "hk-lab-harbour",
                    "counterparty": "cn-cb-east",
                    "product_types": ["0701", "0915"],
                    "from": "2021-03-01",
                    "until": "2026-02-28",
                }
            ]
        }
    }


OrganisationPage = page_schema("OrganisationPage", OrganisationOut)
AccreditationPage = page_schema("AccreditationPage", AccreditationOut)
DesignationPage = page_schema("DesignationPage", DesignationOut)
AgreementPage = page_schema("AgreementPage", AgreementOut)


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = None
    seat: Seat | None = None
    hk_invested: bool | None = None
    q: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="Text in the id or any of the three names"
    )


class AccreditationFilters(Schema):
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    scheme: Scheme | None = None
    product_type: str | None = Field(None, pattern=CODE, description="Scope covers this product type")


class DesignationFilters(Schema):
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    role: DesignationRole | None = None
    product_type: str | None = Field(None, pattern=CODE)
    in_force_on: dt.date | None = Field(None, description="In force on this date (range inclusive)")


class AgreementFilters(Schema):
    party: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    counterparty: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    kind: AgreementKind | None = None
    product_type: str | None = Field(None, pattern=CODE)
    in_force_on: dt.date | None = Field(None, description="In force on this date (until and terminated_on)")


def record_id_ok(record_id: str) -> bool:
    return "\x00" not in record_id and len(record_id) <= 200


def found(
    kind: str, finder: Callable[[Any, str], dict[str, Any] | None], request: HttpRequest, record_id: str
) -> dict[str, Any]:
    """The record `finder` shows this user, else 404 (an id holding NUL or too long is simply unknown)."""
    record = finder(current_user(request), record_id) if record_id_ok(record_id) else None
    if record is None:
        raise NotFound(f"no {kind} with id {record_id!r}")
    return record


# Lists


@router.get("/organisations", response={200: OrganisationPage, **LIST_ERRORS}, **READ)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Organisations, sorted by id. `q` searches the id and the three names."""
    queryset = selectors.organisations(current_user(request), **filters.model_dump())
    return paginate(queryset, page, partial(selectors.registry_records, "organisations"))


@router.get("/accreditations", response={200: AccreditationPage, **LIST_ERRORS}, **READ)
def list_accreditations(
    request: HttpRequest, filters: Query[AccreditationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Accreditations with their scope and status events, sorted by id."""
    queryset = selectors.accreditations(current_user(request), **filters.model_dump())
    return paginate(queryset, page, partial(selectors.registry_records, "accreditations"))


@router.get("/designations", response={200: DesignationPage, **LIST_ERRORS}, **READ)
def list_designations(
    request: HttpRequest, filters: Query[DesignationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """CNCA designations, sorted by id."""
    queryset = selectors.designations(current_user(request), **filters.model_dump())
    return paginate(queryset, page, partial(selectors.registry_records, "designations"))


@router.get("/agreements", response={200: AgreementPage, **LIST_ERRORS}, **READ)
def list_agreements(
    request: HttpRequest, filters: Query[AgreementFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Cooperation agreements in the registry, sorted by id."""
    queryset = selectors.agreements(current_user(request), **filters.model_dump())
    return paginate(queryset, page, partial(selectors.registry_records, "agreements"))


# Records


@records.get("/organisations/{path:record_id}", response={200: OrganisationOut, **DETAIL_ERRORS}, **READ)
def get_organisation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("organisation", selectors.organisation, request, record_id)


@records.get("/accreditations/{path:record_id}", response={200: AccreditationOut, **DETAIL_ERRORS}, **READ)
def get_accreditation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("accreditation", selectors.accreditation, request, record_id)


@records.get("/designations/{path:record_id}", response={200: DesignationOut, **DETAIL_ERRORS}, **READ)
def get_designation(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("designation", selectors.designation, request, record_id)


@records.get("/agreements/{path:record_id}", response={200: AgreementOut, **DETAIL_ERRORS}, **READ)
def get_agreement(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return found("agreement", selectors.agreement, request, record_id)


# Writes (administrators): the body is one record in interchange shape; the importer validates it.


@records.put(
    "/organisations/{path:record_id}",
    response={200: OrganisationOut, 201: OrganisationOut, **WRITE_ERRORS},
    **WRITE,
    openapi_extra=record_body("organisations"),
)
def put_organisation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the organisation as a whole (recorded in the history)."""
    created = upsert_record(request, list_name="organisations", model=Organisation, record_id=record_id)
    return Status(201 if created else 200, get_organisation(request, record_id))


@records.put(
    "/accreditations/{path:record_id}",
    response={200: AccreditationOut, 201: AccreditationOut, **WRITE_ERRORS},
    **WRITE,
    openapi_extra=record_body("accreditations"),
)
def put_accreditation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the accreditation, its scope and events as a whole."""
    created = upsert_record(request, list_name="accreditations", model=Accreditation, record_id=record_id)
    return Status(201 if created else 200, get_accreditation(request, record_id))


@records.put(
    "/designations/{path:record_id}",
    response={200: DesignationOut, 201: DesignationOut, **WRITE_ERRORS},
    **WRITE,
    openapi_extra=record_body("designations"),
)
def put_designation(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the designation as a whole."""
    created = upsert_record(request, list_name="designations", model=Designation, record_id=record_id)
    return Status(201 if created else 200, get_designation(request, record_id))


@records.put(
    "/agreements/{path:record_id}",
    response={200: AgreementOut, 201: AgreementOut, **WRITE_ERRORS},
    **WRITE,
    openapi_extra=record_body("agreements"),
)
def put_agreement(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the agreement as a whole."""
    created = upsert_record(request, list_name="agreements", model=Agreement, record_id=record_id)
    return Status(201 if created else 200, get_agreement(request, record_id))
