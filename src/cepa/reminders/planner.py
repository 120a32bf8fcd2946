"""`cepa plan-reminders`: computes the reminders the registry's dates call for and schedules them.

Idempotent: every generated reminder has a key naming what it is about and the date it depends on,
so a second run schedules nothing new; a date that changed gives a new key, and the pending reminder
of the old key is cancelled (it is no longer wanted). Run it daily (or after each import).

Generated reminders (notices go out at 09:00 Beijing time):
- 30, 7 and 1 days before the next 1 April: Mainland laboratories and certification bodies, which may
  express interest in next year's designation plans;
- published plans: when the application window opens, and 3 days before it closes, to Mainland
  bodies of the plan's kind;
- agreements in the registry: 90 and 30 days before `until`, to both parties;
- accreditation events (suspended, withdrawn) that touch an agreement in force on or after the event
  (to both parties) or an application still in progress (to the applicant): as soon as known, for
  events from 30 days ago on;
- and what the planners other apps register yield (`add_source`: the inspector register's expiries and
  annual confirmations, registered by cepa.personnel), so one `cepa plan-reminders` a day covers
  everything. Those apps depend on this one, never the other way round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationStatus,
    Agreement,
    AgreementKind,
    DesignationRole,
    Organisation,
    OrganisationKind,
    Seat,
)
from cepa.dates import day_after, days_before
from cepa.decisions.selectors import next_interest_deadline
from cepa.decisions.terms import BEIJING, beijing_date
from cepa.designation.models import Application, ExpressionOfInterest, Plan, PlanStatus
from cepa.reminders import labels
from cepa.reminders.models import Reminder, ReminderStatus
from cepa.reminders.services import Planned, cancel_keys, schedule_many

GRACE = dt.timedelta(days=1)  # a notice due up to a day ago is still worth sending
RECENT = dt.timedelta(days=30)
INTEREST_DAYS = (30, 7, 1)
EXPIRY_DAYS = (90, 30)
CLOSING_NOTICE = dt.timedelta(days=3)
NOTICE_TIME = dt.time(9, 0)
IN_PROGRESS = ("draft", "submitted", "under_review", "information_requested")
SCHEME_KINDS = {"HOKLAS": ("testing",), "HKCAS": ("factory_inspection", "sampling")}
GENERATED_KINDS = (
    "eoi_deadline",
    "plan_window_opens",
    "plan_window_closing",
    "agreement_expiry",
    "accreditation_change",
)


@dataclass
class PlanReport:
    scheduled: int = 0
    unchanged: int = 0
    refreshed: int = 0
    cancelled: int = 0

    def line(self) -> str:
        return (
            f"scheduled {self.scheduled} reminders, {self.unchanged} already scheduled, "
            f"{self.refreshed} updated, {self.cancelled} cancelled"
        )


def key(*parts: Any) -> str:
    """A readable key; a hash of it when ids make it longer than the column."""
    text = ":".join(str(part) for part in parts)
    if len(text) <= 255:
        return text
    return f"{parts[0]}:{hashlib.sha256(text.encode()).hexdigest()}"


def notice_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOTICE_TIME, tzinfo=BEIJING)


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=BEIJING)


def _mainland_bodies() -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            seat=Seat.MAINLAND,
            kind__in=[OrganisationKind.LABORATORY, OrganisationKind.CERTIFICATION_BODY],
        ).order_by("id")
    )


def interest_deadlines(now: dt.datetime, bodies: list[Organisation]) -> Iterator[Planned]:
    deadline = next_interest_deadline(now)
    year = deadline.year
    expressed: dict[str, set[str]] = defaultdict(set)
    for organisation, codes in ExpressionOfInterest.objects.filter(year=year).values_list(
        "organisation_id", "product_types"
    ):
        expressed[organisation].update(codes or ())
    last_day = beijing_date(deadline) - dt.timedelta(days=1)
    for days in INTEREST_DAYS:
        due = notice_at(beijing_date(deadline) - dt.timedelta(days=days))
        if due <= now - GRACE or due >= deadline:
            continue
        for body in bodies:
            yield Planned(
                key=key("eoi-deadline", year, f"{days}d", body.pk),
                due=due,
                kind="eoi_deadline",
                organisation=body.pk,
                stale_after=deadline,
                context={
                    "year": year,
                    "days": days,
                    "deadline": deadline.isoformat(),
                    "last_day": last_day.isoformat(),
                    "expressed": sorted(expressed.get(body.pk, ())),
                },
            )


def plan_windows(now: dt.datetime, bodies: list[Organisation]) -> Iterator[Planned]:
    plans = Plan.objects.filter(status=PlanStatus.PUBLISHED, closed_early_at__isnull=True, closes__gt=now)
    for plan in plans.order_by("id"):
        context = {
            "plan": plan.id,
            "year": plan.year,
            "role_name": labels.label(DesignationRole, plan.role),
            "product_types": sorted(plan.product_types),
            "opens": plan.opens.astimezone(BEIJING).isoformat(),
            "closes": plan.closes.astimezone(BEIJING).isoformat(),
            "requires_expression_of_interest": plan.requires_expression_of_interest,
        }
        stamp = f"{plan.opens.astimezone(BEIJING):%Y%m%dT%H%M}-{plan.closes.astimezone(BEIJING):%Y%m%dT%H%M}"
        closing = plan.closes - CLOSING_NOTICE
        for body in (b for b in bodies if b.kind == plan.role):
            # Sent late rather than never while the window is still open.
            yield Planned(
                key=key("plan-window-opens", plan.id, stamp, body.pk),
                due=max(plan.opens, now),
                kind="plan_window_opens",
                organisation=body.pk,
                stale_after=plan.closes,
                context=context,
            )
            if closing > plan.opens and closing > now - GRACE:
                yield Planned(
                    key=key("plan-window-closing", plan.id, stamp, body.pk),
                    due=closing,
                    kind="plan_window_closing",
                    organisation=body.pk,
                    stale_after=plan.closes,
                    context=context,
                )


def _agreement_context(agreement: Agreement, codes: Iterable[str]) -> dict[str, Any]:
    return {
        "agreement": agreement.id,
        "kind_name": labels.label(AgreementKind, agreement.kind),
        "party": labels.names(agreement.party),
        "counterparty": labels.names(agreement.counterparty),
        "product_types": sorted(codes),
    }


def agreement_expiries(now: dt.datetime) -> Iterator[Planned]:
    today = beijing_date(now)
    agreements = (
        Agreement.objects.filter(valid_until__isnull=False, valid_until__gte=today)
        .select_related("party", "counterparty")
        .prefetch_related("scope_entries")
        .order_by("id")
    )
    for agreement in agreements:
        until = agreement.valid_until
        assert until is not None
        if agreement.terminated_on is not None and agreement.terminated_on <= until:
            continue  # it ends by termination, not expiry
        ends = day_after(until)
        codes = [entry.product_type for entry in agreement.scope_entries.all()]
        for days in EXPIRY_DAYS:
            due = notice_at(days_before(until, days))
            if due <= now - GRACE:
                continue
            context = {
                **_agreement_context(agreement, codes),
                "until": until.isoformat(),
                "ends": ends.isoformat(),
                "days": days,
            }
            for organisation in (agreement.party_id, agreement.counterparty_id):
                yield Planned(
                    key=key("agreement-expiry", agreement.id, until, f"{days}d", organisation),
                    due=due,
                    kind="agreement_expiry",
                    organisation=organisation,
                    stale_after=start_of(ends),
                    context=context,
                )


def _event_codes(event: AccreditationEvent, scope: set[str]) -> set[str]:
    return scope & set(event.scope) if event.scope else set(scope)


def accreditation_changes(now: dt.datetime) -> Iterator[Planned]:
    today = beijing_date(now)
    events = list(
        AccreditationEvent.objects.filter(status__in=["suspended", "withdrawn"], on__gte=today - RECENT)
        .select_related("accreditation__organisation")
        .order_by("accreditation_id", "position")
    )
    if not events:
        return
    accreditations = {event.accreditation_id for event in events}
    scopes: dict[str, set[str]] = defaultdict(set)
    for accreditation_id, code in Accreditation.objects.filter(pk__in=accreditations).values_list(
        "pk", "scope_entries__product_type"
    ):
        if code:
            scopes[accreditation_id].add(code)
    holders = {event.accreditation.organisation_id for event in events}
    agreements = list(
        Agreement.objects.filter(party_id__in=holders)
        .select_related("party", "counterparty")
        .prefetch_related("scope_entries")
        .order_by("id")
    )
    applications = list(
        Application.objects.filter(organisation_id__in=holders, status__in=IN_PROGRESS).order_by("pk")
    )
    for event in events:
        accreditation = event.accreditation
        holder = accreditation.organisation
        codes = _event_codes(event, scopes[accreditation.pk])
        identity = hashlib.sha256(
            f"{event.on}|{event.status}|{','.join(sorted(codes))}".encode()
        ).hexdigest()[:16]
        base = {
            "accreditation": accreditation.pk,
            "holder": labels.names(holder),
            "status_name": labels.label(AccreditationStatus, event.status),
            "on": event.on.isoformat(),
        }
        for agreement in agreements:
            if agreement.party_id != holder.pk or agreement.kind not in SCHEME_KINDS.get(
                accreditation.scheme, ()
            ):
                continue
            touched = codes & {entry.product_type for entry in agreement.scope_entries.all()}
            in_force_after = (agreement.valid_until is None or agreement.valid_until >= event.on) and (
                agreement.terminated_on is None or agreement.terminated_on > event.on
            )
            if not touched or not in_force_after:
                continue
            context = {**base, **_agreement_context(agreement, touched)}
            for organisation in (agreement.party_id, agreement.counterparty_id):
                yield Planned(
                    key=key(
                        "accreditation-change",
                        accreditation.pk,
                        identity,
                        "agreement",
                        agreement.id,
                        organisation,
                    ),
                    due=now,
                    kind="accreditation_change",
                    organisation=organisation,
                    context=context,
                )
        for application in applications:
            if application.organisation_id != holder.pk:
                continue
            touched = codes & set(application.product_types or ())
            if touched:
                yield Planned(
                    key=key(
                        "accreditation-change",
                        accreditation.pk,
                        identity,
                        "application",
                        application.pk,
                        holder.pk,
                    ),
                    due=now,
                    kind="accreditation_change",
                    organisation=holder.pk,
                    context={**base, "application": application.pk, "product_types": sorted(touched)},
                )


Source = Callable[[dt.datetime], Iterable[Planned]]
# Planners of other apps, each registered by its app when Django starts (AppConfig.ready).
SOURCES: list[Source] = []


def add_source(source: Source) -> None:
    """Runs `source` (takes `now`, yields Planned) as one more source of every `cepa plan-reminders`."""
    if source not in SOURCES:
        SOURCES.append(source)


def desired_reminders(now: dt.datetime) -> list[Planned]:
    bodies = _mainland_bodies()
    planned: dict[str, Planned] = {}
    for source in (
        interest_deadlines(now, bodies),
        plan_windows(now, bodies),
        agreement_expiries(now),
        accreditation_changes(now),
        *(source(now) for source in SOURCES),
    ):
        for item in source:
            planned.setdefault(item.key, item)
    return list(planned.values())


def plan_reminders(*, actor: str, now: dt.datetime | None = None, channel: str = "cli") -> PlanReport:
    """Schedules the generated reminders (idempotent) and cancels the pending ones no longer wanted."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("now must be timezone-aware")
    report = PlanReport()
    planned = desired_reminders(moment)
    with transaction.atomic():
        results = schedule_many(
            actor=actor,
            planned=planned,
            generated=True,
            channel=channel,
            reason="cepa plan-reminders",
            now=moment,
        )
        for item, (reminder, created) in zip(planned, results, strict=True):
            if created:
                report.scheduled += 1
                continue
            report.unchanged += 1
            # What the reminder says may have changed (an expression of interest sent meanwhile).
            if (
                reminder.generated
                and reminder.status == ReminderStatus.PENDING
                and reminder.context != dict(item.context or {})
            ):
                report.refreshed += Reminder.objects.filter(
                    pk=reminder.pk, status=ReminderStatus.PENDING
                ).update(context=dict(item.context or {}))
        wanted = {item.key for item in planned}
        # Only kinds this run speaks for: a source that is missing must not cancel what it planned.
        kinds = set(GENERATED_KINDS) | {item.kind for item in planned}
        pending = Reminder.objects.filter(generated=True, status=ReminderStatus.PENDING, kind__in=kinds)
        unwanted = [key for key in pending.values_list("key", flat=True) if key not in wanted]
        report.cancelled = len(
            cancel_keys(
                actor=actor,
                keys=unwanted,
                reason="no longer called for by the registry's dates",
                channel=channel,
            )
        )
    return report
