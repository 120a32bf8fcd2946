"""Reads of designation plans and expressions of interest, scoped to the user (see accounts.permissions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from cepa.accounts import permissions
from cepa.bodies.selectors import with_provenance
from cepa.designation.models import ExpressionOfInterest, Plan

BEIJING_OFFSET = dt.timezone(dt.timedelta(hours=8))


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in Beijing/Hong Kong time, as the interchange format writes it."""
    return moment.astimezone(BEIJING_OFFSET).isoformat()


def plan_record(plan: Plan) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": plan.id,
        "year": plan.year,
        "role": plan.role,
        "product_types": list(plan.product_types),
    }
    if plan.published:
        result["published"] = plan.published.isoformat()
    result["window"] = {"opens": timestamp(plan.opens), "closes": timestamp(plan.closes)}
    result["requires_expression_of_interest"] = plan.requires_expression_of_interest
    with_provenance(result, plan)
    result["status"] = plan.status  # not in the interchange record: drafts never leave the registry
    return result


def expression_of_interest_record(expression: ExpressionOfInterest) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": expression.id,
        "organisation": expression.organisation_id,
        "year": expression.year,
        "product_types": list(expression.product_types),
        "submitted": timestamp(expression.submitted),
    }
    return with_provenance(result, expression)


def plans(
    user: Any, *, year: int | None = None, role: str | None = None, status: str | None = None
) -> QuerySet[Plan]:
    queryset = permissions.plans_visible_to(user)
    if year is not None:
        queryset = queryset.filter(year=year)
    if role:
        queryset = queryset.filter(role=role)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("id")


def expressions_of_interest(
    user: Any, *, organisation: str | None = None, year: int | None = None
) -> QuerySet[ExpressionOfInterest]:
    queryset = permissions.expressions_of_interest_visible_to(user)
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.order_by("id")


def plan(user: Any, record_id: str) -> Plan | None:
    return plans(user).filter(pk=record_id).first()


def expression_of_interest(user: Any, record_id: str) -> ExpressionOfInterest | None:
    return expressions_of_interest(user).filter(pk=record_id).first()
