"""What the filing services share: who may, the filing as the change log keeps it, its status moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cepa.accounts import permissions
from cepa.errors import Conflict, NotAllowed, NotFound
from cepa.filings.models import AgreementFiling, FilingTransition
from cepa.history.services import RecordChange
from cepa.workflow import swap_status

MAX_REASON = 2000


def check_may_file(*, user: Any, party: Any) -> None:
    """403 unless `user` is an applicant of `party` (an organisation id; checked before the rest of a
    request is judged, so anything else is left to the validation)."""
    if not permissions.is_applicant(user):
        raise NotAllowed("only an applicant of the party may file its agreements")
    if isinstance(party, str) and not permissions.can(user, "filings.file", party):
        raise NotAllowed("you may file agreements only for the organisation you act for")


def check_may_review(*, user: Any) -> None:
    if not permissions.can(user, "filings.review"):
        raise NotAllowed("only a CNCA officer may review agreement filings")


def check_may_terminate(*, user: Any) -> None:
    if not (permissions.is_cnca_officer(user) or permissions.is_applicant(user)):
        raise NotAllowed("only a CNCA officer or an applicant of either organisation may terminate")


def find_filing(*, user: Any, filing_id: str, permission: str) -> AgreementFiling:
    """The filing: 404 when there is none or `user` may not see it (the two answers are the same, so
    an id says nothing of filings the user may not see), then 403 when `user` may see it but not
    `permission` it."""
    filing = _get(filing_id)
    if not AgreementFiling.objects.restrict(user, "view").filter(pk=filing.pk).exists():
        raise NotFound(f"no agreement filing with id {filing_id!r}")
    if not permissions.can(user, permission, filing):
        raise NotAllowed(f"your role or organisation may not do this to filing {filing_id} ({permission})")
    return filing


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


def _get(filing_id: str) -> AgreementFiling:
    filing = (
        AgreementFiling.objects.select_related("party", "counterparty").filter(pk=filing_id).first()
        if isinstance(filing_id, str) and "\x00" not in filing_id
        else None
    )
    if filing is None:
        raise NotFound(f"no agreement filing with id {filing_id!r}")
    return filing


def _move(filing: AgreementFiling, old: str, new: str, **fields: Any) -> None:
    """The conditional update of a status change: exactly one row, or a conflict."""
    if not swap_status(filing, old, status=new, **fields):
        raise Conflict(f"filing {filing.pk} is no longer {old}")
