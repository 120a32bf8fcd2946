"""The one write path for enquiries: validate, route to the sector's queue, store, record the change;
then CNCA's reply (sent by email in the enquirer's language, kept on the record), close and reopen, each
a conditional status change with its line of history."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from cepa.accounts import permissions
from cepa.decisions.services import DecisionInputError, decide
from cepa.enquiries.models import Enquiry, EnquiryReply, EnquiryStatus, EnquiryTransition
from cepa.errors import Conflict, InvalidInput, NotFound, role_may_not
from cepa.history.services import RecordChange, record_changes
from cepa.workflow import swap_status

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read out on the phone
LANGUAGES = ("en", "zh-Hant", "zh-Hans")
MAX_MESSAGE = 5000


def new_reference() -> str:
    return "ENQ-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _validate(*, product_type: str, name: str, email: str, organisation: str, message: str,
              language: str) -> tuple[dict[str, str], str | None]:
    errors: dict[str, str] = {}
    sector = None
    try:
        sector = decide("enquiry", product_type=product_type).sector
    except DecisionInputError as error:
        errors["product_type"] = error.message
    if not name.strip():
        errors["name"] = "is required"
    elif len(name) > 200:
        errors["name"] = "must be at most 200 characters"
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "is not a valid email address"
    if len(organisation) > 200:
        errors["organisation"] = "must be at most 200 characters"
    if not message.strip():
        errors["message"] = "is required"
    elif len(message) > MAX_MESSAGE:
        errors["message"] = f"must be at most {MAX_MESSAGE} characters"
    if language not in LANGUAGES:
        errors["language"] = f"must be one of {', '.join(LANGUAGES)}"
    return errors, sector


def submit_enquiry(
    *,
    actor: str,
    product_type: str,
    name: str,
    email: str,
    message: str,
    organisation: str = "",
    language: str = "en",
    now: dt.datetime | None = None,
) -> Enquiry:
    """Stores an enquiry in the queue of its product type's sector and returns it (with its reference).

    Raises InvalidInput, naming each bad field, before anything is written.
    """
    if not actor:
        raise ValueError("actor is required")
    errors, sector = _validate(product_type=product_type, name=name, email=email,
                               organisation=organisation, message=message, language=language)
    if errors or sector is None:
        raise InvalidInput(errors)
    with transaction.atomic():
        reference = new_reference()
        while Enquiry.objects.filter(reference=reference).exists():
            reference = new_reference()
        enquiry = Enquiry.objects.create(
            reference=reference, product_type=product_type, queue=sector, name=name.strip(),
            email=email.strip(), organisation=organisation.strip(), message=message.strip(),
            language=language, submitted_at=now or timezone.now(),
        )
        EnquiryTransition.objects.create(enquiry=enquiry, at=enquiry.submitted_at, who="public",
                                         channel="web", event="received", from_status=None,
                                         to_status=enquiry.status)
        # The change log is readable by more people than the queue: no personal data in it.
        record_changes(
            actor=actor, reason="enquiry received", channel="web",
            changes=[RecordChange("enquiries", reference, "create", None,
                                  {"reference": reference, "product_type": product_type, "queue": sector})],
        )
    return enquiry


# --- CNCA's answer ----------------------------------------------------------------------------------

MAX_REPLY = 10000
MAX_REASON = 2000
OPEN = (EnquiryStatus.NEW, EnquiryStatus.ANSWERED)
DJANGO_LANGUAGE = {"en": "en", "zh-Hant": "zh-hant", "zh-Hans": "zh-hans"}


def find_enquiry(*, user: Any, reference: str) -> Enquiry:
    """The enquiry: 403 unless a CNCA officer, then 404 when there is none."""
    if not permissions.can(user, "enquiries.answer"):
        raise role_may_not(permissions.role_of(user), "answer enquiries")
    found = (
        Enquiry.objects.filter(reference=reference).first()
        if isinstance(reference, str) and "\x00" not in reference
        else None
    )
    if found is None:
        raise NotFound(f"no enquiry with reference {reference!r}")
    return found


def _step(enquiry: Enquiry, *, actor: str, at: dt.datetime, event: str, old: str, reason: str,
          channel: str) -> None:
    """The enquiry's line of history, and the change log's entry (no personal data in it)."""
    EnquiryTransition.objects.create(enquiry=enquiry, at=at, who=actor.removeprefix("user:"), channel=channel,
                                     event=event, from_status=old, to_status=enquiry.status, reason=reason)
    record_changes(
        actor=actor, reason=f"enquiry {event}", channel=channel,
        changes=[RecordChange("enquiries", enquiry.reference, "transition",
                              {"reference": enquiry.reference, "status": old},
                              {"reference": enquiry.reference, "status": enquiry.status})],
    )


def _move(enquiry: Enquiry, old: str, new: str) -> None:
    if not swap_status(enquiry, old, status=new):
        raise Conflict(f"enquiry {enquiry.reference} is no longer {old}")


def reply_email(enquiry: Enquiry, body: str) -> tuple[str, str]:
    """The subject and text of the reply, in the enquirer's language."""
    with translation.override(DJANGO_LANGUAGE.get(enquiry.language, "en")):
        subject = gettext("Your enquiry %(reference)s: CNCA's reply") % {"reference": enquiry.reference}
        text = "\n\n".join([
            gettext("Dear %(name)s,") % {"name": enquiry.name},
            body,
            gettext("Your reference is %(reference)s. To see the status of your enquiry, open Enquiries "
                    "on the CEPA Registry website and give your reference and this email address.")
            % {"reference": enquiry.reference},
            gettext("Certification and Accreditation Administration of the People's Republic of China "
                    "(CNCA), through CEPA Registry"),
        ])
    return subject, text + "\n"


