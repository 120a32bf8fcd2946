"""Designation plans (published ones are public) and expressions of interest (not public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cepa.accounts import permissions
from cepa.api.auth import OPTIONAL_SECURITY, current_user, optional_auth, token_auth
from cepa.api.errors import BadRequestOut, ErrorOut, Forbidden, NotFound
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.bodies.api import Provenance, record_id_ok
from cepa.bodies.models import DesignationRole
from cepa.designation import selectors
from cepa.designation.models import PlanStatus

router = Router(tags=["Designation plans"])
records = Router(tags=["Designation plans"])

READ: dict[Any, Any] = {
    "auth": optional_auth,
    "openapi_extra": OPTIONAL_SECURITY,
    "by_alias": True,
    "exclude_unset": True,
}
PRIVATE: dict[Any, Any] = {"auth": token_auth, "by_alias": True, "exclude_unset": True}


class WindowOut(Schema):
    opens: dt.datetime
    closes: dt.datetime


class PlanOut(Provenance):
    id: str
    year: int
    role: DesignationRole
    product_types: list[str]
    published: dt.date | None = None
    window: WindowOut
    requires_expression_of_interest: bool
    status: PlanStatus = Field(
        ..., description="draft plans are seen only by CNCA officers and administrators"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "2026-1",
                    "year": 2026,
                    "role": "laboratory",
                    "product_types": ["0915"],
                    "published": "2026-06-01",
                    "window": {"opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00"},
                    "requires_expression_of_interest": True,
                    "status": "published",
                }
            ]
        }
    }


class ExpressionOfInterestOut(Provenance):
    id: str
    organisation: str
    year: int
    product_types: list[str]
    submitted: dt.datetime

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "EOI-2026-0031",
                    "organisation": "cn-lab-pearl",
                    "year": 2026,
                    "product_types": ["0915"],
                    "submitted": "2026-03-20T11:15:00+08:00",
                }
            ]
        }
    }


PlanPage = page_schema("PlanPage", PlanOut)
ExpressionOfInterestPage = page_schema("ExpressionOfInterestPage", ExpressionOfInterestOut)


class PlanFilters(Schema):
    year: int | None = Field(None, ge=1900, le=9999)
    role: DesignationRole | None = None
    status: PlanStatus | None = None


class ExpressionOfInterestFilters(Schema):
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    year: int | None = Field(None, ge=1900, le=9999)


def _may_read_expressions(request: HttpRequest) -> None:
    if not permissions.can(current_user(request), "expressions_of_interest.view"):
        raise Forbidden("only officers, administrators and applicants may read expressions of interest")


@router.get("/plans", response={200: PlanPage, 400: BadRequestOut, 401: ErrorOut}, **READ)
def list_plans(request: HttpRequest, filters: Query[PlanFilters], page: Query[PageParams]) -> dict[str, Any]:
    """Designation plans: published ones for everyone, drafts too for CNCA officers and administrators."""
    return paginate(
        selectors.plans(current_user(request), **filters.model_dump()), page, selectors.plan_records
    )


@router.get(
    "/expressions-of-interest",
    response={200: ExpressionOfInterestPage, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut},
    **PRIVATE,
)
def list_expressions_of_interest(
    request: HttpRequest, filters: Query[ExpressionOfInterestFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Officers and administrators see all; an applicant sees their own organisation's."""
    _may_read_expressions(request)
    queryset = selectors.expressions_of_interest(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.expression_of_interest_records)


@records.get("/plans/{path:record_id}", response={200: PlanOut, 401: ErrorOut, 404: ErrorOut}, **READ)
def get_plan(request: HttpRequest, record_id: str) -> dict[str, Any]:
    found = selectors.plan(current_user(request), record_id) if record_id_ok(record_id) else None
    if found is None:
        raise NotFound(f"no plan with id {record_id!r}")
    return found


@records.get(
    "/expressions-of-interest/{path:record_id}",
    response={200: ExpressionOfInterestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def get_expression_of_interest(request: HttpRequest, record_id: str) -> dict[str, Any]:
    _may_read_expressions(request)
    found = (
        selectors.expression_of_interest(current_user(request), record_id)
        if record_id_ok(record_id)
        else None
    )
    if found is None:
        raise NotFound(f"no expression of interest with id {record_id!r}")
    return found
