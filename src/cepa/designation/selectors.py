"""Reads of the designation workflows, scoped to the user (see accounts.permissions).

Other apps (reminders, the web) read through here too: `open_plans`, `organisations_concerned`,
`applications_in_progress`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet

from cepa.accounts import permissions
from cepa.bodies.models import Organisation, Seat
from cepa.bodies.selectors import one_record
from cepa.catalogue.selectors import code_index, same_type
from cepa.decisions.terms import BEIJING
from cepa.designation.filters import ApplicationFilter, ExpressionOfInterestFilter, PlanFilter
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    ExpressionOfInterest,
    Objection,
    Plan,
    PlanEvent,
    PlanStatus,
    WorkflowEvent,
)
from cepa.designation.records import EXPRESSIONS_OF_INTEREST, PLANS
from cepa.filters import filtered

IN_PROGRESS = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFORMATION_REQUESTED,
)


def _stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(BEIJING).isoformat()


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def history_entries(events: Iterable[WorkflowEvent]) -> list[dict[str, Any]]:
    """A workflow record's history: who, when, from, to, why (and what, for steps that are not
    status changes)."""
    return [
        {
            "who": event.who,
            "when": _stamp(event.at),
            "from": event.from_status,
            "to": event.to_status,
            "reason": event.reason,
            "event": event.event,
        }
        for event in events
    ]


def plan_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """Plans in interchange shape, plus their workflow `status`, requirements and early closing
    (draft plans never leave the registry through export, so the format has no status)."""
    extra = {
        row[0]: row[1:]
        for row in Plan.objects.filter(pk__in=ids).values_list(
            "id", "status", "requirements_en", "requirements_zh_hant", "requirements_zh_hans", "close_reason"
        )
    }
    records = []
    for record in PLANS.in_order(ids):
        status, en, zh_hant, zh_hans, close_reason = extra[record["id"]]
        record = {**record, "status": status}
        requirements = {
            lang: text for lang, text in (("en", en), ("zh-Hant", zh_hant), ("zh-Hans", zh_hans)) if text
        }
        if requirements:
            record["requirements"] = requirements
        if close_reason:
            record["close_reason"] = close_reason
        records.append(record)
    return records


def expression_of_interest_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    return EXPRESSIONS_OF_INTEREST.in_order(ids)


def plans(user: Any, **filters: Any) -> QuerySet[Plan]:
    return filtered(PlanFilter, Plan.objects.restrict(user, "view"), filters).order_by("id")


def expressions_of_interest(user: Any, **filters: Any) -> QuerySet[ExpressionOfInterest]:
    visible = ExpressionOfInterest.objects.restrict(user, "view")
    return filtered(ExpressionOfInterestFilter, visible, filters).order_by("id")


def plan(user: Any, record_id: str) -> dict[str, Any] | None:
    """One plan with its history (three queries)."""
    ids = list(plans(user).filter(pk=record_id).values_list("pk", flat=True))
    records = plan_records(ids)
    if not records:
        return None
    return {**records[0], "history": history_entries(PlanEvent.objects.filter(plan_id=ids[0]))}


def expression_of_interest(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(expressions_of_interest(user), EXPRESSIONS_OF_INTEREST, record_id)


def expressions_by_product_type(user: Any, *, year: int | None = None) -> list[dict[str, Any]]:
    """Expressions of interest grouped by product type (what officers need to write the year's
    plans): for each product type, the bodies that asked for it. Two queries."""
    rows = expressions_of_interest(user, year=year).values_list(
        "id",
        "year",
        "product_types",
        "submitted",
        "organisation_id",
        "organisation__name_en",
        "organisation__kind",
        "organisation__hk_invested",
    )
    # A type listed under several codes is one type (contract §1, rev. 2): grouped under its catalogue key
    # (its main code, where it has one), each expression once.
    index = code_index()
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for eoi_id, eoi_year, codes, submitted, org, name, kind, hk_invested in rows:
        for code in dict.fromkeys(index.get(code, code) for code in codes):
            groups[code].append(
                {
                    "expression_of_interest": eoi_id,
                    "year": eoi_year,
                    "organisation": org,
                    "name": name,
                    "kind": kind,
                    "hk_invested": hk_invested,
                    "submitted": _stamp(submitted),
                }
            )
    return [
        {
            "product_type": code,
            "organisations": len({entry["organisation"] for entry in groups[code]}),
            "expressions": groups[code],
        }
        for code in sorted(groups)
    ]


# --- applications -----------------------------------------------------------------------------------


def applications(user: Any, **filters: Any) -> QuerySet[Application]:
    return filtered(ApplicationFilter, Application.objects.restrict(user, "view"), filters).order_by("id")


_SUMMARY_FIELDS = (
    "id",
    "organisation_id",
    "product_types",
    "status",
    "route",
    "plan_id",
    "created",
    "submitted",
    "decided",
    "objection_period_ends",
    "designation_from",
    "designation_date_provisional",
    "designation_id",
    "designation_cancelled",
)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "product_types": list(row["product_types"]),
        "status": row["status"],
        "route": row["route"],
        "plan": row["plan_id"],
        "created": _stamp(row["created"]),
        "submitted": _stamp(row["submitted"]),
        "decided": _stamp(row["decided"]),
    }
    if row["status"] == ApplicationStatus.APPROVED:
        record["objection_period_ends"] = _day(row["objection_period_ends"])
        record["designation_from"] = _day(row["designation_from"])
        record["designation_date_provisional"] = row["designation_date_provisional"]
        record["designation"] = row["designation_id"]
        record["designation_cancelled"] = _stamp(row["designation_cancelled"])
    return record


def application_summaries(ids: Sequence[int]) -> list[dict[str, Any]]:
    """Applications without their history, in the order of `ids` (one query)."""
    rows = {row["id"]: row for row in Application.objects.filter(pk__in=ids).values(*_SUMMARY_FIELDS)}
    return [_summary(rows[pk]) for pk in ids if pk in rows]


def _objection(objection: Objection) -> dict[str, Any]:
    history = [
        {
            "who": objection.lodged_by,
            "when": _stamp(objection.lodged),
            "from": None,
            "to": "pending",
            "reason": objection.grounds,
            "event": "transition",
        }
    ]
    if objection.decided is not None:
        history.append(
            {
                "who": objection.decided_by,
                "when": _stamp(objection.decided),
                "from": "pending",
                "to": objection.status,
                "reason": objection.decision_reason,
                "event": "transition",
            }
        )
    return {
        "id": objection.pk,
        "application": objection.application_id,
        "status": objection.status,
        "grounds": objection.grounds,
        "on_behalf_of": objection.on_behalf_of or None,
        "lodged": _stamp(objection.lodged),
        "lodged_by": objection.lodged_by,
        "decided": _stamp(objection.decided),
        "decision_reason": objection.decision_reason or None,
        "history": history,
    }


def application(user: Any, application_id: int) -> dict[str, Any] | None:
    """One application with its history, the documents and objections the user may see (four
    queries)."""
    rows = list(applications(user).filter(pk=application_id).values(*_SUMMARY_FIELDS))
    if not rows:
        return None
    record = _summary(rows[0])
    record["documents"] = [
        document_record(document)
        for document in ApplicationDocument.objects.restrict(user, "view")
        .filter(application_id=application_id)
        .order_by("id")
    ]
    record["objections"] = [
        _objection(objection)
        for objection in Objection.objects.restrict(user, "view")
        .filter(application_id=application_id)
        .order_by("id")
    ]
    history = history_entries(ApplicationEvent.objects.filter(application_id=application_id))
    record["history"] = history if sees_workings(user, record["organisation"]) else public_history(history)
    return record


# Steps of an application's history that are not published with the decision: the applicant's documents
# (their file names and checksums are the applicant's business).
PRIVATE_EVENTS = ("document_added",)


def sees_workings(user: Any, organisation: str) -> bool:
    """Whether `user` sees an application's documents, objectors and their history in full: its
    organisation's staff, officers and administrators (as ApplicationDocument.objects.restrict)."""
    return (
        permissions.is_admin(user)
        or permissions.can(user, "applications.view_all")
        or permissions.organisation_of(user) == organisation
    )


