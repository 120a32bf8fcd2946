"""Designation plans (published ones are public), expressions of interest (not public), and the
designation applications with their documents and objections.

Handlers stay thin: the services check the role, the record, the organisation, the input, the
status and the rules in the contract's order (401 → 403 → 404 → 400 → 409 → 422). Handlers whose
403 or 404 depends on a record read the body only after the service's checks (`parse_body`); their
bodies are documented with `openapi_extra`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cepa.accounts import permissions
from cepa.api.auth import current_user
from cepa.api.errors import (
    ApiError,
    BadRequest,
    BadRequestOut,
    Conflict,
    ErrorOut,
    Forbidden,
    NotFound,
    Refused,
    parse_body,
)
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.api.routes import PRIVATE, READ, WRITE_ERRORS, json_request, raw_field
from cepa.bodies.api import Provenance, record_id_ok
from cepa.bodies.models import DesignationRole, OrganisationKind
from cepa.designation import selectors, services
from cepa.designation.models import ApplicationStatus, ObjectionStatus, PlanStatus, Route

router = Router(tags=["Designation plans"])
records = Router(tags=["Designation plans"])

APPLICATIONS_TAG = ["Designation applications"]
INTEREST_TAG = ["Expressions of interest"]
NO_NUL = r"^[^\x00]*$"


# --- errors and bodies --------------------------------------------------------------------------------


class PayloadTooLarge(ApiError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


@contextmanager
def workflow_errors() -> Iterator[None]:
    """The services' refusals as the API's errors."""
    try:
        yield
    except services.DocumentTooLarge as error:
        raise PayloadTooLarge(
            error.message, errors=[{"field": error.field, "message": error.message}]
        ) from error
    except services.InvalidInput as error:
        raise BadRequest(error.message, errors=[{"field": error.field, "message": error.message}]) from error
    except services.NotAllowed as error:
        raise Forbidden(error.message) from error
    except services.NotFound as error:
        raise NotFound(error.message) from error
    except services.StatusConflict as error:
        raise Conflict(error.message, code=error.code) from error
    except services.RuleRefused as error:
        raise Refused(error.message, code=error.code, failing=error.failing) from error


S = TypeVar("S", bound=Schema)


def _optional_body(request: HttpRequest, schema: type[S]) -> S:
    """A body that may be left out entirely."""
    return schema() if not request.body.strip() else parse_body(request, schema)


# --- schemas ------------------------------------------------------------------------------------------


class WindowOut(Schema):
    opens: dt.datetime
    closes: dt.datetime


class Requirements(Schema):
    en: str | None = Field(None, max_length=20_000)
    zh_hant: str | None = Field(None, alias="zh-Hant", max_length=20_000)
    zh_hans: str | None = Field(None, alias="zh-Hans", max_length=20_000)

    model_config = {"extra": "forbid", "populate_by_name": True}


class HistoryEntryOut(Schema):
    who: str
    when: dt.datetime
    from_: str | None = Field(None, alias="from", description="The status before (null when created)")
    to: str = Field(..., description="The status after")
    reason: str
    event: str = Field(
        ...,
        description="transition for a status change; otherwise what happened (updated, document_added, "
        "objection_lodged, objection_upheld, objection_dismissed)",
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "who": "cnca-li",
                    "when": "2026-09-14T11:00:00+08:00",
                    "from": "under_review",
                    "to": "information_requested",
                    "reason": "Send the GB 31241 test report",
                    "event": "transition",
                }
            ]
        }
    }


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
    requirements: Requirements | None = Field(
        None, description="What applicants must meet, in up to three languages"
    )
    close_reason: str | None = Field(None, description="Why the plan was closed early")

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


class PlanDetailOut(PlanOut):
    history: list[HistoryEntryOut] = []


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


class InterestOut(Schema):
    expression_of_interest: str
    year: int
    organisation: str
    name: str
    kind: OrganisationKind
    hk_invested: bool
    submitted: dt.datetime


class ProductTypeInterestOut(Schema):
    product_type: str
    organisations: int = Field(..., description="How many bodies asked for it")
    expressions: list[InterestOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product_type": "0915",
                    "organisations": 1,
                    "expressions": [
                        {
                            "expression_of_interest": "EOI-2026-0031",
                            "year": 2026,
                            "organisation": "cn-lab-pearl",
                            "name": "Pearl River Testing (Shenzhen) Co",
                            "kind": "laboratory",
                            "hk_invested": True,
                            "submitted": "2026-03-20T11:15:00+08:00",
                        }
                    ],
                }
            ]
        }
    }


class DocumentOut(Schema):
    id: int
    filename: str
    size: int = Field(..., description="Bytes")
    sha256: str
    uploaded: dt.datetime
    uploaded_by: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "filename": "capability.pdf",
                    "size": 482113,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "uploaded": "2026-09-10T10:05:00+08:00",
                    "uploaded_by": "pearl-staff",
                }
            ]
        }
    }


class ObjectionOut(Schema):
    id: int
    application: int
    status: ObjectionStatus
    grounds: str
    on_behalf_of: str | None = Field(None, description="The member of the public an officer lodged it for")
    lodged: dt.datetime
    lodged_by: str
    decided: dt.datetime | None = None
    decision_reason: str | None = None
    history: list[HistoryEntryOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 4,
                    "application": 12,
                    "status": "dismissed",
                    "grounds": "The laboratory's GB 31241 capability lapsed in August.",
                    "on_behalf_of": None,
                    "lodged": "2026-10-09T10:00:00+08:00",
                    "lodged_by": "river-staff",
                    "decided": "2026-10-12T10:00:00+08:00",
                    "decision_reason": "capability confirmed on site",
                    "history": [
                        {
                            "who": "river-staff",
                            "when": "2026-10-09T10:00:00+08:00",
                            "from": None,
                            "to": "pending",
                            "reason": "The laboratory's GB 31241 capability lapsed in August.",
                            "event": "transition",
                        },
                        {
                            "who": "cnca-li",
                            "when": "2026-10-12T10:00:00+08:00",
                            "from": "pending",
                            "to": "dismissed",
                            "reason": "capability confirmed on site",
                            "event": "transition",
                        },
                    ],
                }
            ]
        }
    }


APPLICATION_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "organisation": "cn-lab-pearl",
    "product_types": ["0915"],
    "status": "approved",
    "route": "plan",
    "plan": "2026-2",
    "created": "2026-09-10T10:00:00+08:00",
    "submitted": "2026-09-15T09:00:00+08:00",
    "decided": "2026-09-24T16:00:00+08:00",
    "objection_period_ends": "2026-10-22",
    "designation_from": "2026-10-23",
    "designation_date_provisional": False,
    "designation": "CNCA-APPLICATION-12",
    "designation_cancelled": None,
}


class ApplicationOut(Schema):
    id: int
    organisation: str
    product_types: list[str]
    status: ApplicationStatus
    route: Route = Field(..., description="The route the designation decision gives: routine or plan")
    plan: str | None = Field(None, description="The plan applied under (plan route)")
    created: dt.datetime
    submitted: dt.datetime | None = None
    decided: dt.datetime | None = None
    objection_period_ends: dt.date | None = Field(
        None, description="Approved: the last day of the 15 Mainland working days of the objection period"
    )
    designation_from: dt.date | None = Field(
        None,
        description="Approved: the day after the objection period, from which the designation is in force",
    )
    designation_date_provisional: bool | None = Field(
        None,
        description="Approved: true when the period runs into a year whose Mainland holiday schedule is not "
        "announced yet (counted with the statutory holidays alone)",
    )
    designation: str | None = Field(None, description="Approved: the designation record it created")
    designation_cancelled: dt.datetime | None = Field(
        None, description="Approved: when an upheld objection cancelled the designation"
    )

    model_config = {"json_schema_extra": {"examples": [APPLICATION_EXAMPLE]}}


class ApplicationDetailOut(ApplicationOut):
    documents: list[DocumentOut] = Field([], description="Seen by the applicant's organisation and officers")
    objections: list[ObjectionOut] = Field(
        [], description="Seen by officers, the applicant's organisation and whoever lodged them"
    )
    history: list[HistoryEntryOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **APPLICATION_EXAMPLE,
                    "documents": [],
                    "objections": [],
                    "history": [
                        {
                            "who": "pearl-staff",
                            "when": "2026-09-10T10:00:00+08:00",
                            "from": None,
                            "to": "draft",
                            "reason": "drafted",
                            "event": "transition",
                        },
                        {
                            "who": "cnca-li",
                            "when": "2026-09-24T16:00:00+08:00",
                            "from": "under_review",
                            "to": "approved",
                            "reason": "meets the plan's requirements",
                            "event": "transition",
                        },
                    ],
                }
            ]
        }
    }


PlanPage = page_schema("PlanPage", PlanOut)
ExpressionOfInterestPage = page_schema("ExpressionOfInterestPage", ExpressionOfInterestOut)
ApplicationPage = page_schema("ApplicationPage", ApplicationOut)


class PlanFilters(Schema):
    year: int | None = Field(None, ge=1900, le=9999)
    role: DesignationRole | None = None
    status: PlanStatus | None = None


class ExpressionOfInterestFilters(Schema):
    organisation: str | None = Field(None, max_length=200, pattern=NO_NUL)
    year: int | None = Field(None, ge=1900, le=9999)


class InterestGroupFilters(Schema):
    year: int | None = Field(None, ge=1900, le=9999)


class ApplicationFilters(Schema):
    status: ApplicationStatus | None = None
    organisation: str | None = Field(None, max_length=200, pattern=NO_NUL)


# Request bodies. Strict shapes (unknown fields are errors); the services check the meaning.


class Body(Schema):
    model_config = {"extra": "forbid", "populate_by_name": True}


class ExpressionOfInterestIn(Body):
    organisation: str = Field(..., max_length=200)
    year: int
    product_types: list[str] = Field(..., min_length=1, max_length=500)


class WindowIn(Body):
    opens: dt.datetime = Field(..., description="ISO 8601; without an offset, Beijing time")
    closes: dt.datetime


class PlanIn(Body):
    id: str = Field(..., max_length=100)
    year: int
    role: DesignationRole
    product_types: list[str] = Field(..., min_length=1, max_length=500)
    window: WindowIn
    requires_expression_of_interest: bool = True
    requirements: Requirements | None = None


class PlanChangesIn(Body):
    """Only the fields sent change. Once published, only `requirements` may."""

    year: int | None = None
    role: DesignationRole | None = None
    product_types: list[str] | None = Field(None, min_length=1, max_length=500)
    window: WindowIn | None = None
    requires_expression_of_interest: bool | None = None
    requirements: Requirements | None = None
    reason: str = Field("", max_length=10_000)


class ReasonIn(Body):
    reason: str = Field(..., max_length=10_000)


class OptionalReasonIn(Body):
    reason: str = Field("", max_length=10_000)


class ApplicationIn(Body):
    organisation: str = Field(..., max_length=200)
    product_types: list[str] = Field(..., min_length=1, max_length=500)


class ReviewIn(Body):
    action: Literal["start", "request_information", "approve", "refuse"]
    reason: str = Field("", max_length=10_000, description="Required to request information or refuse")


class ObjectionIn(Body):
    grounds: str = Field(..., max_length=10_000)
    on_behalf_of: str = Field(
        "", max_length=200, description="For an officer lodging it for a member of the public: their name"
    )


class ObjectionReviewIn(Body):
    action: Literal["uphold", "dismiss"]
    reason: str = Field(..., max_length=10_000)


# --- expressions of interest ---------------------------------------------------------------------------


def _may_read_expressions(request: HttpRequest) -> None:
    if not permissions.can(current_user(request), "expressions_of_interest.view"):
        raise Forbidden("only officers, administrators and applicants may read expressions of interest")


@router.get(
    "/expressions-of-interest",
    response={200: ExpressionOfInterestPage, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut},
    tags=INTEREST_TAG,
    **PRIVATE,
)
def list_expressions_of_interest(
    request: HttpRequest, filters: Query[ExpressionOfInterestFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Officers and administrators see all; an applicant sees their own organisation's."""
    _may_read_expressions(request)
    queryset = selectors.expressions_of_interest(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.expression_of_interest_records)


