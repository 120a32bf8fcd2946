"""Expressions of interest (not public): a Mainland body's written request to be considered for a
year's designation plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.accounts import permissions
from cepa.api.auth import current_user
from cepa.api.designation.schemas import (
    ExpressionOfInterestFilters,
    ExpressionOfInterestIn,
    ExpressionOfInterestOut,
    ExpressionOfInterestPage,
    InterestGroupFilters,
    ProductTypeInterestOut,
)
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import PRIVATE, WRITE_ERRORS, json_request, raw_field, record_id_ok
from cepa.designation import selectors, services
from cepa.errors import NotAllowed, NotFound

router = Router(tags=["Expressions of interest"])
records = Router(tags=["Expressions of interest"])


def _may_read_expressions(request: HttpRequest) -> None:
    if not permissions.can(current_user(request), "expressions_of_interest.view"):
        raise NotAllowed("only officers, administrators and applicants may read expressions of interest")


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
    return paginate(request, queryset, page, selectors.expression_of_interest_records)


@router.post(
    "/expressions-of-interest",
    response={201: ExpressionOfInterestOut, **WRITE_ERRORS},
    summary="Express interest in a year's designation plans (applicant of a Mainland body)",
    openapi_extra=json_request(
        ExpressionOfInterestIn, {"organisation": "cn-lab-pearl", "year": 2027, "product_types": ["0915"]}
    ),
    **PRIVATE,
)
def create_expression_of_interest(request: HttpRequest) -> Any:
    """A written request to be considered for that year's designation plans, by an applicant for
    their own Mainland body. Accepted strictly before 1 April 00:00 Beijing time of `year`; at or
    after it, 422 `DEADLINE_PASSED` and nothing is stored."""
    user = current_user(request)
    services.check_may_express_interest(user=user, organisation=raw_field(request, "organisation"))
    body = parse_body(request, ExpressionOfInterestIn)
    created = services.express_interest(
        actor=actor_of(request),
        user=user,
        organisation=body.organisation,
        year=body.year,
        product_types=body.product_types,
    )
    found = selectors.expression_of_interest(user, created.id)
    return Status(201, found)


@router.get(
    "/expressions-of-interest/by-product-type",
    response={200: list[ProductTypeInterestOut], 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut},
    **PRIVATE,
)
def expressions_by_product_type(
    request: HttpRequest, filters: Query[InterestGroupFilters]
) -> list[dict[str, Any]]:
    """Expressions of interest grouped by product type, to write the year's plans (officers see all;
    an applicant their own organisation's)."""
    _may_read_expressions(request)
    return selectors.expressions_by_product_type(current_user(request), year=filters.year)


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
