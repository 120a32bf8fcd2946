"""`cepa send-reminders`: the idempotent sweep that sends what is due, each delivery at most once.

Safe to run every minute, by several processes at once, and after a crash.

1. Reminders past `stale_after` are skipped (the deadline they announce has passed).
2. Each due reminder is dispatched in one transaction: its recipients are resolved into deliveries
   (one per address, unique) and it moves pending → dispatched by a conditional update, so two
   sweeps cannot both dispatch it and a crash leaves it either untouched or fully dispatched.
3. Each pending delivery, one at a time:
   a. claim: pending → claimed (with a fresh token and the time), committed;
   b. render the email (any failure here is before the backend: nothing was sent);
   c. claimed → sending, committed, immediately before handing the email to the backend;
   d. after the backend returns: sending → sent, committed. If the backend raises, nothing was
      accepted for delivery (SMTP accepts a message only with its final reply), so the delivery goes
      back to pending, to be retried after a backoff (failed after MAX_ATTEMPTS), and the run stops:
      the rest waits for the next run rather than spending attempts on a server that is down.
      (One exception to "raised means not sent": a timeout while waiting for that final reply. It
      is rare, and counted as not sent; set CEPA_EMAIL_TIMEOUT generously.)
4. Recovery of rows a dead sweep left behind, once their lease has run out:
   - `claimed`: the backend was never called, so it certainly was not sent → back to pending;
   - `sending`: the process died between handing the email over and recording the outcome. It may
     have gone out. It is marked `uncertain` and NOT resent.

The trade-off: with an external mail server no scheme is exactly-once; the last commit can be lost
after the server took the message. The contract asks that nothing is sent twice, so the sweep is
at-most-once for that one window, which it keeps as small as possible (render before step c; in
step c..d only the backend call and one UPDATE). At-least-once would instead resend `sending` rows
and accept the rare duplicate. An operator who prefers that for a given row runs
`cepa send-reminders --requeue-uncertain`, a deliberate decision, never an automatic one. Every
message carries a Message-ID derived from its delivery, so a requeued copy is recognisable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cepa.accounts.models import Role
from cepa.bodies.models import Seat
from cepa.history.services import RecordChange, record_changes
from cepa.reminders.emails import build_message
from cepa.reminders.models import (
    Delivery,
    DeliveryStatus,
    Language,
    LanguagePreference,
    Reminder,
    ReminderStatus,
)
from cepa.workflow import swap_status

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 8  # with the backoff, about three hours of a mail server refusing


@dataclass
class SweepReport:
    skipped: int = 0
    dispatched: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0
    uncertain: list[int] = field(default_factory=list)
    unavailable: str = ""  # why the email backend could not take (more) messages this run

    def lines(self) -> list[str]:
        text = [
            f"dispatched {self.dispatched} reminders, sent {self.sent} emails",
            f"retry later {self.retried}, failed {self.failed}, skipped {self.skipped}, "
            f"reclaimed {self.recovered}",
        ]
        if self.unavailable:
            text.append(
                f"the email backend is unavailable, the rest waits for the next run: {self.unavailable}"
            )
        if self.uncertain:
            text.append(
                "uncertain (a sweep died while sending; not resent): deliveries "
                + ", ".join(str(pk) for pk in self.uncertain)
            )
        return text


@dataclass(frozen=True)
class Recipient:
    email: str
    username: str
    language: str


def default_language(organisation: Any) -> str:
    """An organisation's language when its staff set none: Simplified Chinese in the Mainland."""
    if organisation is not None and organisation.seat == Seat.MAINLAND:
        return Language.ZH_HANS
    return Language.EN


def recipients(reminder: Reminder) -> list[Recipient]:
    """Who receives `reminder` now: active users with an address, plus the explicit addresses."""
    User = get_user_model()
    users = User.objects.filter(is_active=True).exclude(email="")
    who = Q(pk__in=[])
    if reminder.organisation_id:
        who |= Q(profile__role=Role.APPLICANT, profile__organisation_id=reminder.organisation_id)
    if reminder.role:
        who |= Q(profile__role=reminder.role)
    if reminder.emails:
        who |= Q(email__in=reminder.emails)
    preferences = dict(
        LanguagePreference.objects.filter(user__in=users.filter(who)).values_list("user_id", "language")
    )
    fallback = reminder.language or default_language(reminder.organisation)
    found: dict[str, Recipient] = {}
    for pk, username, email in users.filter(who).order_by("username").values_list("pk", "username", "email"):
        key = email.strip().lower()
        if key not in found:
            found[key] = Recipient(email.strip(), username, preferences.get(pk) or fallback)
    for email in reminder.emails:
        found.setdefault(email.lower(), Recipient(email, "", reminder.language or Language.EN))
    return list(found.values())


def _skip_stale(now: dt.datetime, report: SweepReport) -> None:
    report.skipped += Reminder.objects.filter(
        status=ReminderStatus.PENDING, stale_after__isnull=False, stale_after__lte=now
    ).update(status=ReminderStatus.SKIPPED, status_reason="stale before it was sent")
    report.skipped += Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        reminder__stale_after__isnull=False,
        reminder__stale_after__lte=now,
    ).update(status=DeliveryStatus.SKIPPED, last_error="stale before it was sent")


class _Lost(Exception):
    """Another sweep dispatched the reminder first: undo this transaction."""


