"""The write path of the designation workflows: expressions of interest, plans, applications,
their supporting documents and objections.

Every function takes keyword arguments only, an `actor` (written to the change log) and the acting
`user` (whose role and organisation are checked here, so the API and the command line cannot
disagree), runs in one transaction, and checks in the contract's order: the role may not do it
(NotAllowed), no such record (NotFound), bad input (InvalidInput), the status does not allow it
(StatusConflict), a rule refuses it (RuleRefused). Nothing is written before every check passed.
Status changes are compare-and-swap updates; each step is kept in the record's history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from cepa.accounts import permissions
from cepa.bodies.models import Designation, DesignationScope, Organisation, OrganisationKind, Seat
from cepa.catalogue.selectors import known_codes
from cepa.decisions.services import decide
from cepa.designation import clock
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    ExpressionOfInterest,
    Objection,
    ObjectionStatus,
    Plan,
    PlanEvent,
    PlanStatus,
    document_path,
)
from cepa.designation.workdays import add_mainland_working_days
from cepa.history.services import RecordChange, record_changes
from cepa.interchange.records import record_of
from cepa.rules.engine import interest_deadline
from cepa.rules.facts import BEIJING

# Objections may be raised within 15 working days of the published decision (CNCA, 26 Jun 2024).
OBJECTION_WORKING_DAYS = 15
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
CODE = re.compile(r"[0-9]{4}")
# Fields of a plan fixed once it is published.
FIXED_WHEN_PUBLISHED = ("year", "role", "product_types", "window", "requires_expression_of_interest")
REQUIREMENT_LANGUAGES = {
    "en": "requirements_en",
    "zh-Hant": "requirements_zh_hant",
    "zh-Hans": "requirements_zh_hans",
}

APPLICATIONS = "designation.applications"
PLANS_WORKFLOW = "designation.plans"
OBJECTIONS = "designation.objections"
DOCUMENTS = "designation.documents"


# --- errors -----------------------------------------------------------------------------------------


class WorkflowError(Exception):
    """A refused workflow request. `code` is for programs; `field` names bad input; `failing` lists
    the rule codes of a refusal."""

    default_code = "BAD_REQUEST"

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, failing: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.failing = list(failing)


class NotAllowed(WorkflowError):
    default_code = "FORBIDDEN"


class NotFound(WorkflowError):
    default_code = "NOT_FOUND"


class InvalidInput(WorkflowError):
    default_code = "BAD_REQUEST"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class StatusConflict(WorkflowError):
    default_code = "CONFLICT"


class RuleRefused(WorkflowError):
    default_code = "REFUSED"


# --- small helpers ------------------------------------------------------------------------------------


def _require(user: Any, permission: str, what: str) -> None:
    if not permissions.can(user, permission):
        role = permissions.role_of(user) or "none"
        raise NotAllowed(f"role {role} may not {what}")


def _require_own(user: Any, organisation: str, what: str) -> None:
    own = permissions.organisation_of(user)
    if own != organisation:
        raise NotAllowed(f"you act for {own!r}, not {organisation!r}: you may not {what}")


def _who(user: Any, actor: str) -> str:
    name = user.get_username() if user is not None and getattr(user, "is_authenticated", False) else ""
    return name or actor


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(BEIJING).isoformat()
    return value.isoformat()


def _text(value: Any, field: str, *, required: bool, max_length: int = 10_000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a string")
    value = value.strip()
    if required and not value:
        raise InvalidInput(field, "is required and may not be empty")
    if "\x00" in value:
        raise InvalidInput(field, "may not contain NUL characters")
    if len(value) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    return value


def _year(value: Any, field: str = "year") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 9999:
        raise InvalidInput(field, "must be a year between 1900 and 9999")
    return value


def _product_types(value: Any, field: str = "product_types") -> list[str]:
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidInput(field, "must be a non-empty list of 4-digit product type codes")
    codes: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not CODE.fullmatch(item):
            raise InvalidInput(field, f"malformed product type code {item!r}: expected 4 digits")
        codes.add(item)
    unknown = sorted(codes - known_codes())
    if unknown:
        raise InvalidInput(
            field, f"unknown product type codes {', '.join(unknown)}: no catalogue version has had them"
        )
    return sorted(codes)


def _moment(value: Any, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(field, f"malformed timestamp {value!r}: expected ISO 8601") from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a timestamp")
    # A timestamp without an offset is Beijing/Hong Kong time.
    return value if value.tzinfo else value.replace(tzinfo=BEIJING)


def _window(value: Any) -> tuple[dt.datetime, dt.datetime]:
    if not isinstance(value, Mapping) or set(value) - {"opens", "closes"}:
        raise InvalidInput("window", "must be an object {opens, closes}")
    if "opens" not in value or "closes" not in value:
        raise InvalidInput("window", "needs both opens and closes")
    opens = _moment(value["opens"], "window.opens")
    closes = _moment(value["closes"], "window.closes")
    if closes <= opens:
        raise InvalidInput("window.closes", "must be after window.opens")
    return opens, closes


def _requirements(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or set(value) - set(REQUIREMENT_LANGUAGES):
        raise InvalidInput("requirements", "must be an object keyed by en, zh-Hant, zh-Hans")
    return {
        REQUIREMENT_LANGUAGES[lang]: _text(text, f"requirements.{lang}", required=False, max_length=20_000)
        for lang, text in value.items()
    }


def _changes(
    *,
    actor: str,
    reason: str,
    channel: str,
    record_type: str,
    record_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    more: Iterable[RecordChange] = (),
) -> None:
    record_changes(
        actor=actor,
        reason=reason,
        channel=channel,
        changes=[RecordChange(record_type, record_id, action, before, after), *more],
    )


# --- expressions of interest ------------------------------------------------------------------------


def check_may_express_interest(*, user: Any, organisation: Any) -> None:
    """The checks that come before the body is read: the role, then the organisation."""
    _require(user, "expressions_of_interest.create", "express interest in designation plans")
    if isinstance(organisation, str):
        _require_own(user, organisation, "express interest for it")


def _next_expression_id(year: int) -> str:
    prefix = f"EOI-{year}-"
    taken = ExpressionOfInterest.objects.filter(id__startswith=prefix).values_list("id", flat=True)
    numbers = [int(i[len(prefix) :]) for i in taken if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def express_interest(
    *, actor: str, user: Any, organisation: str, year: int, product_types: Sequence[str], channel: str = "api"
) -> ExpressionOfInterest:
    """Records a Mainland body's written expression of interest in the year's designation plans.

    Accepted strictly before 1 April 00:00 Beijing time of `year` (else DEADLINE_PASSED)."""
    check_may_express_interest(user=user, organisation=organisation)
    body = Organisation.objects.filter(pk=organisation).first()
    if body is None:
        raise NotFound(f"no organisation with id {organisation!r}")
    if body.seat != Seat.MAINLAND:
        raise NotAllowed(
            f"{organisation} is not seated in the Mainland: only Mainland bodies express interest"
        )
    year = _year(year)
    codes = _product_types(product_types)
    moment = clock.now()
    deadline = interest_deadline(year)
    if moment >= deadline:
        raise RuleRefused(
            f"expressions of interest for {year} were due before {deadline.isoformat()}",
            code="DEADLINE_PASSED",
            failing=["DEADLINE_PASSED"],
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                expression = ExpressionOfInterest.objects.create(
                    id=_next_expression_id(year),
                    organisation=body,
                    year=year,
                    product_types=codes,
                    submitted=moment,
                )
                _changes(
                    actor=actor,
                    reason="expression of interest",
                    channel=channel,
                    record_type="expressions_of_interest",
                    record_id=expression.id,
                    action="create",
                    before=None,
                    after=record_of(expression),
                )
                return expression
        except IntegrityError:
            continue  # another request took the same number at the same moment
    raise StatusConflict("could not number the expression of interest; try again")


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
    }


def check_may_manage_plans(*, user: Any) -> None:
    _require(user, "plans.manage", "manage designation plans")


def find_plan(*, user: Any, plan_id: str) -> Plan:
    check_may_manage_plans(user=user)
    plan = Plan.objects.filter(pk=plan_id).first() if "\x00" not in plan_id else None
    if plan is None:
        raise NotFound(f"no plan with id {plan_id!r}")
    return plan


def _plan_event(
    plan: Plan,
    *,
    who: str,
    channel: str,
    before: str | None,
    after: str,
    reason: str,
    event: str = "transition",
) -> None:
    PlanEvent.objects.create(
        plan=plan,
        at=clock.now(),
        who=who,
        channel=channel,
        from_status=before,
        to_status=after,
        reason=reason,
        event=event,
    )


def create_plan(
    *,
    actor: str,
    user: Any,
    id: str,
    year: int,
    role: str,
    product_types: Sequence[str],
    window: Mapping[str, Any],
    requires_expression_of_interest: bool = True,
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
            raise StatusConflict(f"a plan with id {id!r} already exists", code="ALREADY_EXISTS")
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
        _plan_event(
            plan,
            who=_who(user, actor),
            channel=channel,
            before=None,
            after=PlanStatus.DRAFT,
            reason="drafted",
        )
        _changes(
            actor=actor,
            reason="plan drafted",
            channel=channel,
            record_type=PLANS_WORKFLOW,
            record_id=plan.id,
            action="create",
            before=None,
            after=plan_state(plan),
        )
    return plan


def update_plan(
    *, actor: str, user: Any, plan_id: str, changes: Mapping[str, Any], reason: str = "", channel: str = "api"
) -> Plan:
    """Changes a plan's fields. Once published its window, product types, year, role and whether it
    requires an expression of interest are fixed (StatusConflict); the requirements stay editable."""
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
            raise StatusConflict(
                f"plan {plan.id} is {plan.status}: its {', '.join(fixed)} can no longer change"
            )
        before = plan_state(plan)
        for name, value in values.items():
            setattr(plan, name, value)
        if values:
            plan.save(update_fields=list(values))
        _plan_event(
            plan,
            who=_who(user, actor),
            channel=channel,
            before=plan.status,
            after=plan.status,
            reason=reason or f"changed {', '.join(sorted(changes)) or 'nothing'}",
            event="updated",
        )
        _changes(
            actor=actor,
            reason=reason or "plan updated",
            channel=channel,
            record_type=PLANS_WORKFLOW,
            record_id=plan.id,
            action="update",
            before=before,
            after=plan_state(plan),
        )
    return plan


def _set_plan_status(plan: Plan, old: str, **fields: Any) -> None:
    if Plan.objects.filter(pk=plan.pk, status=old).update(**fields) != 1:
        raise StatusConflict(f"plan {plan.id} changed meanwhile; reload it and try again")
    for name, value in fields.items():
        setattr(plan, name, value)


def publish_plan(*, actor: str, user: Any, plan_id: str, channel: str = "api") -> Plan:
    """Publishes a draft plan today (Beijing date): from then on the public and the decisions see it."""
    plan = find_plan(user=user, plan_id=plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise StatusConflict(f"plan {plan.id} is {plan.status}, not draft")
    moment = clock.now()
    if plan.closes <= moment:
        raise RuleRefused(
            f"plan {plan.id}'s window closed at {_iso(plan.closes)}: change the window first",
            code="WINDOW_CLOSED",
            failing=["WINDOW_CLOSED"],
        )
    with transaction.atomic():
        before = plan_state(plan)
        _set_plan_status(plan, PlanStatus.DRAFT, status=PlanStatus.PUBLISHED, published=clock.today())
        _plan_event(
            plan,
            who=_who(user, actor),
            channel=channel,
            before=PlanStatus.DRAFT,
            after=PlanStatus.PUBLISHED,
            reason="published",
        )
        _changes(
            actor=actor,
            reason="plan published",
            channel=channel,
            record_type=PLANS_WORKFLOW,
            record_id=plan.id,
            action="transition",
            before=before,
            after=plan_state(plan),
            # From publication on the plan is a registry record like an imported one.
            more=[RecordChange("plans", plan.id, "create", None, record_of(plan))],
        )
    return plan


def close_plan(*, actor: str, user: Any, plan_id: str, reason: str, channel: str = "api") -> Plan:
    """Closes a published plan's window early, now, for the reason given."""
    plan = find_plan(user=user, plan_id=plan_id)
    reason = _text(reason, "reason", required=True)
    if plan.status != PlanStatus.PUBLISHED:
        raise StatusConflict(f"plan {plan.id} is {plan.status}: only a published plan can be closed")
    moment = clock.now()
    if plan.closes <= moment:
        raise RuleRefused(
            f"plan {plan.id}'s window already closed at {_iso(plan.closes)}",
            code="WINDOW_CLOSED",
            failing=["WINDOW_CLOSED"],
        )
    with transaction.atomic():
        before, registry_before = plan_state(plan), record_of(plan)
        _set_plan_status(
            plan, PlanStatus.PUBLISHED, status=PlanStatus.CLOSED, closed_early_at=moment, close_reason=reason
        )
        _plan_event(
            plan,
            who=_who(user, actor),
            channel=channel,
            before=PlanStatus.PUBLISHED,
            after=PlanStatus.CLOSED,
            reason=reason,
        )
        _changes(
            actor=actor,
            reason=reason,
            channel=channel,
            record_type=PLANS_WORKFLOW,
            record_id=plan.id,
            action="transition",
            before=before,
            after=plan_state(plan),
            more=[RecordChange("plans", plan.id, "update", registry_before, record_of(plan))],
        )
    return plan


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
    of the conditions that fail now. RuleRefused when the routes differ or there is none."""
    decisions = [decide("designation", subject=organisation, product_type=code, at=moment) for code in codes]
    routes = {Route(d.route or "none", d.plan if d.route == "plan" else None) for d in decisions}
    failing: list[str] = []
    for decision in decisions:
        failing.extend(code for code in decision.failing if code not in failing)
    if any(route.route == "none" for route in routes):
        raise RuleRefused(
            f"{organisation} cannot apply for designation: {', '.join(failing)}", failing=failing
        )
    if len(routes) > 1:
        described = "; ".join(
            f"{code}: {d.route}{' ' + d.plan if d.plan else ''}"
            for code, d in zip(codes, decisions, strict=True)
        )
        raise RuleRefused(
            f"the product types take different routes ({described}): apply for each route separately",
            code="MIXED_ROUTES",
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
    """The application for an action: the role may do it (403), it exists (404), and an applicant
    acts for its organisation (403)."""
    _require(user, permission, what)
    number = parse_id(application_id)
    application = (
        Application.objects.select_related("organisation").filter(pk=number).first() if number else None
    )
    if application is None:
        raise NotFound(f"no application with id {application_id!r}")
    if permission == "applications.apply":
        _require_own(user, application.organisation_id, what)
    return application


def _application_event(
    application: Application,
    *,
    who: str,
    channel: str,
    before: str | None,
    after: str,
    reason: str,
    event: str = "transition",
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        at=clock.now(),
        who=who,
        channel=channel,
        from_status=before,
        to_status=after,
        reason=reason,
        event=event,
    )


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
    """Compare-and-swap the status (StatusConflict when another request changed it first), then
    `then` (further writes, returning their changes), then the history. Runs inside the caller's
    transaction."""
    old = application.status
    before = application_state(application)
    if Application.objects.filter(pk=application.pk, status=old).update(status=to, **fields) != 1:
        raise StatusConflict(f"application {application.pk} changed meanwhile; reload it and try again")
    application.status = to
    for name, value in fields.items():
        setattr(application, name, value)
    more = list(then()) if then is not None else []
    _application_event(
        application, who=_who(user, actor), channel=channel, before=old, after=to, reason=reason
    )
    _changes(
        actor=actor,
        reason=reason or f"{old} to {to}",
        channel=channel,
        record_type=APPLICATIONS,
        record_id=str(application.pk),
        action="transition",
        before=before,
        after=application_state(application),
        more=more,
    )


def _expect(application: Application, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if application.status not in allowed:
        raise StatusConflict(
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
        _application_event(
            application,
            who=_who(user, actor),
            channel=channel,
            before=None,
            after=ApplicationStatus.DRAFT,
            reason="drafted",
        )
        _changes(
            actor=actor,
            reason="application drafted",
            channel=channel,
            record_type=APPLICATIONS,
            record_id=str(application.pk),
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
        raise RuleRefused(f"the designation decision refuses now: {', '.join(failing)}", failing=failing)
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

    Approval publishes the application for objections during 15 Mainland working days counted from
    the day after approval and creates the designation, in force from the day after that period
    (unless an objection is upheld, see review_objection)."""
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
        raise RuleRefused(
            f"{body.id} is a {body.kind}: only laboratories and certification bodies are designated",
            code="KIND_NOT_ELIGIBLE",
            failing=["KIND_NOT_ELIGIBLE"],
        )
    moment = clock.now()
    approved_on = moment.astimezone(BEIJING).date()
    period = add_mainland_working_days(approved_on, OBJECTION_WORKING_DAYS)
    starts = period.last_day + dt.timedelta(days=1)

    def designate() -> list[RecordChange]:
        # Only after the status swap, so a request that lost the race creates nothing.
        designation = Designation.objects.create(
            id=_designation_id(application),
            organisation=body,
            role=body.kind,
            valid_from=starts,
            basis=(
                f"CNCA designation approved {approved_on.isoformat()} on application {application.pk}"
                + (f" under plan {application.plan_id}" if application.plan_id else " (routine designation)")
                + f"; objection period ended {period.last_day.isoformat()}"
            ),
            source="CEPA Registry designation workflow",
        )
        DesignationScope.objects.bulk_create(
            DesignationScope(designation=designation, product_type=code) for code in application.product_types
        )
        Application.objects.filter(pk=application.pk).update(designation=designation)
        application.designation = designation
        return [RecordChange("designations", designation.id, "create", None, record_of(designation))]

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
            designation_from=starts,
            designation_date_provisional=period.provisional,
        )
    return application


