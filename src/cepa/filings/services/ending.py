"""A filing's end: terminated (recorded by an officer or a party, or found in the registry), or expired
when its range has ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cepa.bodies.models import Agreement
from cepa.bodies.records import AGREEMENTS
from cepa.dates import out_of_range
from cepa.decisions.terms import beijing_date
from cepa.errors import Conflict, ErrorCode, InvalidInput, Refused
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services.base import (
    MAX_REASON,
    _get,
    _move,
    _transition,
    check_may_review,
    check_may_terminate,
    filing_record,
    find_filing,
)
from cepa.history.services import RecordChange, record_changes


def terminate_filing(
    *,
    actor: str,
    filing_id: str,
    on: dt.date,
    reason: str = "",
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """Records the termination of an accepted filing's agreement: `on` is the first day it is no
    longer in force (the registry agreement's `terminated_on`)."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    if user is None:
        filing = _get(filing_id)
    else:
        check_may_terminate(user=user)
        filing = find_filing(user=user, filing_id=filing_id, permission="filings.terminate")
    errors: dict[str, str] = {}
    if not isinstance(on, dt.date):
        errors["on"] = "must be a date (YYYY-MM-DD)"
    elif message := out_of_range("on", on):
        errors["on"] = message
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"must be text of at most {MAX_REASON} characters"
    if errors:
        raise InvalidInput(errors)
    if filing.status != FilingStatus.ACCEPTED or filing.agreement_id is None:
        raise Conflict(f"filing {filing.pk} is {filing.status}; only an accepted one can be terminated")
    agreement = Agreement.objects.get(pk=filing.agreement_id)
    last = agreement.valid_until
    if on < agreement.valid_from or (last is not None and on > last):
        raise Refused(
            f"a termination takes effect within the agreement's range ({agreement.valid_from} to "
            f"{last or 'open end'}); {on} is outside it",
            code=ErrorCode.TERMINATION_OUTSIDE_RANGE,
            failing=["TERMINATION_OUTSIDE_RANGE"],
        )
    reason = reason.strip()
    with transaction.atomic():
        before = filing_record(filing)
        agreement_before = AGREEMENTS.record_of(agreement)
        if (
            Agreement.objects.filter(pk=agreement.pk, terminated_on__isnull=True).update(terminated_on=on)
            != 1
        ):
            raise Conflict(f"agreement {agreement.pk} has a termination recorded already")
        _move(filing, FilingStatus.ACCEPTED, FilingStatus.TERMINATED, terminated_on=on)
        terminated = _transition(
            filing,
            actor=actor,
            at=moment,
            old=FilingStatus.ACCEPTED,
            reason=reason,
            channel=channel,
            before=before,
        )
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[
                terminated,
                RecordChange(
                    "agreements", agreement.pk, "update", agreement_before, AGREEMENTS.record_of(agreement)
                ),
            ],
        )
    return filing