@router.post(
    "/expressions-of-interest",
    response={201: ExpressionOfInterestOut, **WRITE_ERRORS},
    tags=INTEREST_TAG,
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
    with workflow_errors():
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
    tags=INTEREST_TAG,
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
    tags=INTEREST_TAG,
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


# --- plans ------------------------------------------------------------------------------------------------


PLAN_EXAMPLE = {
    "id": "2026-2",
    "year": 2026,
    "role": "laboratory",
    "product_types": ["0915"],
    "window": {"opens": "2026-09-07T09:00:00+08:00", "closes": "2026-09-30T17:00:00+08:00"},
    "requires_expression_of_interest": True,
    "requirements": {"en": "Able to test to GB 31241", "zh-Hans": "具备 GB 31241 检测能力"},
}


@router.get("/plans", response={200: PlanPage, 400: BadRequestOut, 401: ErrorOut}, **READ)
def list_plans(request: HttpRequest, filters: Query[PlanFilters], page: Query[PageParams]) -> dict[str, Any]:
    """Designation plans: published ones for everyone, drafts too for CNCA officers and administrators."""
    return paginate(
        selectors.plans(current_user(request), **filters.model_dump()), page, selectors.plan_records
    )


def _plan(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    found = selectors.plan(current_user(request), plan_id) if record_id_ok(plan_id) else None
    if found is None:
        raise NotFound(f"no plan with id {plan_id!r}")
    return found


@router.post(
    "/plans",
    response={201: PlanDetailOut, **WRITE_ERRORS},
    summary="Draft a designation plan (CNCA officer)",
    openapi_extra=json_request(PlanIn, PLAN_EXAMPLE),
    **PRIVATE,
)
def create_plan(request: HttpRequest) -> Any:
    """A draft plan: seen only by CNCA officers and administrators, not by the decisions or export,
    until it is published. 409 `ALREADY_EXISTS` when the id is taken."""
    user = current_user(request)
    with workflow_errors():
        services.check_may_manage_plans(user=user)
        body = parse_body(request, PlanIn)
        plan = services.create_plan(
            actor=actor_of(request),
            user=user,
            id=body.id,
            year=body.year,
            role=body.role,
            product_types=body.product_types,
            window=body.window.model_dump(),
            requires_expression_of_interest=body.requires_expression_of_interest,
            requirements=body.requirements.model_dump(by_alias=True, exclude_none=True)
            if body.requirements
            else None,
        )
    return Status(201, _plan(request, plan.id))


@router.post(
    "/plans/{path:plan_id}/publish",
    response={200: PlanDetailOut, **WRITE_ERRORS},
    summary="Publish a draft plan today (CNCA officer)",
    **PRIVATE,
)
def publish_plan(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    """Published today (Beijing date); from then on its window and product types are fixed. 409 when
    it is not a draft; 422 `WINDOW_CLOSED` when its window has already closed."""
    with workflow_errors():
        services.publish_plan(actor=actor_of(request), user=current_user(request), plan_id=plan_id)
    return _plan(request, plan_id)


@router.post(
    "/plans/{path:plan_id}/close",
    response={200: PlanDetailOut, **WRITE_ERRORS},
    summary="Close a published plan's window early (CNCA officer)",
    openapi_extra=json_request(ReasonIn, {"reason": "enough applications received"}),
    **PRIVATE,
)
def close_plan(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    """Closes the window now, with a reason. 409 unless the plan is published; 422 `WINDOW_CLOSED`
    when it has already closed."""
    user = current_user(request)
    with workflow_errors():
        services.find_plan(user=user, plan_id=plan_id)
        body = parse_body(request, ReasonIn)
        services.close_plan(actor=actor_of(request), user=user, plan_id=plan_id, reason=body.reason)
    return _plan(request, plan_id)


@records.get("/plans/{path:record_id}", response={200: PlanDetailOut, 401: ErrorOut, 404: ErrorOut}, **READ)
def get_plan(request: HttpRequest, record_id: str) -> dict[str, Any]:
    """A plan with its status and history (drafts only for CNCA officers and administrators)."""
    return _plan(request, record_id)


@records.patch(
    "/plans/{path:record_id}",
    response={200: PlanDetailOut, **WRITE_ERRORS},
    summary="Change a plan (CNCA officer)",
    openapi_extra=json_request(
        PlanChangesIn,
        {"window": {"opens": "2026-09-08T09:00:00+08:00", "closes": "2026-09-30T17:00:00+08:00"}},
    ),
    **PRIVATE,
)
def update_plan(request: HttpRequest, record_id: str) -> dict[str, Any]:
    """Changes the fields sent. Once the plan is published its window, product types, year, role and
    `requires_expression_of_interest` are fixed (409); its requirements may still change."""
    user = current_user(request)
    with workflow_errors():
        services.find_plan(user=user, plan_id=record_id)
        body = parse_body(request, PlanChangesIn)
        changes = body.model_dump(by_alias=True, exclude_unset=True)
        reason = changes.pop("reason", "")
        if not changes:
            raise services.InvalidInput("body", "send at least one field to change")
        if "requirements" in changes and changes["requirements"] is not None:
            changes["requirements"] = {k: v for k, v in changes["requirements"].items() if v is not None}
        services.update_plan(
            actor=actor_of(request), user=user, plan_id=record_id, changes=changes, reason=reason
        )
    return _plan(request, record_id)


# --- applications -----------------------------------------------------------------------------------------


def _application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    number = services.parse_id(application_id)
    found = selectors.application(current_user(request), number) if number else None
    if found is None:
        raise NotFound(f"no application with id {application_id!r}")
    return found


def _application_action(
    request: HttpRequest, application_id: str, service: Callable[..., Any], **kwargs: Any
) -> dict[str, Any]:
    with workflow_errors():
        service(actor=actor_of(request), user=current_user(request), application_id=application_id, **kwargs)
    return _application(request, application_id)


@router.get(
    "/applications",
    response={200: ApplicationPage, 400: BadRequestOut, 401: ErrorOut},
    tags=APPLICATIONS_TAG,
    **READ,
)
def list_applications(
    request: HttpRequest, filters: Query[ApplicationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Approved applications are published for objections and seen by everyone; an applicant also
    sees their organisation's, officers every submitted one, administrators all."""
    queryset = selectors.applications(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.application_summaries)


@router.post(
    "/applications",
    response={201: ApplicationDetailOut, **WRITE_ERRORS},
    tags=APPLICATIONS_TAG,
    summary="Draft a designation application (applicant)",
    openapi_extra=json_request(ApplicationIn, {"organisation": "cn-lab-pearl", "product_types": ["0915"]}),
    **PRIVATE,
)
def create_application(request: HttpRequest) -> Any:
    """A draft application for the applicant's own organisation. Every product type must take the
    same route (and plan) in the `designation` decision now, else 422 `MIXED_ROUTES`; a body that
    cannot apply at all (not seated in the Mainland) gets 422 with the decision's failing codes."""
    user = current_user(request)
    with workflow_errors():
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
    tags=APPLICATIONS_TAG,
    **READ,
)
def get_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """The application with its status and history (who, when, from, to, reason)."""
    return _application(request, application_id)


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    tags=APPLICATIONS_TAG,
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
    tags=APPLICATIONS_TAG,
    summary="Review an application (CNCA officer)",
    openapi_extra=json_request(ReviewIn, {"action": "approve", "reason": "meets the plan's requirements"}),
    **PRIVATE,
)
def review_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """`start` (submitted → under_review), `request_information` (under_review →
    information_requested), `approve` or `refuse` (from under_review). Approval publishes it for
    objections for 15 Mainland working days from the next day and creates the designation, in force
    from `designation_from` unless an objection is upheld."""
    user = current_user(request)
    with workflow_errors():
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
    tags=APPLICATIONS_TAG,
    summary="Withdraw an application (applicant)",
    openapi_extra=json_request(OptionalReasonIn, {"reason": "applying next year"}, required=False),
    **PRIVATE,
)
def withdraw_application(request: HttpRequest, application_id: str) -> dict[str, Any]:
    """From `draft`, `submitted` or `information_requested`; the body (a reason) is optional."""
    user = current_user(request)
    with workflow_errors():
        services.find_application(
            user=user,
            application_id=application_id,
            permission="applications.apply",
            what="withdraw this application",
        )
        body = _optional_body(request, OptionalReasonIn)
    return _application_action(request, application_id, services.withdraw_application, reason=body.reason)


# --- supporting documents ---------------------------------------------------------------------------------


def _visible_documents(request: HttpRequest, application_id: str) -> Any:
    number = services.parse_id(application_id)
    documents = selectors.documents(current_user(request), number) if number else None
    if documents is None:
        raise NotFound(f"no application with id {application_id!r}")
    return documents


@router.get(
    "/applications/{application_id}/documents",
    response={200: list[DocumentOut], 401: ErrorOut, 404: ErrorOut},
    tags=APPLICATIONS_TAG,
    **PRIVATE,
)
def list_documents(request: HttpRequest, application_id: str) -> list[dict[str, Any]]:
    """The supporting documents: for the applicant's organisation, officers and administrators."""
    return [selectors.document_record(d) for d in _visible_documents(request, application_id)]


@router.post(
    "/applications/{application_id}/documents",
    response={201: DocumentOut, 413: BadRequestOut, **WRITE_ERRORS},
    tags=APPLICATIONS_TAG,
    summary="Upload a supporting document (PDF; applicant)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary", "description": "A PDF"}
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    },
    **PRIVATE,
)
def upload_document(request: HttpRequest, application_id: str) -> Any:
    """A PDF (content type application/pdf, starting with %PDF-) up to the size limit (10 MB unless
    the settings say otherwise; 413 above it), while the application is draft, submitted or
    information_requested. Stored with its sha256 checksum."""
    user = current_user(request)
    with workflow_errors():
        services.find_application(
            user=user,
            application_id=application_id,
            permission="applications.apply",
            what="add documents to this application",
        )
        upload = request.FILES.get("file") if request.content_type == "multipart/form-data" else None
        if upload is None:
            raise services.InvalidInput("file", "required: send the PDF as multipart/form-data field 'file'")
        if upload.size is not None and upload.size > services.max_document_bytes():
            raise services.DocumentTooLarge(
                "file", f"is {upload.size} bytes; the limit is {services.max_document_bytes()} bytes"
            )
        document = services.add_document(
            actor=actor_of(request),
            user=user,
            application_id=application_id,
            filename=upload.name or "",
            content_type=upload.content_type or "",
            data=upload.read(),
        )
    return Status(201, selectors.document_record(document))


@router.get(
    "/applications/{application_id}/documents/{document_id}",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    tags=APPLICATIONS_TAG,
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    **PRIVATE,
)
def download_document(request: HttpRequest, application_id: str, document_id: str) -> FileResponse:
    """The PDF as uploaded, with its checksum in the `Digest`-like header `X-Checksum-SHA256`."""
    number = services.parse_id(document_id)
    document = _visible_documents(request, application_id).filter(pk=number).first() if number else None
    if document is None:
        raise NotFound(f"no document with id {document_id!r} on application {application_id!r}")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise NotFound(f"the file of document {document_id!r} is missing from storage") from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=document.filename
    )
    response["X-Checksum-SHA256"] = document.sha256
    return response


