"""Reads of designation plans and expressions of interest, scoped to the user (see accounts.permissions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from cepa.accounts import permissions
from cepa.bodies.selectors import one_record, registry_records
from cepa.designation.models import ExpressionOfInterest, Plan


def plan_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """Plans in interchange shape, plus their workflow `status` (draft plans never leave the registry
    through export, so the format has no status)."""
    statuses = dict(Plan.objects.filter(pk__in=ids).values_list("id", "status"))
    return [{**record, "status": statuses[record["id"]]} for record in registry_records("plans", ids)]


def expression_of_interest_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    return registry_records("expressions_of_interest", ids)


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


def plan(user: Any, record_id: str) -> dict[str, Any] | None:
    ids = list(plans(user).filter(pk=record_id).values_list("pk", flat=True))
    records = plan_records(ids)
    return records[0] if records else None


def expression_of_interest(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(expressions_of_interest(user), "expressions_of_interest", record_id)
