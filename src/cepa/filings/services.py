"""The write path of cooperation agreement filings: file, review (accept or return), terminate, expire.

Acceptance writes the registry agreement of the same id in the same transaction, with its change
set: it is in force from max(from, the day of acceptance) — the contract's "on the days of its range
from its acceptance on" — until `until`. Keeping the filing's own `from` elsewhere and the effective
start in the agreement's `from` means the rules engine and the interchange export need no change of
shape: they see an ordinary agreement, and never one that was not accepted.

Errors name the contract's outcome: FilingInvalid (400), FilingNotFound (404), FilingConflict (409),
FilingRefused (422, with the failing codes or product types). Who may act is the caller's check
(cepa.accounts.permissions), as for every service.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cepa.bodies.models import (
    Agreement,
    AgreementKind,
    AgreementScope,
    DesignationRole,
    DesignationScope,
    Organisation,
    OrganisationKind,
    Seat,
)
from cepa.bodies.records import AGREEMENTS
from cepa.catalogue.models import CODE_OR_KEY
from cepa.catalogue.selectors import code_index, unknown_names
from cepa.decisions.terms import beijing_date
from cepa.filings.models import AgreementFiling, FilingStatus, FilingTransition
from cepa.history.services import RecordChange, record_changes
from cepa.reminders import labels
from cepa.reminders.services import schedule_reminder
from cepa.workflow import swap_status

CODE = re.compile(CODE_OR_KEY)
ID_PREFIX = "AGF"
MAX_REASON = 2000
# Which kind of Hong Kong body may be the party of each kind of agreement (contract §2: testing by a
# laboratory; factory inspection and sampling by a certification body).
PARTY_KIND = {
    AgreementKind.TESTING: OrganisationKind.LABORATORY,
    AgreementKind.FACTORY_INSPECTION: OrganisationKind.CERTIFICATION_BODY,
    AgreementKind.SAMPLING: OrganisationKind.CERTIFICATION_BODY,
}
ACCEPT, RETURN = "accept", "return"


class FilingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FilingInvalid(FilingError):
    """Malformed input; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class FilingNotFound(FilingError):
    pass


class FilingConflict(FilingError):
    pass


class FilingRefused(FilingError):
    """A rule refuses: `code` names the rule, `failing` what fails it (codes or product types)."""

    def __init__(self, code: str, message: str, failing: Sequence[str], **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.failing = list(failing)
        self.extra = extra


def filing_record(filing: AgreementFiling) -> dict[str, Any]:
    """What the change log keeps of a filing."""
    return {
        "id": filing.id,
        "kind": filing.kind,
        "party": filing.party_id,
        "counterparty": filing.counterparty_id,
        "product_types": list(filing.product_types),
        "from": filing.valid_from.isoformat(),
        "until": filing.valid_until.isoformat() if filing.valid_until else None,
        "status": filing.status,
        "accepted_on": filing.accepted_on.isoformat() if filing.accepted_on else None,
        "returned_reason": filing.returned_reason or None,
        "terminated_on": filing.terminated_on.isoformat() if filing.terminated_on else None,
        "expired_on": filing.expired_on.isoformat() if filing.expired_on else None,
    }


# --- validation ----------------------------------------------------------------------------------


def _validate_filing(
    *, kind: Any, party: Any, counterparty: Any, product_types: Any, valid_from: Any, valid_until: Any
) -> tuple[list[str], dict[str, Organisation]]:
    errors: dict[str, str] = {}
    if kind not in AgreementKind.values:
        errors["kind"] = f"must be one of {', '.join(AgreementKind.values)}"
    codes: list[str] = []
    if not isinstance(product_types, (list, tuple)) or not product_types:
        errors["product_types"] = (
            "must be a non-empty list of product type codes (4 digits) or catalogue keys"
        )
    else:
        malformed = [c for c in product_types if not isinstance(c, str) or not CODE.fullmatch(c)]
        repeated = sorted({c for c in product_types if isinstance(c, str) and product_types.count(c) > 1})
        if malformed:
            errors["product_types"] = (
                f"malformed product type codes {malformed!r}: expected 4 digits or a catalogue key"
            )
        elif repeated:
            errors["product_types"] = f"listed more than once: {', '.join(repeated)}"
        else:
            unknown = unknown_names(product_types)
            if unknown:
                errors["product_types"] = (
                    f"unknown product type codes {', '.join(unknown)}: no catalogue version has had them"
                )
            codes = sorted(product_types)
    if not isinstance(valid_from, dt.date):
        errors["from"] = "must be a date (YYYY-MM-DD)"
    if valid_until is not None and not isinstance(valid_until, dt.date):
        errors["until"] = "must be a date (YYYY-MM-DD) or null"
    if isinstance(valid_from, dt.date) and isinstance(valid_until, dt.date) and valid_until < valid_from:
        errors["until"] = f"ends ({valid_until}) before it starts ({valid_from})"
    ids = {"party": party, "counterparty": counterparty}
    # An id no database could hold (NUL) is simply unknown; PostgreSQL would refuse the query.
    lookup = [v for v in ids.values() if isinstance(v, str) and "\x00" not in v]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=lookup)}
    for field, value in ids.items():
        if not isinstance(value, str) or not value:
            errors[field] = "must be an organisation id"
        elif value not in found:
            errors[field] = f"no organisation with id {value!r}"
    if not errors and party == counterparty:
        errors["counterparty"] = "must be another organisation than the party"
    if errors:
        raise FilingInvalid(errors)
    return codes, found


