"""Reminders of the inspector register: expiry coming, annual confirmation due, transfer decided.

They go through the reminders app (cepa.reminders.services): a reminder is a row scheduled in the
caller's transaction (so one whose change rolls back never goes out), idempotent by key, and sent in
the recipient's language by `cepa send-reminders`. The context carries "subject" and "body" in the
three languages for the generic email template.

- Transfer decided: scheduled by review_transfer, to the new body and the old one.
- Expiry (CEPA_EXPIRY_REMINDER_MONTHS before) and the next annual confirmation (30 days before its due
  date): scheduled at registration, renewal and confirmation, and for the whole register by
  `inspector_reminders(now)` (`cepa inspector plan-reminders`; it has the shape of the sources of
  cepa.reminders.planner.desired_reminders, so the planner can take it as one more source).
Recipients: the applicants of the inspector's current body (else the registrar); never the
inspector's own address, which is personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from cepa.dates import day_after
from cepa.decisions.terms import BEIJING
from cepa.personnel import messages, policy
from cepa.personnel.models import AnnualConfirmation, Inspector, InspectorEvent, Transfer
from cepa.reminders.services import Planned, cancel_keys, schedule_many

KINDS = ("inspector_expiry", "inspector_confirmation", "transfer_decided")
CONFIRMATION_NOTICE = dt.timedelta(days=30)  # the confirmation reminder goes out this long before
GRACE = dt.timedelta(days=1)  # as the planner: a notice due up to a day ago is still worth sending


def _morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=BEIJING)


def _texts(key: str, **params: Any) -> dict[str, str]:
    return {lang: messages.message(key, lang, **params) for lang in messages.LANGUAGES}


def _recipients(organisation: str | None) -> dict[str, Any]:
    """The applicants of the inspector's body, else the registrar. Never the inspector's own address:
    reminders and their change log are not places for personal data."""
    return {"organisation": organisation} if organisation else {"role": "ccaa_registrar"}


def expiry_key(inspector_id: str, expires: dt.date) -> str:
    return f"inspector-expiry:{inspector_id}:{expires.isoformat()}"


def expiry_plan(inspector: Inspector, *, organisation: str | None) -> Planned:
    rules = policy.current()
    notice = policy.add_months(inspector.expires, -rules.expiry_reminder_months)
    params = {
        "id": inspector.pk,
        "name": inspector.name_en,
        "expires": inspector.expires,
        "opens": policy.renewal_window_opens(inspector.expires, rules),
        "max_age": rules.max_age,
    }
    return Planned(
        key=expiry_key(inspector.pk, inspector.expires),
        kind="inspector_expiry",
        due=_morning(notice),
        stale_after=_morning(day_after(inspector.expires)),
        context={
            "subject": _texts("REMINDER.expiry.subject", **params),
            "body": _texts("REMINDER.expiry.body", **params),
            "inspector": inspector.pk,
        },
        **_recipients(organisation),
    )


def confirmation_plan(inspector: Inspector, due: dt.date, *, organisation: str | None) -> Planned:
    params = {"id": inspector.pk, "name": inspector.name_en, "due": due}
    return Planned(
        key=f"inspector-confirmation:{inspector.pk}:{due.year}",
        kind="inspector_confirmation",
        due=_morning(due - CONFIRMATION_NOTICE),
        stale_after=_morning(day_after(due)),
        context={
            "subject": _texts("REMINDER.confirmation.subject", **params),
            "body": _texts("REMINDER.confirmation.body", **params),
            "inspector": inspector.pk,
        },
        **_recipients(organisation),
    )


def transfer_plans(transfer: Transfer, now: dt.datetime) -> list[Planned]:
    """One reminder to each body concerned (the new one, and the old one if any)."""
    params = {
        "id": transfer.inspector_id,
        "from": transfer.from_organisation_id or messages.message("NONE"),
        "to": transfer.to_organisation_id,
        "effective": transfer.effective,
        "reason": transfer.reason,
    }
    key = "REMINDER.transfer_approved" if transfer.status == "approved" else "REMINDER.transfer_refused"
    context = {
        "subject": _texts(f"{key}.subject", **params),
        "body": _texts(f"{key}.body", **params),
        "transfer": transfer.pk,
        "inspector": transfer.inspector_id,
        "status": transfer.status,
    }
    bodies = dict.fromkeys(b for b in (transfer.to_organisation_id, transfer.from_organisation_id) if b)
    return [
        Planned(
            key=f"transfer-decided:{transfer.pk}:{body}",
            kind="transfer_decided",
            due=now,
            organisation=body,
            context=context,
        )
        for body in bodies
    ]


def _schedule(actor: str, plans: list[Planned], reason: str) -> int:
    """Schedules (idempotent by key); returns how many were new."""
    if not plans:
        return 0
    results = schedule_many(actor=actor, planned=plans, reason=reason)
    return sum(1 for _, created in results if created)


def _current_body(inspector_id: str, day: dt.date) -> str | None:
    from cepa.personnel.selectors import current_organisations

    return current_organisations([inspector_id], day).get(inspector_id)


def expiry_reminder(*, actor: str, inspector_id: str, previous: dt.date | None = None) -> int:
    """After a registration or renewal: the reminder of the (new) expiry; the old one is withdrawn."""
    inspector = Inspector.objects.get(pk=inspector_id)
    if previous is not None:
        cancel_keys(
            actor=actor,
            keys=[expiry_key(inspector_id, previous)],
            reason="registration renewed",
            channel="service",
        )
    plan = expiry_plan(inspector, organisation=_current_body(inspector_id, inspector.expires))
    return _schedule(actor, [plan], "inspector registration expiry")


def confirmation_reminder(*, actor: str, inspector_id: str, due: dt.date | None) -> int:
    """After a registration or confirmation: the reminder of the next confirmation (none when done)."""
    if due is None:
        return 0
    inspector = Inspector.objects.get(pk=inspector_id)
    plan = confirmation_plan(inspector, due, organisation=_current_body(inspector_id, due))
    return _schedule(actor, [plan], "inspector annual confirmation")


def transfer_decided(*, actor: str, transfer: Transfer) -> int:
    return _schedule(actor, transfer_plans(transfer, timezone.now()), f"transfer {transfer.status}")


def inspector_reminders(now: dt.datetime) -> Iterator[Planned]:
    """The expiry and next-confirmation reminders still to come for every registration valid today and
    not cancelled. A fixed few queries."""
    from cepa.personnel.selectors import current_organisations

    today = now.astimezone(BEIJING).date()
    cancelled = InspectorEvent.objects.filter(status="cancelled").values("inspector_id")
    inspectors = list(
        Inspector.objects.filter(registered__lte=today, expires__gte=today)
        .exclude(pk__in=cancelled)
        .only("id", "name_en", "registered", "expires")
        .order_by("id")
    )
    ids = [inspector.pk for inspector in inspectors]
    done: dict[str, set[int]] = {}
    rows = AnnualConfirmation.objects.filter(inspector_id__in=ids).values_list("inspector_id", "year")
    for inspector_id, year in rows:
        done.setdefault(inspector_id, set()).add(year)
    bodies = current_organisations(ids, today)
    for inspector in inspectors:
        body = bodies.get(inspector.pk)
        expiry = expiry_plan(inspector, organisation=body)
        if expiry.due > now - GRACE:
            yield expiry
        due = policy.next_confirmation_due(
            inspector.registered, inspector.expires, done.get(inspector.pk, set())
        )
        if due is not None and _morning(due) > now - GRACE:
            yield confirmation_plan(inspector, due, organisation=body)


def schedule_inspector_reminders(*, actor: str, now: dt.datetime | None = None) -> tuple[int, int]:
    """Schedules `inspector_reminders(now)`; (wanted, newly scheduled)."""
    plans = list(inspector_reminders(now or timezone.now()))
    return len(plans), _schedule(actor, plans, "cepa inspector plan-reminders")
