"""Reading enquiries: CNCA's queues (oldest first), a record with its replies and history, and the
enquirer's own view by reference and email."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cepa.enquiries.models import Enquiry, EnquiryStatus

OPEN = (EnquiryStatus.NEW, EnquiryStatus.ANSWERED)


def enquiries(
    user: Any, *, queue: str | None = None, status: str | None = None, open_only: bool = False
) -> QuerySet[Enquiry]:
    """The enquiries `user` may read (none unless CNCA or an administrator), oldest first."""
    found = Enquiry.objects.visible_to(user)
    if queue:
        found = found.filter(queue=queue)
    if status:
        found = found.filter(status=status)
    elif open_only:
        found = found.filter(status__in=OPEN)
    return found.order_by("submitted_at", "id")


def enquiry_for_enquirer(reference: str, email: str) -> Enquiry | None:
    """The enquiry whose reference and email (in any case) are both these; None for either wrong, so the
    answer tells nothing about which was."""
    if not isinstance(reference, str) or not isinstance(email, str) or "\x00" in reference + email:
        return None
    found = Enquiry.objects.filter(reference=reference.strip().upper()).first()
    if found is None or found.email.strip().lower() != email.strip().lower():
        return None
    return found


def _history(enquiry: Enquiry) -> list[dict[str, Any]]:
    return [
        {
            "who": t.who,
            "when": t.at,
            "event": t.event,
            "from": t.from_status,
            "to": t.to_status,
            "reason": t.reason,
        }
        for t in enquiry.transitions.all()
    ]


def _replies(enquiry: Enquiry) -> list[dict[str, Any]]:
    return [
        {
            "sent_at": r.sent_at,
            "sent_by": r.sent_by,
            "language": r.language,
            "subject": r.subject,
            "body": r.body,
        }
        for r in enquiry.replies.all()
    ]


def enquiry_records(ids: list[Any]) -> list[dict[str, Any]]:
    """The enquiries of `ids` in that order, each with its replies and history (three queries)."""
    rows = {e.pk: e for e in Enquiry.objects.filter(pk__in=ids).prefetch_related("replies", "transitions")}
    return [enquiry_record(rows[pk]) for pk in ids if pk in rows]


def enquiry_record(enquiry: Enquiry) -> dict[str, Any]:
    """Everything CNCA sees of an enquiry (its replies and transitions prefetched or loaded here)."""
    return {
        "reference": enquiry.reference,
        "product_type": enquiry.product_type,
        "queue": enquiry.queue,
        "status": enquiry.status,
        "name": enquiry.name,
        "email": enquiry.email,
        "organisation": enquiry.organisation,
        "message": enquiry.message,
        "language": enquiry.language,
        "submitted_at": enquiry.submitted_at,
        "replies": _replies(enquiry),
        "history": _history(enquiry),
    }


def enquirer_record(enquiry: Enquiry) -> dict[str, Any]:
    """What the enquirer sees: the status with its dates and the replies sent to them; officers' names
    and reasons stay internal."""
    return {
        "reference": enquiry.reference,
        "product_type": enquiry.product_type,
        "queue": enquiry.queue,
        "status": enquiry.status,
        "submitted_at": enquiry.submitted_at,
        "replies": [
            {"sent_at": r["sent_at"], "subject": r["subject"], "body": r["body"]} for r in _replies(enquiry)
        ],
        "history": [{"when": h["when"], "event": h["event"], "to": h["to"]} for h in _history(enquiry)],
    }