def refresh_provisional_periods(*, actor: str, channel: str = "cli") -> list[Application]:
    """Counts again the objection periods that ran into a year whose Mainland holiday schedule was
    not announced at approval (provisional), for designations not yet in force. Once the schedule is
    known (a newer chinese_calendar), the period's end and the designation's first day follow it.
    Returns the applications whose dates moved."""
    today = clock.today()
    moved: list[Application] = []
    candidates = Application.objects.filter(
        status=ApplicationStatus.APPROVED,
        designation_date_provisional=True,
        designation_from__gt=today,
        designation_cancelled__isnull=True,
    ).order_by("id")
    for application in candidates:
        assert application.decided is not None and application.designation_from is not None
        period = add_mainland_working_days(
            application.decided.astimezone(BEIJING).date(), OBJECTION_WORKING_DAYS
        )
        starts = period.last_day + dt.timedelta(days=1)
        if starts == application.designation_from and period.provisional:
            continue
        with transaction.atomic():
            before = application_state(application)
            updated = Application.objects.filter(
                pk=application.pk,
                status=ApplicationStatus.APPROVED,
                designation_from=application.designation_from,
            ).update(
                objection_period_ends=period.last_day,
                designation_from=starts,
                designation_date_provisional=period.provisional,
            )
            if updated != 1:
                continue  # decided otherwise meanwhile
            old_from = application.designation_from
            application.objection_period_ends = period.last_day
            application.designation_from = starts
            application.designation_date_provisional = period.provisional
            more: list[RecordChange] = []
            if application.designation_id is not None and starts != old_from:
                designation = Designation.objects.get(pk=application.designation_id)
                registry_before = record_of(designation)
                Designation.objects.filter(pk=designation.pk).update(valid_from=starts)
                more.append(
                    RecordChange(
                        "designations", designation.pk, "update", registry_before, record_of(designation)
                    )
                )
            reason = (
                f"objection period counted again with the announced holiday schedule: ends "
                f"{period.last_day.isoformat()}, designation from {starts.isoformat()}"
                + (" (still provisional)" if period.provisional else "")
            )
            _application_event(
                application,
                who=actor,
                channel=channel,
                before=application.status,
                after=application.status,
                reason=reason,
                event="period_recounted",
            )
            _changes(
                actor=actor,
                reason=reason,
                channel=channel,
                record_type=APPLICATIONS,
                record_id=str(application.pk),
                action="update",
                before=before,
                after=application_state(application),
                more=more,
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


# --- supporting documents -----------------------------------------------------------------------------

DOCUMENT_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFORMATION_REQUESTED,
)