def expire_filings(*, actor: str, now: dt.datetime | None = None, channel: str = "cli") -> list[str]:
    """Marks `expired` the filed or accepted filings whose range has ended (idempotent), and
    `terminated` the accepted ones whose agreement got a termination in the registry meanwhile."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    today = beijing_date(moment)
    changed: list[str] = []
    changes: list[RecordChange] = []
    with transaction.atomic():
        ended = AgreementFiling.objects.filter(
            status__in=[FilingStatus.FILED, FilingStatus.ACCEPTED], valid_until__lt=today
        ).select_related("agreement")
        for filing in ended.order_by("id"):
            terminated = filing.agreement.terminated_on if filing.agreement else None
            if terminated is not None and filing.valid_until is not None and terminated <= filing.valid_until:
                continue  # handled below as a termination
            before = filing_record(filing)
            old = filing.status
            why = (
                "its range ended before it was reviewed"
                if old == FilingStatus.FILED
                else f"its range ended on {filing.valid_until}"
            )
            try:
                _move(filing, old, FilingStatus.EXPIRED, expired_on=today)
            except Conflict:
                continue
            changes.append(
                _transition(
                    filing, actor=actor, at=moment, old=old, reason=why, channel=channel, before=before
                )
            )
            changed.append(filing.pk)
        recorded = AgreementFiling.objects.filter(
            status=FilingStatus.ACCEPTED, agreement__terminated_on__isnull=False
        ).select_related("agreement")
        for filing in recorded.order_by("id"):
            assert filing.agreement is not None
            before = filing_record(filing)
            try:
                _move(
                    filing,
                    FilingStatus.ACCEPTED,
                    FilingStatus.TERMINATED,
                    terminated_on=filing.agreement.terminated_on,
                )
            except Conflict:
                continue
            why = "termination recorded in the registry"
            changes.append(
                _transition(
                    filing,
                    actor=actor,
                    at=moment,
                    old=FilingStatus.ACCEPTED,
                    reason=why,
                    channel=channel,
                    before=before,
                )
            )
            changed.append(filing.pk)
        record_changes(actor=actor, reason="cepa filings expire", channel=channel, changes=changes)
    return changed


def correct_termination(
    *,
    actor: str,
    filing_id: str,
    on: dt.date | None,
    reason: str,
    user: Any = None,
    channel: str = "cli",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """Corrects the termination recorded for a filing's agreement (a CNCA officer, or the operator):
    `on` is the right first day it is no longer in force, within the agreement's range; `on=None`
    undoes the termination (the filing is `accepted` again and the agreement has no `terminated_on`).
    Works on whatever was stored, a day far out of range included; the reason is required."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    if user is None:
        filing = _get(filing_id)
    else:
        check_may_review(user=user)
        filing = find_filing(user=user, filing_id=filing_id, permission="filings.review")
    errors: dict[str, str] = {}
    if on is not None and not isinstance(on, dt.date):
        errors["on"] = "must be a date (YYYY-MM-DD), or none to undo the termination"
    elif message := out_of_range("on", on):
        errors["on"] = message
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        errors["reason"] = f"is required: text of at most {MAX_REASON} characters"
    if errors:
        raise InvalidInput(errors)
    if filing.status != FilingStatus.TERMINATED or filing.agreement_id is None:
        raise Conflict(
            f"filing {filing.pk} is {filing.status}; only a terminated one has a termination to correct"
        )
    agreement = Agreement.objects.get(pk=filing.agreement_id)
    last = agreement.valid_until
    if on is not None and (on < agreement.valid_from or (last is not None and on > last)):
        raise Refused(
            f"a termination takes effect within the agreement's range ({agreement.valid_from} to "
            f"{last or 'open end'}); {on} is outside it",
            code=ErrorCode.TERMINATION_OUTSIDE_RANGE,
            failing=["TERMINATION_OUTSIDE_RANGE"],
        )
    reason = reason.strip()
    stored = agreement.terminated_on
    with transaction.atomic():
        before = filing_record(filing)
        agreement_before = AGREEMENTS.record_of(agreement)
        if Agreement.objects.filter(pk=agreement.pk, terminated_on=stored).update(terminated_on=on) != 1:
            raise Conflict(f"agreement {agreement.pk}'s termination was changed meanwhile; reload it")
        agreement.terminated_on = on
        if on is None:
            _move(filing, FilingStatus.TERMINATED, FilingStatus.ACCEPTED, terminated_on=None)
        else:
            _move(filing, FilingStatus.TERMINATED, FilingStatus.TERMINATED, terminated_on=on)
        corrected = _transition(
            filing,
            actor=actor,
            at=moment,
            old=FilingStatus.TERMINATED,
            reason=f"termination {'undone' if on is None else f'corrected to {on}'}: {reason}",
            channel=channel,
            before=before,
        )
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[
                corrected,
                RecordChange(
                    "agreements", agreement.pk, "update", agreement_before, AGREEMENTS.record_of(agreement)
                ),
            ],
        )
    return filing