# --- objections -------------------------------------------------------------------------------------------


def _objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    number = services.parse_id(objection_id)
    found = selectors.objection(current_user(request), number) if number else None
    if found is None:
        raise NotFound(f"no objection with id {objection_id!r}")
    return found


@router.post(
    "/applications/{application_id}/objections",
    response={201: ObjectionOut, **WRITE_ERRORS},
    tags=APPLICATIONS_TAG,
    summary="Object to an approved application (anyone with an account)",
    openapi_extra=json_request(
        ObjectionIn, {"grounds": "The laboratory's GB 31241 capability lapsed in August.", "on_behalf_of": ""}
    ),
    **PRIVATE,
)
def lodge_objection(request: HttpRequest, application_id: str) -> Any:
    """During the objection period (through `objection_period_ends`, Beijing dates); after it, 422
    `OBJECTION_PERIOD_ENDED`. Officers may lodge one for a member of the public (`on_behalf_of`)."""
    user = current_user(request)
    with workflow_errors():
        services.find_application_to_object(user=user, application_id=application_id)
        body = parse_body(request, ObjectionIn)
        objection = services.lodge_objection(
            actor=actor_of(request),
            user=user,
            application_id=application_id,
            grounds=body.grounds,
            on_behalf_of=body.on_behalf_of,
        )
    return Status(201, _objection(request, str(objection.pk)))


@router.get(
    "/objections/{objection_id}",
    response={200: ObjectionOut, 401: ErrorOut, 404: ErrorOut},
    tags=APPLICATIONS_TAG,
    **PRIVATE,
)
def get_objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    """An objection with its status and history (officers, the applicant's organisation, its lodger)."""
    return _objection(request, objection_id)


@router.post(
    "/objections/{objection_id}/review",
    response={200: ObjectionOut, **WRITE_ERRORS},
    tags=APPLICATIONS_TAG,
    summary="Uphold or dismiss an objection (CNCA officer)",
    openapi_extra=json_request(ObjectionReviewIn, {"action": "dismiss", "reason": "capability confirmed"}),
    **PRIVATE,
)
def review_objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    """`uphold` or `dismiss` a pending objection, with a reason. Upheld, the designation the approval
    created is removed and never comes into force (recorded in the history)."""
    user = current_user(request)
    with workflow_errors():
        services.find_objection(user=user, objection_id=objection_id)
        body = parse_body(request, ObjectionReviewIn)
        services.review_objection(
            actor=actor_of(request),
            user=user,
            objection_id=objection_id,
            action=body.action,
            reason=body.reason,
        )
    return _objection(request, objection_id)
