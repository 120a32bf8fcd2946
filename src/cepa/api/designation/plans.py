"""Designation plans: published ones are public, drafts only for CNCA officers and administrators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user
from cepa.api.designation.schemas import PlanChangesIn, PlanDetailOut, PlanFilters, PlanIn, PlanPage, ReasonIn
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import PRIVATE, READ, WRITE_ERRORS, json_request, record_id_ok
from cepa.designation import selectors, services
from cepa.errors import InvalidInput, NotFound

router = Router(tags=["Designation plans"])
records = Router(tags=["Designation plans"])


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
        request, selectors.plans(current_user(request), **filters.model_dump()), page, selectors.plan_records
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
    services.find_plan(user=user, plan_id=record_id)
    body = parse_body(request, PlanChangesIn)
    changes = body.model_dump(by_alias=True, exclude_unset=True)
    reason = changes.pop("reason", "")
    if not changes:
        raise InvalidInput("body", "send at least one field to change")
    if "requirements" in changes and changes["requirements"] is not None:
        changes["requirements"] = {k: v for k, v in changes["requirements"].items() if v is not None}
    services.update_plan(
        actor=actor_of(request), user=user, plan_id=record_id, changes=changes, reason=reason
    )
    return _plan(request, record_id)
