"""The CNCA's review of a filing: accepted (which writes the registry agreement) or returned; the party
is told either way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cepa.bodies.models import Agreement, AgreementKind, AgreementScope
from cepa.bodies.records import AGREEMENTS
from cepa.decisions.terms import beijing_date
from cepa.errors import Conflict, ErrorCode, InvalidInput, Refused
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services.base import (
    MAX_REASON,
    _get,
    _move,
    _transition,
    check_may_review,
    filing_record,
    find_filing,
)
from cepa.history.services import RecordChange, record_changes
from cepa.reminders import labels
from cepa.reminders.services import schedule_reminder

ACCEPT, RETURN = "accept", "return"


def _notify_party(
    filing: AgreementFiling,
    *,
    actor: str,
    accepted: bool,
    moment: dt.datetime,
    valid_from: dt.date | None,
    reason: str,
) -> None:
    """The outcome goes to the party's staff by the reminder sweep (a row: it rolls back with us)."""
    schedule_reminder(
        actor=actor,
        key=f"filing-reviewed:{filing.pk}:{filing.status}",
        due=moment,
        kind="filing_reviewed",
        organisation=filing.party_id,
        context={
            "filing": filing.pk,
            "accepted": accepted,
            "reason": reason,
            "kind_name": labels.label(AgreementKind, filing.kind),
            "party": labels.names(filing.party),
            "counterparty": labels.names(filing.counterparty),
            "product_types": list(filing.product_types),
            "valid_from": valid_from.isoformat() if valid_from else None,
            "until": filing.valid_until.isoformat() if filing.valid_until else None,
        },
    )


def review_filing(
    *,
    actor: str,
    filing_id: str,
    action: str,
    reason: str = "",
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """`accept` (filed → accepted; writes the registry agreement) or `return` (filed → returned)."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    today = beijing_date(moment)
    if user is None:
        filing = _get(filing_id)
    else:
        check_may_review(user=user)
        filing = find_filing(user=user, filing_id=filing_id, permission="filings.review")
    errors: dict[str, str] = {}
    if action not in (ACCEPT, RETURN):
        errors["action"] = f"must be {ACCEPT} or {RETURN}"
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"must be text of at most {MAX_REASON} characters"
    elif action == RETURN and not reason.strip():
        errors["reason"] = "is required to return a filing: say what the applicant must correct"
    if errors:
        raise InvalidInput(errors)
    if filing.status != FilingStatus.FILED:
        raise Conflict(f"filing {filing.pk} is {filing.status}; only a filed one can be reviewed")
    reason = reason.strip()
    if action == RETURN:
        with transaction.atomic():
            before = filing_record(filing)
            _move(filing, FilingStatus.FILED, FilingStatus.RETURNED, returned_reason=reason)
            returned = _transition(
                filing,
                actor=actor,
                at=moment,
                old=FilingStatus.FILED,
                reason=reason,
                channel=channel,
                before=before,
            )
            record_changes(actor=actor, reason=reason, channel=channel, changes=[returned])
            _notify_party(filing, actor=actor, accepted=False, moment=moment, valid_from=None, reason=reason)
        return filing

    if filing.valid_until is not None and filing.valid_until < today:
        raise Refused(
            f"the agreement's range ended on {filing.valid_until}: accepted today it would never be in force",
            code=ErrorCode.RANGE_ENDED,
            failing=["RANGE_ENDED"],
        )
    valid_from = max(filing.valid_from, today)
    with transaction.atomic():
        before = filing_record(filing)
        # The status first: of two officers accepting at once, the second waits here and then finds
        # the filing accepted (a conflict), before it could try to write the agreement twice.
        _move(filing, FilingStatus.FILED, FilingStatus.ACCEPTED, accepted_on=today)
        if Agreement.objects.filter(pk=filing.pk).exists():
            raise Conflict(f"the registry already holds an agreement with id {filing.pk!r}")
        agreement = Agreement.objects.create(
            id=filing.pk,
            kind=filing.kind,
            party_id=filing.party_id,
            counterparty_id=filing.counterparty_id,
            valid_from=valid_from,
            valid_until=filing.valid_until,
            source=f"CNCA agreement filing {filing.pk}, accepted {today.isoformat()}",
        )
        AgreementScope.objects.bulk_create(
            [AgreementScope(agreement=agreement, product_type=code) for code in filing.product_types]
        )
        AgreementFiling.objects.filter(pk=filing.pk).update(agreement=agreement)
        filing.agreement = agreement
        accepted = _transition(
            filing,
            actor=actor,
            at=moment,
            old=FilingStatus.FILED,
            reason=reason,
            channel=channel,
            before=before,
        )
        record_changes(
            actor=actor,
            reason=reason or f"agreement filing {filing.pk} accepted",
            channel=channel,
            changes=[
                accepted,
                RecordChange("agreements", agreement.pk, "create", None, AGREEMENTS.record_of(agreement)),
            ],
        )
        _notify_party(filing, actor=actor, accepted=True, moment=moment, valid_from=valid_from, reason=reason)
    return filing
