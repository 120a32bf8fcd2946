"""Designation applications: draft, submit, review (approval creates the designation), withdraw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cepa.bodies.models import Designation, DesignationScope, Organisation, OrganisationKind
from cepa.bodies.records import DESIGNATIONS
from cepa.decisions.services import decide
from cepa.decisions.terms import beijing_date
from cepa.designation import clock
from cepa.designation.basis import decision_basis
from cepa.designation.models import (
    Application,
    ApplicationStatus,
)
from cepa.designation.services.base import (
    APPLICATIONS,
    OBJECTION_WORKING_DAYS,
    _history,
    _iso,
    _product_types,
    _require,
    _require_own,
    _text,
)
from cepa.designation.workdays import add_mainland_working_days
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotFound, Refused
from cepa.history.services import RecordChange
from cepa.workflow import swap_status

# --- applications -----------------------------------------------------------------------------------


def application_state(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "organisation": application.organisation_id,
        "product_types": list(application.product_types),
        "status": application.status,
        "route": application.route,
        "plan": application.plan_id,
        "objection_period_ends": _iso(application.objection_period_ends),
        "designation_from": _iso(application.designation_from),
        "designation": application.designation_id,
    }


@dataclass(frozen=True)
class Route:
    route: str
    plan: str | None


def _route(organisation: str, codes: Sequence[str], moment: dt.datetime) -> tuple[Route, list[str]]:
    """The one route (and plan) the `designation` decision gives every product type, and the codes
    of the conditions that fail now. Refused when the routes differ or there is none."""
    decisions = [decide("designation", subject=organisation, product_type=code, at=moment) for code in codes]
    routes = {Route(d.route or "none", d.plan if d.route == "plan" else None) for d in decisions}
    failing: list[str] = []
    for decision in decisions:
        failing.extend(code for code in decision.failing if code not in failing)
    if any(route.route == "none" for route in routes):
        raise Refused(f"{organisation} cannot apply for designation: {', '.join(failing)}", failing=failing)
    if len(routes) > 1:
        described = "; ".join(
            f"{code}: {d.route}{' ' + d.plan if d.plan else ''}"
            for code, d in zip(codes, decisions, strict=True)
        )
        raise Refused(
            f"the product types take different routes ({described}): apply for each route separately",
            code=ErrorCode.MIXED_ROUTES,
            failing=["MIXED_ROUTES"],
        )
    return routes.pop(), failing


def parse_id(application_id: Any) -> int | None:
    if isinstance(application_id, int) and not isinstance(application_id, bool):
        return application_id if 0 < application_id < 2**62 else None
    if isinstance(application_id, str) and application_id.isascii() and application_id.isdigit():
        number = int(application_id)
        return number if 0 < number < 2**62 else None
    return None


def find_application(*, user: Any, application_id: Any, permission: str, what: str) -> Application:
    """The application for an action: the role may do it (403), it exists and the user may see it
    (404 either way, so an id says nothing of applications the user may not see), and an applicant
    acts for its organisation (403: a published application of another body)."""
    _require(user, permission, what)
    number = parse_id(application_id)
    application = (
        Application.objects.restrict(user, "view").select_related("organisation").filter(pk=number).first()
        if number
        else None
    )
    if application is None:
        raise NotFound(f"no application with id {application_id!r}")
    if permission == "applications.apply":
        _require_own(user, application.organisation_id, what)
    return application


def _move(
    application: Application,
    *,
    actor: str,
    user: Any,
    channel: str,
    to: str,
    reason: str,
    then: Callable[[], Iterable[RecordChange]] | None = None,
    **fields: Any,
) -> None:
    """Compare-and-swap the status (Conflict when another request changed it first), then
    `then` (further writes, returning their changes), then the history. Runs inside the caller's
    transaction."""
    old = application.status
    before = application_state(application)
    if not swap_status(application, old, status=to, **fields):
        raise Conflict(f"application {application.pk} changed meanwhile; reload it and try again")
    more = list(then()) if then is not None else []
    _history(
        application,
        actor=actor,
        user=user,
        channel=channel,
        old=old,
        note=reason,
        reason=reason or f"{old} to {to}",
        record_type=APPLICATIONS,
        action="transition",
        before=before,
        after=application_state(application),
        more=more,
    )


def _expect(application: Application, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if application.status not in allowed:
        raise Conflict(
            f"application {application.pk} is {application.status}: {action} needs {' or '.join(allowed)}"
        )


def check_may_apply(*, user: Any, organisation: Any) -> None:
    _require(user, "applications.apply", "apply for designation")
    if isinstance(organisation, str):
        _require_own(user, organisation, "apply for it")


def create_application(
    *, actor: str, user: Any, organisation: str, product_types: Sequence[str], channel: str = "api"
) -> Application:
    """A draft application. Every product type must take the same route (and plan) now."""
    check_may_apply(user=user, organisation=organisation)
    if not Organisation.objects.filter(pk=organisation).exists():
        raise NotFound(f"no organisation with id {organisation!r}")
    codes = _product_types(product_types)
    moment = clock.now()
    route, _failing = _route(organisation, codes, moment)
    with transaction.atomic():
        application = Application.objects.create(
            organisation_id=organisation,
            product_types=codes,
            status=ApplicationStatus.DRAFT,
            route=route.route,
            plan_id=route.plan,
            created=moment,
        )
        _history(
            application,
            actor=actor,
            user=user,
            channel=channel,
            old=None,
            note="drafted",
            reason="application drafted",
            record_type=APPLICATIONS,
            action="create",
            before=None,
            after=application_state(application),
        )
    return application


def submit_application(*, actor: str, user: Any, application_id: Any, channel: str = "api") -> Application:
    """Submits a draft (or answers a request for information). The `designation` decision is taken
    again now for every product type: refused, the request fails with its failing codes."""
    application = find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="submit this application",
    )
    _expect(application, [ApplicationStatus.DRAFT, ApplicationStatus.INFORMATION_REQUESTED], "submit")
    moment = clock.now()
    route, failing = _route(application.organisation_id, application.product_types, moment)
    if failing:
        raise Refused(f"the designation decision refuses now: {', '.join(failing)}", failing=failing)
    with transaction.atomic():
        _move(
            application,
            actor=actor,
            user=user,
            channel=channel,
            to=ApplicationStatus.SUBMITTED,
            reason="submitted",
            submitted=moment,
            route=route.route,
            plan_id=route.plan,
        )
    return application


REVIEW_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": ((ApplicationStatus.SUBMITTED,), ApplicationStatus.UNDER_REVIEW),
    "request_information": ((ApplicationStatus.UNDER_REVIEW,), ApplicationStatus.INFORMATION_REQUESTED),
    "approve": ((ApplicationStatus.UNDER_REVIEW,), ApplicationStatus.APPROVED),
    "refuse": ((ApplicationStatus.UNDER_REVIEW,), ApplicationStatus.REFUSED),
}


def check_review_action(action: Any, reason: Any) -> tuple[str, str]:
    if action not in REVIEW_ACTIONS:
        raise InvalidInput("action", f"must be one of {', '.join(REVIEW_ACTIONS)}")
    needs_reason = action in ("request_information", "refuse")
    return action, _text(reason, "reason", required=needs_reason)


def _designation_id(application: Application) -> str:
    base = f"CNCA-APPLICATION-{application.pk}"
    candidate, suffix = base, 1
    while Designation.objects.filter(pk=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def review_application(
    *, actor: str, user: Any, application_id: Any, action: str, reason: str = "", channel: str = "api"
) -> Application:
    """A CNCA officer's step: start, request_information, approve or refuse.

    Approval publishes CNCA's designation decision (contract §4 rev. 2): the designation it creates is
    in force from the day of approval (Beijing date), and objections may be lodged through the 15th
    Mainland working day after it (an upheld one ends the designation, see review_objection)."""
    application = find_application(
        user=user, application_id=application_id, permission="applications.review", what="review applications"
    )
    action, reason = check_review_action(action, reason)
    allowed, to = REVIEW_ACTIONS[action]
    _expect(application, allowed, action.replace("_", " "))
    if action != "approve":
        decided: dict[str, Any] = {"decided": clock.now()} if action == "refuse" else {}
        with transaction.atomic():
            _move(
                application,
                actor=actor,
                user=user,
                channel=channel,
                to=to,
                reason=reason or action,
                **decided,
            )
        return application

    body = application.organisation
    if body.kind not in (OrganisationKind.LABORATORY, OrganisationKind.CERTIFICATION_BODY):
        raise Refused(
            f"{body.id} is a {body.kind}: only laboratories and certification bodies are designated",
            code=ErrorCode.KIND_NOT_ELIGIBLE,
            failing=["KIND_NOT_ELIGIBLE"],
        )
    moment = clock.now()
    approved_on = beijing_date(moment)
    period = add_mainland_working_days(approved_on, OBJECTION_WORKING_DAYS)

    def designate() -> list[RecordChange]:
        # Only after the status swap, so a request that lost the race creates nothing.
        designation = Designation.objects.create(
            id=_designation_id(application),
            organisation=body,
            role=body.kind,
            valid_from=approved_on,
            basis=decision_basis(approved_on, str(application.pk), application.plan_id, period.last_day),
            source="CEPA Registry designation workflow",
        )
        DesignationScope.objects.bulk_create(
            DesignationScope(designation=designation, product_type=code) for code in application.product_types
        )
        Application.objects.filter(pk=application.pk).update(designation=designation)
        application.designation = designation
        after = DESIGNATIONS.record_of(designation)
        return [RecordChange("designations", designation.id, "create", None, after)]

    with transaction.atomic():
        _move(
            application,
            actor=actor,
            user=user,
            channel=channel,
            to=to,
            reason=reason or "approved",
            then=designate,
            decided=moment,
            objection_period_ends=period.last_day,
            designation_from=approved_on,
            designation_date_provisional=period.provisional,
        )
    return application


def refresh_provisional_periods(*, actor: str, channel: str = "cli") -> list[Application]:
    """Counts again the objection periods still running that ran into a year whose Mainland holiday
    schedule was not announced at approval (provisional). Once the schedule is known (a newer
    chinese_calendar), the period's end follows it; the designation, in force from the day of
    approval, does not move. Returns the applications whose period changed."""
    today = clock.today()
    moved: list[Application] = []
    candidates = Application.objects.filter(
        status=ApplicationStatus.APPROVED,
        designation_date_provisional=True,
        objection_period_ends__gte=today,
        designation_cancelled__isnull=True,
    ).order_by("id")
    for application in candidates:
        assert application.decided is not None and application.objection_period_ends is not None
        period = add_mainland_working_days(beijing_date(application.decided), OBJECTION_WORKING_DAYS)
        if period.last_day == application.objection_period_ends and period.provisional:
            continue
        with transaction.atomic():
            before = application_state(application)
            updated = Application.objects.filter(
                pk=application.pk,
                status=ApplicationStatus.APPROVED,
                objection_period_ends=application.objection_period_ends,
            ).update(objection_period_ends=period.last_day, designation_date_provisional=period.provisional)
            if updated != 1:
                continue  # decided otherwise meanwhile
            application.objection_period_ends = period.last_day
            application.designation_date_provisional = period.provisional
            reason = (
                f"objection period counted again with the announced holiday schedule: ends "
                f"{period.last_day.isoformat()}" + (" (still provisional)" if period.provisional else "")
            )
            _history(
                application,
                actor=actor,
                user=None,
                channel=channel,
                old=application.status,
                note=reason,
                reason=reason,
                record_type=APPLICATIONS,
                action="update",
                before=before,
                after=application_state(application),
                event="period_recounted",
            )
        moved.append(application)
    return moved


def withdraw_application(
    *, actor: str, user: Any, application_id: Any, reason: str = "", channel: str = "api"
) -> Application:
    application = find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="withdraw this application",
    )
    reason = _text(reason, "reason", required=False)
    _expect(
        application,
        [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.INFORMATION_REQUESTED],
        "withdraw",
    )
    with transaction.atomic():
        _move(
            application,
            actor=actor,
            user=user,
            channel=channel,
            to=ApplicationStatus.WITHDRAWN,
            reason=reason or "withdrawn",
            decided=clock.now(),
        )
    return application