def max_document_bytes() -> int:
    return int(getattr(settings, "CEPA_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


class DocumentTooLarge(InvalidInput):
    """A document over the size limit (the API answers 413)."""


def _filename(value: Any) -> str:
    name = _text(value or "document.pdf", "filename", required=True, max_length=1000)
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).strip(". ") or "document.pdf"
    return name[-255:]


def check_document(*, filename: Any, content_type: str, data: bytes) -> str:
    """The checks of an upload: PDF by content type and by its first bytes, within the size limit."""
    limit = max_document_bytes()
    if len(data) > limit:
        raise DocumentTooLarge("file", f"is {len(data)} bytes; the limit is {limit} bytes")
    if not data:
        raise InvalidInput("file", "is empty")
    if content_type.split(";")[0].strip().lower() != "application/pdf":
        raise InvalidInput(
            "file", f"must be a PDF (content type application/pdf), not {content_type or 'unknown'}"
        )
    if not data.startswith(PDF_MAGIC):
        raise InvalidInput("file", "is not a PDF: it does not start with %PDF-")
    return _filename(filename)


def add_document(
    *,
    actor: str,
    user: Any,
    application_id: Any,
    filename: str,
    content_type: str,
    data: bytes,
    channel: str = "api",
) -> ApplicationDocument:
    """Stores a supporting PDF under MEDIA_ROOT, named by its sha256 checksum."""
    application = find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="add documents to this application",
    )
    name = check_document(filename=filename, content_type=content_type, data=data)
    _expect(application, DOCUMENT_STATUSES, "adding a document")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        # Lock the application so a document never lands on one that is being decided.
        current = Application.objects.select_for_update().get(pk=application.pk)
        _expect(current, DOCUMENT_STATUSES, "adding a document")
        document = ApplicationDocument(
            application=application,
            filename=name,
            size=len(data),
            sha256=digest,
            uploaded=clock.now(),
            uploaded_by=_who(user, actor),
        )
        path = document_path(document, name)
        # Content-addressed: the same bytes are one file; a rolled-back upload leaves at most a
        # file that a later upload of the same bytes reuses.
        storage = document.file.storage
        if not storage.exists(path):
            stored = storage.save(path, ContentFile(data))
            if stored != path:  # pragma: no cover - the storage renamed it
                path = stored
        document.file.name = path
        document.save()
        _application_event(
            application,
            who=_who(user, actor),
            channel=channel,
            before=current.status,
            after=current.status,
            reason=f"document {name} ({digest[:12]})",
            event="document_added",
        )
        _changes(
            actor=actor,
            reason="supporting document",
            channel=channel,
            record_type=DOCUMENTS,
            record_id=str(document.pk),
            action="create",
            before=None,
            after={"application": application.pk, "filename": name, "size": len(data), "sha256": digest},
        )
    return document