def public_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An approved application's history as the public sees it: the decision, its dates and the outcome
    of objections; not the documents, nor who objected (an objection lodged shows without its author)."""
    return [
        {**entry, "who": ""} if entry["event"] == "objection_lodged" else entry
        for entry in history
        if entry["event"] not in PRIVATE_EVENTS
    ]


def document_record(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "filename": document.filename,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded": _stamp(document.uploaded),
        "uploaded_by": document.uploaded_by,
    }


def documents(user: Any, application_id: int) -> QuerySet[Any] | None:
    """The application's documents the user may see; None when the user may not see the application."""
    if not applications(user).filter(pk=application_id).exists():
        return None
    return (
        ApplicationDocument.objects.restrict(user, "view")
        .filter(application_id=application_id)
        .order_by("id")
    )


def objection(user: Any, objection_id: int) -> dict[str, Any] | None:
    found = Objection.objects.restrict(user, "view").filter(pk=objection_id).first()
    return None if found is None else _objection(found)


# --- for other apps (reminders, web) ---------------------------------------------------------------


def open_plans(at: dt.datetime) -> QuerySet[Plan]:
    """Published plans whose window is open at `at` (an early closing counts)."""
    return Plan.objects.filter(status=PlanStatus.PUBLISHED, opens__lte=at, closes__gte=at).order_by("id")


def organisations_concerned(plan: Plan) -> QuerySet[Organisation]:
    """The Mainland bodies a plan concerns: of the kind it designates and, where it requires an
    expression of interest, with one for its year covering one of its product types (under any of the
    type's codes or its key, contract §1, rev. 2)."""
    bodies = Organisation.objects.filter(seat=Seat.MAINLAND, kind=plan.role)
    if not plan.requires_expression_of_interest:
        return bodies.order_by("id")
    codes = same_type(plan.product_types)
    interested = {
        org
        for org, product_types in ExpressionOfInterest.objects.filter(year=plan.year).values_list(
            "organisation_id", "product_types"
        )
        if codes & set(product_types)
    }
    return bodies.filter(pk__in=interested).order_by("id")


def applications_in_progress(organisation: str | None = None) -> QuerySet[Application]:
    """Applications not yet decided or withdrawn (optionally of one organisation)."""
    queryset = Application.objects.filter(status__in=IN_PROGRESS)
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    return queryset.order_by("id")


# --- history visibility (cepa.history.visibility) ----------------------------------------------------


def expression_of_interest_visible(user: Any, record_id: str) -> bool:
    """Expressions of interest are not public: their history shows to whoever sees the record."""
    if permissions.can(user, "expressions_of_interest.view_all"):
        return True
    return ExpressionOfInterest.objects.restrict(user, "view").filter(pk=record_id).exists()
