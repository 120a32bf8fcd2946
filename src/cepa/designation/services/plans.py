"""Designation plans: drafting, changing, publishing, closing early."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cepa.designation import clock
from cepa.designation.models import (
    Plan,
    PlanStatus,
)
from cepa.designation.records import PLANS
from cepa.designation.services.base import (
    FIXED_WHEN_PUBLISHED,
    PLAN_ID,
    PLANS_WORKFLOW,
    REQUIREMENT_LANGUAGES,
    _history,
    _iso,
    _product_types,
    _require,
    _requirements,
    _text,
    _window,
    _year,
)
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotFound, Refused
from cepa.history.services import RecordChange
from cepa.workflow import swap_status

# --- plans ------------------------------------------------------------------------------------------


def plan_state(plan: Plan) -> dict[str, Any]:
    """A plan as its workflow history keeps it (drafts are not registry records)."""
    return {
        "id": plan.id,
        "year": plan.year,
        "role": plan.role,
        "product_types": list(plan.product_types),
        "window": {"opens": _iso(plan.opens), "closes": _iso(plan.closes)},
        "requires_expression_of_interest": plan.requires_expression_of_interest,
        "status": plan.status,
        "published": _iso(plan.published),
        "closed_early_at": _iso(plan.closed_early_at),
        # Only the workflow history keeps the texts: the interchange has no field for them.
        "requirements": {
            lang: getattr(plan, name) for lang, name in REQUIREMENT_LANGUAGES.items() if getattr(plan, name)
        },
    }


def check_may_manage_plans(*, user: Any) -> None:
    _require(user, "plans.manage", "manage designation plans")


def find_plan(*, user: Any, plan_id: str) -> Plan:
    check_may_manage_plans(user=user)
    plan = Plan.objects.filter(pk=plan_id).first() if "\x00" not in plan_id else None
    if plan is None:
        raise NotFound(f"no plan with id {plan_id!r}")
    return plan


def create_plan(
    *,
    actor: str,
    user: Any,
    id: str,
    year: int,
    role: str,
    product_types: Sequence[str],
    window: Mapping[str, Any],
    requires_expression_of_interest: bool = False,
    requirements: Mapping[str, str] | None = None,
    channel: str = "api",
) -> Plan:
    """A draft designation plan: invisible to the public, the decisions and export until published."""
    check_may_manage_plans(user=user)
    if not isinstance(id, str) or not PLAN_ID.fullmatch(id):
        raise InvalidInput("id", "must be 1-100 letters, digits, spaces, dots, underscores or hyphens")
    year = _year(year)
    if role not in ("laboratory", "certification_body"):
        raise InvalidInput("role", "must be laboratory or certification_body")
    codes = _product_types(product_types)
    opens, closes = _window(window)
    if not isinstance(requires_expression_of_interest, bool):
        raise InvalidInput("requires_expression_of_interest", "must be true or false")
    texts = _requirements(requirements)
    with transaction.atomic():
        if Plan.objects.filter(pk=id).exists():
            raise Conflict(f"a plan with id {id!r} already exists", code=ErrorCode.ALREADY_EXISTS)
        plan = Plan.objects.create(
            id=id,
            year=year,
            role=role,
            product_types=codes,
            status=PlanStatus.DRAFT,
            opens=opens,
            closes=closes,
            requires_expression_of_interest=requires_expression_of_interest,
            **texts,
        )
        _history(
            plan,
            actor=actor,
            user=user,
            channel=channel,
            old=None,
            note="drafted",
            reason="plan drafted",
            record_type=PLANS_WORKFLOW,
            action="create",
            before=None,
            after=plan_state(plan),
        )
    return plan


def update_plan(
    *, actor: str, user: Any, plan_id: str, changes: Mapping[str, Any], reason: str = "", channel: str = "api"
) -> Plan:
    """Changes a plan's fields. Once published its window, product types, year, role and whether it
    requires an expression of interest are fixed (Conflict); the requirements stay editable."""
    plan = find_plan(user=user, plan_id=plan_id)
    allowed = {*FIXED_WHEN_PUBLISHED, "requirements"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput(unknown[0], "is not a field that can be changed")
    values: dict[str, Any] = {}
    if "year" in changes:
        values["year"] = _year(changes["year"])
    if "role" in changes:
        if changes["role"] not in ("laboratory", "certification_body"):
            raise InvalidInput("role", "must be laboratory or certification_body")
        values["role"] = changes["role"]
    if "product_types" in changes:
        values["product_types"] = _product_types(changes["product_types"])
    if "window" in changes:
        values["opens"], values["closes"] = _window(changes["window"])
    if "requires_expression_of_interest" in changes:
        if not isinstance(changes["requires_expression_of_interest"], bool):
            raise InvalidInput("requires_expression_of_interest", "must be true or false")
        values["requires_expression_of_interest"] = changes["requires_expression_of_interest"]
    if "requirements" in changes:
        values.update(_requirements(changes["requirements"]))
    reason = _text(reason, "reason", required=False)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        fixed = [name for name in FIXED_WHEN_PUBLISHED if name in changes]
        if plan.status != PlanStatus.DRAFT and fixed:
            raise Conflict(f"plan {plan.id} is {plan.status}: its {', '.join(fixed)} can no longer change")
        before = plan_state(plan)
        for name, value in values.items():
            setattr(plan, name, value)
        if values:
            plan.save(update_fields=list(values))
        _history(
            plan,
            actor=actor,
            user=user,
            channel=channel,
            old=plan.status,
            note=reason or f"changed {', '.join(sorted(changes)) or 'nothing'}",
            reason=reason or "plan updated",
            record_type=PLANS_WORKFLOW,
            action="update",
            before=before,
            after=plan_state(plan),
            event="updated",
        )
    return plan


def _set_plan_status(plan: Plan, old: str, **fields: Any) -> None:
    if not swap_status(plan, old, **fields):
        raise Conflict(f"plan {plan.id} changed meanwhile; reload it and try again")


def publish_plan(*, actor: str, user: Any, plan_id: str, channel: str = "api") -> Plan:
    """Publishes a draft plan today (Beijing date): from then on the public and the decisions see it."""
    plan = find_plan(user=user, plan_id=plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"plan {plan.id} is {plan.status}, not draft")
    moment = clock.now()
    if plan.closes <= moment:
        raise Refused(
            f"plan {plan.id}'s window closed at {_iso(plan.closes)}: change the window first",
            code=ErrorCode.WINDOW_CLOSED,
            failing=["WINDOW_CLOSED"],
        )
    with transaction.atomic():
        before = plan_state(plan)
        _set_plan_status(plan, PlanStatus.DRAFT, status=PlanStatus.PUBLISHED, published=clock.today())
        _history(
            plan,
            actor=actor,
            user=user,
            channel=channel,
            old=PlanStatus.DRAFT,
            note="published",
            reason="plan published",
            record_type=PLANS_WORKFLOW,
            action="transition",
            before=before,
            after=plan_state(plan),
            # From publication on the plan is a registry record like an imported one.
            more=[RecordChange("plans", plan.id, "create", None, PLANS.record_of(plan))],
        )
    return plan


def close_plan(*, actor: str, user: Any, plan_id: str, reason: str, channel: str = "api") -> Plan:
    """Closes a published plan's window early, now, for the reason given."""
    plan = find_plan(user=user, plan_id=plan_id)
    reason = _text(reason, "reason", required=True)
    if plan.status != PlanStatus.PUBLISHED:
        raise Conflict(f"plan {plan.id} is {plan.status}: only a published plan can be closed")
    moment = clock.now()
    if plan.closes <= moment:
        raise Refused(
            f"plan {plan.id}'s window already closed at {_iso(plan.closes)}",
            code=ErrorCode.WINDOW_CLOSED,
            failing=["WINDOW_CLOSED"],
        )
    with transaction.atomic():
        before, registry_before = plan_state(plan), PLANS.record_of(plan)
        _set_plan_status(
            plan, PlanStatus.PUBLISHED, status=PlanStatus.CLOSED, closed_early_at=moment, close_reason=reason
        )
        _history(
            plan,
            actor=actor,
            user=user,
            channel=channel,
            old=PlanStatus.PUBLISHED,
            note=reason,
            reason=reason,
            record_type=PLANS_WORKFLOW,
            action="transition",
            before=before,
            after=plan_state(plan),
            more=[RecordChange("plans", plan.id, "update", registry_before, PLANS.record_of(plan))],
        )
    return plan