# --- objections -------------------------------------------------------------------------------------


def objection_state(objection: Objection) -> dict[str, Any]:
    return {
        "id": objection.pk,
        "application": objection.application_id,
        "status": objection.status,
        "lodged": _iso(objection.lodged),
        "decided": _iso(objection.decided),
    }


def find_application_to_object(*, user: Any, application_id: Any) -> Application:
    _require(user, "objections.lodge", "lodge objections")
    number = parse_id(application_id)
    application = permissions.applications_visible_to(user).filter(pk=number).first() if number else None
    if application is None:
        raise NotFound(f"no application with id {application_id!r}")
    return application


def lodge_objection(
    *, actor: str, user: Any, application_id: Any, grounds: str, on_behalf_of: str = "", channel: str = "api"
) -> Objection:
    """An objection to an approved application, during its objection period (Beijing dates)."""
    application = find_application_to_object(user=user, application_id=application_id)
    grounds = _text(grounds, "grounds", required=True)
    on_behalf_of = _text(on_behalf_of, "on_behalf_of", required=False, max_length=200)
    if application.status != ApplicationStatus.APPROVED:
        raise StatusConflict(
            f"application {application.pk} is {application.status}: "
            "only an approved application is open to objections"
        )
    if application.designation_cancelled is not None:
        raise StatusConflict(
            f"application {application.pk}'s designation was already cancelled on an objection"
        )
    moment = clock.now()
    assert application.objection_period_ends is not None
    if moment.astimezone(BEIJING).date() > application.objection_period_ends:
        raise RuleRefused(
            f"the objection period ended on {application.objection_period_ends.isoformat()}",
            code="OBJECTION_PERIOD_ENDED",
            failing=["OBJECTION_PERIOD_ENDED"],
        )
    who = _who(user, actor)
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            grounds=grounds,
            on_behalf_of=on_behalf_of,
            lodged=moment,
            lodged_by=who,
        )
        _application_event(
            application,
            who=who,
            channel=channel,
            before=application.status,
            after=application.status,
            reason=f"objection {objection.pk} lodged",
            event="objection_lodged",
        )
        _changes(
            actor=actor,
            reason="objection lodged",
            channel=channel,
            record_type=OBJECTIONS,
            record_id=str(objection.pk),
            action="create",
            before=None,
            after=objection_state(objection),
        )
    return objection