def _dispatch_due(now: dt.datetime, report: SweepReport) -> None:
    due = Reminder.objects.filter(status=ReminderStatus.PENDING, due__lte=now).order_by("due", "id")
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                reminder = Reminder.objects.select_related("organisation").get(pk=pk)
                if reminder.status != ReminderStatus.PENDING:
                    continue
                found = recipients(reminder)
                if not found:
                    report.skipped += swap_status(
                        reminder,
                        ReminderStatus.PENDING,
                        status=ReminderStatus.SKIPPED,
                        status_reason="no recipient with an email address",
                        dispatched_at=now,
                    )
                    continue
                Delivery.objects.bulk_create(
                    [
                        Delivery(reminder=reminder, email=r.email, username=r.username, language=r.language)
                        for r in found
                    ],
                    ignore_conflicts=True,
                )
                if not swap_status(
                    reminder, ReminderStatus.PENDING, status=ReminderStatus.DISPATCHED, dispatched_at=now
                ):
                    raise _Lost
                report.dispatched += 1
        except _Lost:
            continue


def _recover(now: dt.datetime, lease: dt.timedelta, report: SweepReport) -> None:
    expired = now - lease
    report.recovered += Delivery.objects.filter(status=DeliveryStatus.CLAIMED, claimed_at__lt=expired).update(
        status=DeliveryStatus.PENDING, claim_token="", claimed_at=None
    )
    stuck = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, sending_at__lt=expired).values_list(
            "pk", flat=True
        )
    )
    for pk in stuck:
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING, sending_at__lt=expired).update(
            status=DeliveryStatus.UNCERTAIN,
            last_error="the sweep stopped after handing the email to the backend; maybe sent, not resent",
        ):
            report.uncertain.append(pk)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after `attempts` refused attempts: 2, 4, 8 … minutes, at most an hour."""
    return min(dt.timedelta(minutes=2**attempts), dt.timedelta(hours=1))


class _BackendDown(Exception):
    """The backend refused a message: stop this run (the next one tries again)."""


def _send_one(pk: int, now: dt.datetime, connection: Any, report: SweepReport) -> None:
    token = uuid.uuid4().hex
    if not Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CLAIMED, claim_token=token, claimed_at=now
    ):
        return  # another sweep has it
    mine = Q(pk=pk, claim_token=token)
    delivery = Delivery.objects.select_related("reminder", "reminder__organisation").get(pk=pk)
    try:
        message = build_message(delivery)
    except Exception as error:  # a broken template: retrying cannot help
        Delivery.objects.filter(mine, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.FAILED, last_error=f"rendering failed: {error!r}"[:2000]
        )
        report.failed += 1
        return
    if not Delivery.objects.filter(mine, status=DeliveryStatus.CLAIMED).update(
        status=DeliveryStatus.SENDING, sending_at=now
    ):
        return  # our lease ran out and another sweep took it back
    try:
        connection.send_messages([message])
    except Exception as error:
        # Refused before the server's final reply: not sent. Back to pending, after a pause.
        attempts = delivery.attempts + 1
        final = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(mine, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            attempts=F("attempts") + 1,
            last_error=f"{error.__class__.__name__}: {error}"[:2000],
            claim_token="",
            claimed_at=None,
            sending_at=None,
            not_before=None if final else now + backoff(attempts),
        )
        if final:
            report.failed += 1
        else:
            report.retried += 1
        raise _BackendDown(str(error)) from error
    Delivery.objects.filter(mine, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", not_before=None
    )
    report.sent += 1


def send_reminders(
    *,
    now: dt.datetime | None = None,
    lease: dt.timedelta = LEASE,
    limit: int | None = None,
    connection: Any = None,
) -> SweepReport:
    """One sweep (see the module's notes). Runs in autocommit: every step commits on its own.

    When the email backend cannot be reached or refuses a message, the run stops there: what is
    left stays pending for the next run (a mail server that is down is not the deliveries' fault).
    """
    moment = now or timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("now must be timezone-aware")
    report = SweepReport()
    _skip_stale(moment, report)
    _dispatch_due(moment, report)
    _recover(moment, lease, report)
    pending = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=moment))
        .order_by("id")
        .values_list("pk", flat=True)
    )
    ids = list(pending[:limit] if limit else pending)
    if not ids:
        return report
    backend = connection or get_connection(fail_silently=False)
    try:
        backend.open()
    except Exception as error:
        report.unavailable = f"{error.__class__.__name__}: {error}"
        return report
    try:
        for pk in ids:
            _send_one(pk, moment, backend, report)
    except _BackendDown as error:
        report.unavailable = str(error)
    finally:
        with contextlib.suppress(Exception):
            backend.close()
    return report


def requeue_uncertain(
    *, actor: str, ids: list[int] | None = None, reason: str = "", channel: str = "cli"
) -> list[int]:
    """An operator's decision to send `uncertain` deliveries again, at the risk of a second copy."""
    if not actor:
        raise ValueError("actor is required")
    queryset = Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN)
    if ids:
        queryset = queryset.filter(pk__in=ids)
    requeued: list[int] = []
    with transaction.atomic():
        for pk in list(queryset.values_list("pk", flat=True)):
            if Delivery.objects.filter(pk=pk, status=DeliveryStatus.UNCERTAIN).update(
                status=DeliveryStatus.PENDING, claim_token="", claimed_at=None, sending_at=None
            ):
                requeued.append(pk)
        record_changes(
            actor=actor,
            reason=reason or "requeued after an uncertain send",
            channel=channel,
            changes=[
                RecordChange(
                    "reminders.deliveries",
                    str(pk),
                    "transition",
                    {"status": "uncertain"},
                    {"status": "pending"},
                )
                for pk in requeued
            ],
        )
    return requeued
