"""Designation applications: drafted and submitted by an applicant, reviewed by CNCA."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from cepa.api.auth import current_user
from cepa.api.designation.schemas import (
    ApplicationDetailOut,
    ApplicationFilters,
    ApplicationIn,
    ApplicationPage,
    OptionalReasonIn,
    ReviewIn,
)
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import PRIVATE, READ, WRITE_ERRORS, json_request, raw_field
from cepa.designation import selectors, services
from cepa.errors import NotFound

router = Router(tags=["Designation applications"])


S = TypeVar("S", bound=Schema)


def _optional_body(request: HttpRequest, schema: type[S]) -> S:
    """A body that may be left out entirely."""
    return schema() if not request.body.strip() else parse_body(request, schema)


def _application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    number = services.parse_id(application_id)
    found = selectors.application(current_user(request), number) if number else None
    if found is None:
        raise NotFound(f"no application with id {application_id!r}")
    return found


def _application_action(
    request: HttpRequest, application_id: str, service: Callable[..., Any], **kwargs: Any
) -> dict[str, Any]:
    service(actor=actor_of(request), user=current_user(request), application_id=application_id, **kwargs)
    return _application(request, application_id)


@router.get(
    "/applications",
    response={200: ApplicationPage, 400: BadRequestOut, 401: ErrorOut},
    **READ,
)
def list_applications(
    request: HttpRequest, filters: Query[ApplicationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Approved applications are published for objections and seen by everyone; an applicant also
    sees their organisation's, officers every submitted one, administrators all."""
    queryset = selectors.applications(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, selectors.application_summaries)


@router.post(
    "/applications",
    response={201: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Draft a designation application (applicant)",
    openapi_extra=json_request(ApplicationIn, {"organisation": "cn-lab-pearl", "product_types": ["0915"]}),
    **PRIVATE,
)
def create_application(request: HttpRequest) -> Any:
    """A draft application for the applicant's own organisation. Every product type must take the
    same route (and plan) in the `designation` decision now, else 422 `MIXED_ROUTES`; a body that
    cannot apply at all (not seated in the Mainland) gets 422 with the decision's failing codes."""
    user = current_user(request)
    services.check_may_apply(user=user, organisation=raw_field(request, "organisation"))
    body = parse_body(request, ApplicationIn)
    application = services.create_application(
        actor=actor_of(request),
        user=user,
        organisation=body.organisation,
        product_types=body.product_types,
    )
    return Status(201, _application(request, str(application.pk)))


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, 401: ErrorOut, 404: ErrorOut},
    **READ,
)
def get_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """The application with its status and history (who, when, from, to, reason)."""
    return _application(request, application_id)


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Submit an application (applicant)",
    **PRIVATE,
)
def submit_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """From `draft` or `information_requested`. The `designation` decision is taken again now for
    every product type; when it refuses, 422 with its failing codes (or `MIXED_ROUTES`)."""
    return _application_action(request, application_id, services.submit_application)


@router.post(
    "/applications/{application_id}/review",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Review an application (CNCA officer)",
    openapi_extra=json_request(ReviewIn, {"action": "approve", "reason": "meets the plan's requirements"}),
    **PRIVATE,
)
def review_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """`start` (submitted → under_review), `request_information` (under_review →
    information_requested), `approve` or `refuse` (from under_review). Approval publishes CNCA's
    designation decision: the designation it creates is in force from the day of approval
    (`designation_from`), and objections may be lodged through the 15th Mainland working day after it
    (`objection_period_ends`); an objection upheld ends the designation."""
    user = current_user(request)
    services.find_application(
        user=user,
        application_id=application_id,
        permission="applications.review",
        what="review applications",
    )
    body = parse_body(request, ReviewIn)
    return _application_action(
        request, application_id, services.review_application, action=body.action, reason=body.reason
    )


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="Withdraw an application (applicant)",
    openapi_extra=json_request(OptionalReasonIn, {"reason": "applying next year"}, required=False),
    **PRIVATE,
)
def withdraw_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """From `draft`, `submitted` or `information_requested`; the body (a reason) is optional."""
    user = current_user(request)
    services.find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="withdraw this application",
    )
    body = _optional_body(request, OptionalReasonIn)
    return _application_action(request, application_id, services.withdraw_application, reason=body.reason)
