"""Institution transfers: an applicant asks for an inspector to move to its body; the registrar decides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cepa.accounts import permissions
from cepa.bodies.models import Organisation, OrganisationKind
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotAllowed, NotFound, Refused, role_may_not
from cepa.history.services import RecordChange, record_changes
from cepa.personnel import notify
from cepa.personnel.models import Affiliation, Inspector, Transfer, TransferStatus
from cepa.personnel.selectors import transfer_record
from cepa.personnel.services.base import (
    Reason,
    _cancellation,
    _date,
    _inspector_change,
    _locked,
    _record,
    _require_actor,
    _text,
    require,
)
from cepa.workflow import swap_status


def check_may_request_transfer(*, user: Any, to_organisation: Any) -> None:
    """403 unless `user` is an applicant of `to_organisation` (any non-text value is left to the
    validation)."""
    if user is None:
        return
    role = permissions.role_of(user)
    if role != "applicant":
        raise role_may_not(role, "request transfers")
    if isinstance(to_organisation, str) and not permissions.can(user, "transfers.request", to_organisation):
        raise NotAllowed(f"only applicants of {to_organisation!r} may ask for a transfer to it")


@dataclass(frozen=True)
class _TransferCheck:
    reasons: list[Reason]
    current: Affiliation | None  # the affiliation covering the effective date


def _check_transfer(
    row: Inspector, record: dict[str, Any], to: Organisation, effective: dt.date, *, exclude: int | None
) -> _TransferCheck:
    reasons: list[Reason] = []
    if to.kind != OrganisationKind.CERTIFICATION_BODY:
        reasons.append(Reason("NOT_CERTIFICATION_BODY", {"org": to.pk}))
    cancelled = _cancellation(record)
    if cancelled is not None:
        reasons.append(Reason("REGISTRATION_CANCELLED", {"since": cancelled}))
    if not row.registered <= effective <= row.expires:
        reasons.append(
            Reason(
                "REGISTRATION_NOT_VALID",
                {"on": effective, "registered": row.registered, "expires": row.expires},
            )
        )
    affiliations = list(Affiliation.objects.filter(inspector=row).order_by("valid_from", "id"))
    current = next(
        (
            a
            for a in affiliations
            if a.valid_from <= effective and (a.valid_until is None or effective <= a.valid_until)
        ),
        None,
    )
    if current is not None and current.organisation_id == to.pk:
        reasons.append(Reason("ALREADY_AFFILIATED", {"org": to.pk, "on": effective}))
    elif current is not None and current.valid_from == effective:
        reasons.append(
            Reason("AFFILIATION_STARTS_ON_EFFECTIVE", {"org": current.organisation_id, "on": effective})
        )
    later = next((a for a in affiliations if a.valid_from > effective), None)
    if later is not None:
        reasons.append(
            Reason(
                "LATER_AFFILIATION",
                {"org": later.organisation_id, "start": later.valid_from, "on": effective},
            )
        )
    pending = Transfer.objects.filter(inspector=row, status=TransferStatus.REQUESTED)
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    other = pending.values_list("pk", flat=True).first()
    if other is not None:
        reasons.append(Reason("TRANSFER_PENDING", {"transfer": other}))
    return _TransferCheck(reasons, current)


def request_transfer(
    *,
    actor: str,
    inspector_id: str,
    to_organisation: str,
    effective: dt.date,
    reason: str = "",
    user: Any = None,
    channel: str = "service",
) -> Transfer:
    """The "change institution" request: the inspector is to work for `to_organisation` from
    `effective`. Refused when that body is not a certification body or is already the inspector's on
    that day, when the registration is not valid that day or was cancelled, or when another request of
    the same inspector is pending."""
    _require_actor(actor)
    check_may_request_transfer(user=user, to_organisation=to_organisation)
    day = _date("effective", effective)
    if not isinstance(to_organisation, str):
        raise InvalidInput("to_organisation", "must be an organisation id")
    with transaction.atomic():
        row = _locked(inspector_id)
        to = Organisation.objects.filter(pk=to_organisation).first()
        if to is None:
            raise InvalidInput("to_organisation", f"no organisation with id {to_organisation!r}")
        check = _check_transfer(row, _record(row.pk), to, day, exclude=None)
        if check.reasons:
            raise Refused(reasons=check.reasons)
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    inspector=row,
                    from_organisation_id=check.current.organisation_id if check.current else None,
                    to_organisation=to,
                    effective=day,
                    requested_by=actor,
                    requested_at=timezone.now(),
                )
        except IntegrityError:  # a concurrent request of the same inspector got there first
            other = Transfer.objects.filter(inspector=row, status=TransferStatus.REQUESTED).first()
            raise Refused(
                reasons=[Reason("TRANSFER_PENDING", {"transfer": other.pk if other else ""})]
            ) from None
        record_changes(
            actor=actor,
            reason=_text("reason", reason),
            channel=channel,
            changes=[RecordChange("transfers", str(transfer.pk), "create", None, _transfer_state(transfer))],
        )
    return transfer


def _transfer_state(transfer: Transfer) -> dict[str, Any]:
    """What the change log keeps of a transfer (its history is read back from these)."""
    record = transfer_record(transfer, history=[])
    record.pop("history")
    return record


def review_transfer(
    *,
    actor: str,
    transfer_id: int,
    action: str,
    reason: str = "",
    user: Any = None,
    channel: str = "service",
) -> Transfer:
    """The registrar approves or refuses a requested transfer. Approval ends the old affiliation the
    day before `effective` and starts the new one; number, grade, specialties, training and exam
    records and expiry stay as they are. A refusal needs a reason."""
    _require_actor(actor)
    require(user, "transfers.review", what="review transfers")
    if action not in ("approve", "refuse"):
        raise InvalidInput("action", "must be approve or refuse")
    why = _text("reason", reason, required=action == "refuse")
    with transaction.atomic():
        # The transfer's row is locked before its status is read: of two registrars deciding it at
        # once, the second reads the first one's decision and gets the conflict (409), not a rule that
        # the first decision made fail (ALREADY_AFFILIATED).
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("to_organisation")
            .filter(pk=transfer_id)
            .first()
        )
        if transfer is None:
            raise NotFound(f"no transfer with id {transfer_id!r}")
        if transfer.status != TransferStatus.REQUESTED:
            raise Conflict(
                f"transfer {transfer.pk} is already {transfer.status}", code=ErrorCode.TRANSFER_DECIDED
            )
        row = _locked(transfer.inspector_id)
        before_transfer = _transfer_state(transfer)
        before_inspector = _record(row.pk)
        changes: list[RecordChange] = []
        decided = {"decided_by": actor, "decided_at": timezone.now(), "reason": why}
        if action == "approve":
            check = _check_transfer(
                row,
                before_inspector,
                transfer.to_organisation,
                transfer.effective,
                exclude=transfer.pk,
            )
            if check.reasons:
                raise Refused(reasons=check.reasons)
            current = check.current
            decided["from_organisation_id"] = current.organisation_id if current else None
            if not swap_status(transfer, TransferStatus.REQUESTED, status=TransferStatus.APPROVED, **decided):
                raise Conflict(
                    f"transfer {transfer.pk} was decided meanwhile", code=ErrorCode.TRANSFER_DECIDED
                )
            if current is not None:
                ended = Affiliation.objects.filter(pk=current.pk, valid_until=current.valid_until).update(
                    valid_until=transfer.effective - dt.timedelta(days=1)
                )
                if ended != 1:
                    raise Conflict("the affiliation changed meanwhile; try again")
            Affiliation.objects.create(
                inspector=row, organisation=transfer.to_organisation, valid_from=transfer.effective
            )
            changes.append(_inspector_change(row.pk, before_inspector))
        elif not swap_status(transfer, TransferStatus.REQUESTED, status=TransferStatus.REFUSED, **decided):
            raise Conflict(f"transfer {transfer.pk} was decided meanwhile", code=ErrorCode.TRANSFER_DECIDED)
        transfer.refresh_from_db()
        changes.insert(
            0,
            RecordChange(
                "transfers", str(transfer.pk), "transition", before_transfer, _transfer_state(transfer)
            ),
        )
        record_changes(actor=actor, reason=why, channel=channel, changes=changes)
        notify.transfer_decided(actor=actor, transfer=transfer)
    return transfer
