"""The registry's records of bodies as the API shows them, their pages and their filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from cepa.api.errors import BadRequestOut, ErrorOut
from cepa.api.pagination import page_schema
from cepa.api.schemas import Names, Provenance
from cepa.bodies.models import (
    AccreditationStatus,
    AgreementKind,
    DesignationRole,
    OrganisationKind,
    Scheme,
    Seat,
)
from cepa.catalogue.models import CODE_OR_KEY

LIST_ERRORS: dict[Any, Any] = {400: BadRequestOut, 401: ErrorOut}
DETAIL_ERRORS: dict[Any, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[Any, Any] = {400: BadRequestOut, 401: ErrorOut, 403: ErrorOut}


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
    product_type: str | None = Field(None, pattern=CODE_OR_KEY, description="Scope covers this product type")


class DesignationFilters(Schema):
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    role: DesignationRole | None = None
    product_type: str | None = Field(None, pattern=CODE_OR_KEY)
    in_force_on: dt.date | None = Field(None, description="In force on this date (range inclusive)")


class AgreementFilters(Schema):
    party: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    counterparty: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    kind: AgreementKind | None = None
    product_type: str | None = Field(None, pattern=CODE_OR_KEY)
    in_force_on: dt.date | None = Field(None, description="In force on this date (until and terminated_on)")