def reply_to_enquiry(*, actor: str, user: Any, reference: str, body: str, channel: str = "api",
                     now: dt.datetime | None = None) -> EnquiryReply:
    """Sends `body` to the enquirer by email, in their language, and keeps it on the record; the enquiry
    is then `answered`. From `new` or `answered` (409 once closed: reopen it first)."""
    if not actor:
        raise ValueError("actor is required")
    enquiry = find_enquiry(user=user, reference=reference)
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput("body", "is required: write the reply the enquirer will receive")
    if len(body) > MAX_REPLY:
        raise InvalidInput("body", f"must be at most {MAX_REPLY} characters")
    if enquiry.status not in OPEN:
        raise Conflict(f"enquiry {enquiry.reference} is {enquiry.status}; reopen it before replying")
    moment = now or timezone.now()
    body = body.strip()
    subject, text = reply_email(enquiry, body)
    old = enquiry.status
    with transaction.atomic():
        _move(enquiry, old, EnquiryStatus.ANSWERED)
        reply = EnquiryReply.objects.create(enquiry=enquiry, sent_at=moment,
                                            sent_by=actor.removeprefix("user:"), language=enquiry.language,
                                            subject=subject, body=body)
        _step(enquiry, actor=actor, at=moment, event="reply", old=old, reason="", channel=channel)
        message = EmailMessage(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                               to=[enquiry.email],
                               headers={"Content-Language": enquiry.language,
                                        "X-CEPA-Enquiry": enquiry.reference})
        # Sent once the reply is stored: nothing goes out for a reply that was rolled back.
        transaction.on_commit(message.send)
    return reply


def close_enquiry(*, actor: str, user: Any, reference: str, reason: str = "", channel: str = "api",
                  now: dt.datetime | None = None) -> Enquiry:
    """`new` or `answered` → `closed`, with an optional reason (nothing is sent to the enquirer)."""
    return _transition(actor=actor, user=user, reference=reference, reason=reason, channel=channel, now=now,
                       event="close", allowed=OPEN, target=lambda _enquiry: EnquiryStatus.CLOSED)


def reopen_enquiry(*, actor: str, user: Any, reference: str, reason: str, channel: str = "api",
                   now: dt.datetime | None = None) -> Enquiry:
    """`closed` → back to `answered` if CNCA has replied, else `new`; the reason is required."""
    return _transition(
        actor=actor, user=user, reference=reference, reason=reason, channel=channel, now=now, event="reopen",
        allowed=(EnquiryStatus.CLOSED,),
        target=lambda enquiry: EnquiryStatus.ANSWERED if enquiry.replies.exists() else EnquiryStatus.NEW,
    )


def _transition(*, actor: str, user: Any, reference: str, reason: str, channel: str,
                now: dt.datetime | None, event: str, allowed: tuple[str, ...],
                target: Callable[[Enquiry], str]) -> Enquiry:
    if not actor:
        raise ValueError("actor is required")
    enquiry = find_enquiry(user=user, reference=reference)
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"must be text of at most {MAX_REASON} characters")
    if event == "reopen" and not reason.strip():
        raise InvalidInput("reason", "is required to reopen an enquiry: say why")
    if enquiry.status not in allowed:
        done = "closed" if event == "close" else "reopened"
        raise Conflict(f"enquiry {enquiry.reference} is {enquiry.status}; only "
                       f"{' or '.join(allowed)} enquiries can be {done}")
    moment = now or timezone.now()
    old = enquiry.status
    with transaction.atomic():
        _move(enquiry, old, target(enquiry))
        _step(enquiry, actor=actor, at=moment, event=event, old=old, reason=reason.strip(), channel=channel)
    return enquiry