OBJECTION_ACTIONS = {"uphold": ObjectionStatus.UPHELD, "dismiss": ObjectionStatus.DISMISSED}


def find_objection(*, user: Any, objection_id: Any) -> Objection:
    _require(user, "objections.review", "decide objections")
    number = parse_id(objection_id)
    objection = Objection.objects.select_related("application").filter(pk=number).first() if number else None
    if objection is None:
        raise NotFound(f"no objection with id {objection_id!r}")
    return objection


def check_objection_action(action: Any, reason: Any) -> tuple[str, str]:
    if action not in OBJECTION_ACTIONS:
        raise InvalidInput("action", f"must be one of {', '.join(OBJECTION_ACTIONS)}")
    return action, _text(reason, "reason", required=True)


def review_objection(
    *, actor: str, user: Any, objection_id: Any, action: str, reason: str, channel: str = "api"
) -> Objection:
    """A CNCA officer upholds or dismisses a pending objection. Upheld, the designation the approval
    created is removed (it never comes into force), and the change is in the history."""
    objection = find_objection(user=user, objection_id=objection_id)
    action, reason = check_objection_action(action, reason)
    if objection.status != ObjectionStatus.PENDING:
        raise StatusConflict(f"objection {objection.pk} is already {objection.status}")
    to = OBJECTION_ACTIONS[action]
    moment = clock.now()
    who = _who(user, actor)
    with transaction.atomic():
        before = objection_state(objection)
        updated = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.PENDING).update(
            status=to, decided=moment, decided_by=who, decision_reason=reason
        )
        if updated != 1:
            raise StatusConflict(f"objection {objection.pk} was decided meanwhile; reload it")
        objection.status, objection.decided, objection.decided_by, objection.decision_reason = (
            to,
            moment,
            who,
            reason,
        )
        application = Application.objects.select_for_update().get(pk=objection.application_id)
        more: list[RecordChange] = []
        note = f"objection {objection.pk} {to}: {reason}"
        if to == ObjectionStatus.UPHELD and application.designation_id is not None:
            designation = Designation.objects.get(pk=application.designation_id)
            designation_id = designation.id
            app_before = application_state(application)
            more.append(RecordChange("designations", designation_id, "delete", record_of(designation), None))
            designation.delete()
            Application.objects.filter(pk=application.pk).update(
                designation=None, designation_cancelled=moment
            )
            application.designation_id, application.designation_cancelled = None, moment
            more.append(
                RecordChange(
                    APPLICATIONS, str(application.pk), "update", app_before, application_state(application)
                )
            )
            note += f"; designation {designation_id} cancelled"
        _application_event(
            application,
            who=who,
            channel=channel,
            before=application.status,
            after=application.status,
            reason=note,
            event=f"objection_{to}",
        )
        _changes(
            actor=actor,
            reason=reason,
            channel=channel,
            record_type=OBJECTIONS,
            record_id=str(objection.pk),
            action="transition",
            before=before,
            after=objection_state(objection),
            more=more,
        )
    return objection
