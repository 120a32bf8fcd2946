"""The one write path for enquiries: validate, route to the sector's queue, store, record the change."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cepa.decisions.services import DecisionInputError, decide
from cepa.enquiries.models import Enquiry
from cepa.errors import InvalidInput
from cepa.history.services import RecordChange, record_changes

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
        # The change log is readable by more people than the queue: no personal data in it.
        record_changes(
            actor=actor, reason="enquiry received", channel="web",
            changes=[RecordChange("enquiries", reference, "create", None,
                                  {"reference": reference, "product_type": product_type, "queue": sector})],
        )
    return enquiry