def _covers(
    intervals: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, until: dt.date | None
) -> bool:
    """Whether the union of the (inclusive) intervals covers every day from `start` to `until`."""
    cursor = start
    for begins, ends in sorted(intervals, key=lambda interval: interval[0]):
        if begins > cursor:
            return False  # a gap: the intervals after this one begin later still
        if ends is None:
            return True
        if ends >= cursor:
            cursor = ends + dt.timedelta(days=1)
        if until is not None and cursor > until:
            return True
    return False


def undesignated_product_types(
    counterparty: str, codes: Sequence[str], start: dt.date, until: dt.date | None
) -> list[str]:
    """The codes for which `counterparty` is not a designated certification body on every day of the
    range (designations may follow one another without a gap). A designation names the type under any of
    its codes or its key (contract §1, rev. 2). Two queries."""
    index = code_index()
    keys = {index.get(code, code) for code in codes}
    names = {*codes, *(name for name, key in index.items() if key in keys)}
    intervals: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    rows = DesignationScope.objects.filter(
        designation__organisation_id=counterparty,
        designation__role=DesignationRole.CERTIFICATION_BODY,
        product_type__in=sorted(names),
    ).values_list("product_type", "designation__valid_from", "designation__valid_until")
    for code, begins, ends in rows:
        intervals[index.get(code, code)].append((begins, ends))
    return [code for code in codes if not _covers(intervals[index.get(code, code)], start, until)]


