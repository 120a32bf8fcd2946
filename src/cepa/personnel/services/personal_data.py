"""Personal data: kept with the registration, changed without its values entering the change log,
and disclosed with a log of every read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cepa.accounts import permissions
from cepa.errors import InvalidInput, NotFound, role_may_not
from cepa.history.services import RecordChange, record_changes
from cepa.personnel.models import Inspector, PersonalDataAccess
from cepa.personnel.services.base import _date, _locked, _require_actor, _text, require

PERSONAL_FIELDS = ("date_of_birth", "identity_document", "email", "phone")
PERSONAL_LIMITS = {"identity_document": 60, "email": 200, "phone": 50}


def check_may_read_personal_data(*, user: Any, inspector_id: str | None = None) -> None:
    """403 unless `user` is the registrar or an applicant (and, given the inspector, one of its current
    body)."""
    if user is None:
        return
    role = permissions.role_of(user)
    if role not in ("ccaa_registrar", "applicant"):
        raise role_may_not(role, "read personal data")
    if inspector_id is not None:
        require(
            user, "inspectors.view_personal_data", inspector_id, what="read this inspector's personal data"
        )


def _personal_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated personal data; only the keys given."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in PERSONAL_FIELDS:
            raise InvalidInput(name, f"not a personal data field; one of {', '.join(PERSONAL_FIELDS)}")
        if name == "date_of_birth":
            clean[name] = None if value in (None, "") else _date(name, value)
            continue
        text = _text(name, value, limit=PERSONAL_LIMITS[name])
        if name == "email" and text:
            try:
                validate_email(text)
            except ValidationError as error:
                raise InvalidInput("email", "is not a valid email address") from error
        clean[name] = text
    return clean


def update_personal_data(
    *,
    actor: str,
    inspector_id: str,
    values: Mapping[str, Any],
    reason: str = "",
    user: Any = None,
    channel: str = "service",
) -> list[str]:
    """Sets some of date_of_birth, identity_document, email and phone; returns the fields changed.
    The change log records which fields changed, never their values."""
    _require_actor(actor)
    require(user, "inspectors.edit_personal_data", inspector_id, what="change this registration")
    clean = _personal_values(values)
    with transaction.atomic():
        row = _locked(inspector_id)
        if clean.get("date_of_birth") is not None and clean["date_of_birth"] >= row.registered:
            raise InvalidInput("date_of_birth", "must be before the registration date")
        changed = sorted(name for name, value in clean.items() if getattr(row, name) != value)
        if changed:
            Inspector.objects.filter(pk=row.pk).update(**{name: clean[name] for name in changed})
            record_changes(
                actor=actor,
                reason=reason,
                channel=channel,
                changes=[
                    RecordChange("personnel.personal_data", row.pk, "update", None, {"fields": changed})
                ],
            )
    return changed


def disclose_personal_data(
    *,
    actor: str,
    inspector_id: str,
    fields: Sequence[str] = PERSONAL_FIELDS,
    user: Any = None,
    channel: str = "api",
) -> dict[str, Any]:
    """Reads an inspector's personal data for a member of staff, logging who read which fields when:
    the registrar, or staff of the inspector's current body (inspectors.view_personal_data)."""
    _require_actor(actor)
    check_may_read_personal_data(user=user, inspector_id=inspector_id)
    wanted = list(dict.fromkeys(fields))
    for name in wanted:
        if name not in PERSONAL_FIELDS:
            raise InvalidInput("fields", f"{name!r} is not a personal data field")
    if not isinstance(inspector_id, str) or "\x00" in inspector_id:
        raise NotFound(f"no inspector with registration number {inspector_id!r}")
    with transaction.atomic():
        found = Inspector.objects.filter(pk=inspector_id).values("id", *wanted).first()
        if found is None:
            raise NotFound(f"no inspector with registration number {inspector_id!r}")
        PersonalDataAccess.objects.create(
            at=timezone.now(), actor=actor, inspector_id=inspector_id, fields=wanted, channel=channel
        )
    return found


def log_record_view(*, actor: str, inspector_id: str, fields: Sequence[str], channel: str = "admin") -> None:
    """Logs that a member of staff viewed an inspector's record outside the API's disclosure (the admin
    site's page of an inspector), with the fields the page showed, like the API's reads."""
    _require_actor(actor)
    if not fields:
        raise InvalidInput("fields", "name at least one field that was shown")
    with transaction.atomic():
        PersonalDataAccess.objects.create(
            at=timezone.now(), actor=actor, inspector_id=inspector_id, fields=list(fields), channel=channel
        )