def _check_rules(
    *,
    kind: str,
    party: Organisation,
    counterparty: Organisation,
    codes: list[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> None:
    expected = PARTY_KIND[AgreementKind(kind)]
    if party.seat != Seat.HK or party.kind != expected:
        with translation.override("en"):  # a service's message is English, whatever the request's language
            detail = (
                f"the party of a {kind} agreement must be a Hong Kong {expected.label.lower()}; "
                f"{party.pk} is a {party.get_kind_display().lower()} seated in {party.get_seat_display()}"
            )
        raise FilingRefused("PARTY_NOT_ELIGIBLE", detail, ["PARTY_NOT_ELIGIBLE"])
    failing = undesignated_product_types(counterparty.pk, codes, valid_from, valid_until)
    if failing:
        raise FilingRefused(
            "COUNTERPARTY_NOT_DESIGNATED",
            f"{counterparty.pk} is not a designated certification body for {', '.join(failing)} on "
            f"every day from {valid_from} to {valid_until or 'open end'}",
            failing,
            product_types=failing,
        )


# --- writes --------------------------------------------------------------------------------------


def _next_id(year: int) -> str:
    prefix = f"{ID_PREFIX}-{year}-"
    taken = set(AgreementFiling.objects.filter(id__startswith=prefix).values_list("id", flat=True))
    taken |= set(Agreement.objects.filter(id__startswith=prefix).values_list("id", flat=True))
    numbers = [int(i[len(prefix) :]) for i in taken if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _transition(
    filing: AgreementFiling,
    *,
    actor: str,
    at: dt.datetime,
    old: str | None,
    reason: str,
    channel: str,
    before: dict[str, Any] | None,
) -> RecordChange:
    """Writes the filing's transition line from `old` to its status now, and returns its change-log
    entry for the caller to record."""
    # The history names people by username, like the designation workflows ("user:alice" → "alice").
    FilingTransition.objects.create(
        filing=filing,
        at=at,
        who=actor.removeprefix("user:"),
        channel=channel,
        from_status=old,
        to_status=filing.status,
        reason=reason,
    )
    action = "create" if old is None else "transition"
    return RecordChange("agreement_filings", filing.pk, action, before, filing_record(filing))


def file_agreement(
    *,
    actor: str,
    kind: str,
    party: str,
    counterparty: str,
    product_types: Sequence[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """Files a cooperation agreement (status `filed`). Refused, writing nothing, when the counterparty
    is not a designated certification body for some product type on every day of the range."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    codes, organisations = _validate_filing(
        kind=kind,
        party=party,
        counterparty=counterparty,
        product_types=product_types,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _check_rules(
        kind=kind,
        party=organisations[party],
        counterparty=organisations[counterparty],
        codes=codes,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                filing = AgreementFiling.objects.create(
                    id=_next_id(beijing_date(moment).year),
                    kind=kind,
                    party_id=party,
                    counterparty_id=counterparty,
                    product_types=codes,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    status=FilingStatus.FILED,
                    filed_at=moment,
                    filed_by=actor,
                )
                created = _transition(
                    filing, actor=actor, at=moment, old=None, reason="", channel=channel, before=None
                )
                record_changes(actor=actor, reason="", channel=channel, changes=[created])
            return filing
        except IntegrityError:
            continue  # another filing took the number: take the next one
    raise FilingConflict("could not number the filing; try again")


def _get(filing_id: str) -> AgreementFiling:
    filing = (
        AgreementFiling.objects.select_related("party", "counterparty").filter(pk=filing_id).first()
        if isinstance(filing_id, str) and "\x00" not in filing_id
        else None
    )
    if filing is None:
        raise FilingNotFound(f"no agreement filing with id {filing_id!r}")
    return filing


def _move(filing: AgreementFiling, old: str, new: str, **fields: Any) -> None:
    """The conditional update of a status change: exactly one row, or a conflict."""
    if not swap_status(filing, old, status=new, **fields):
        raise FilingConflict(f"filing {filing.pk} is no longer {old}")


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
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """`accept` (filed → accepted; writes the registry agreement) or `return` (filed → returned)."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    today = beijing_date(moment)
    filing = _get(filing_id)
    errors: dict[str, str] = {}
    if action not in (ACCEPT, RETURN):
        errors["action"] = f"must be {ACCEPT} or {RETURN}"
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"must be text of at most {MAX_REASON} characters"
    elif action == RETURN and not reason.strip():
        errors["reason"] = "is required to return a filing: say what the applicant must correct"
    if errors:
        raise FilingInvalid(errors)
    if filing.status != FilingStatus.FILED:
        raise FilingConflict(f"filing {filing.pk} is {filing.status}; only a filed one can be reviewed")
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
        raise FilingRefused(
            "RANGE_ENDED",
            f"the agreement's range ended on {filing.valid_until}: accepted today it would never be in force",
            ["RANGE_ENDED"],
        )
    valid_from = max(filing.valid_from, today)
    with transaction.atomic():
        before = filing_record(filing)
        # The status first: of two officers accepting at once, the second waits here and then finds
        # the filing accepted (a conflict), before it could try to write the agreement twice.
        _move(filing, FilingStatus.FILED, FilingStatus.ACCEPTED, accepted_on=today)
        if Agreement.objects.filter(pk=filing.pk).exists():
            raise FilingConflict(f"the registry already holds an agreement with id {filing.pk!r}")
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


def terminate_filing(
    *,
    actor: str,
    filing_id: str,
    on: dt.date,
    reason: str = "",
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """Records the termination of an accepted filing's agreement: `on` is the first day it is no
    longer in force (the registry agreement's `terminated_on`)."""
    if not actor:
        raise ValueError("actor is required")
    moment = now or timezone.now()
    filing = _get(filing_id)
    errors: dict[str, str] = {}
    if not isinstance(on, dt.date):
        errors["on"] = "must be a date (YYYY-MM-DD)"
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"must be text of at most {MAX_REASON} characters"
    if errors:
        raise FilingInvalid(errors)
    if filing.status != FilingStatus.ACCEPTED or filing.agreement_id is None:
        raise FilingConflict(f"filing {filing.pk} is {filing.status}; only an accepted one can be terminated")
    agreement = Agreement.objects.get(pk=filing.agreement_id)
    last = agreement.valid_until
    if on < agreement.valid_from or (last is not None and on > last):
        raise FilingRefused(
            "TERMINATION_OUTSIDE_RANGE",
            f"a termination takes effect within the agreement's range ({agreement.valid_from} to "
            f"{last or 'open end'}); {on} is outside it",
            ["TERMINATION_OUTSIDE_RANGE"],
        )
    reason = reason.strip()
    with transaction.atomic():
        before = filing_record(filing)
        agreement_before = AGREEMENTS.record_of(agreement)
        if (
            Agreement.objects.filter(pk=agreement.pk, terminated_on__isnull=True).update(terminated_on=on)
            != 1
        ):
            raise FilingConflict(f"agreement {agreement.pk} has a termination recorded already")
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
            except FilingConflict:
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
            except FilingConflict:
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
