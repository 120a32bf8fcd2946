"""The write path of reminders: schedule (idempotent by key), cancel, and a user's language.

Other apps schedule their own reminders here, in their own transaction if they have one:

    schedule_reminder(actor="user:alice", key=f"inspector-expiry:{number}:{expires}:90d",
                      due=moment, kind="inspector_expiry", organisation="hk-cb-lionrock",
                      recipients=["inspector@example.hk"], context={...})

A reminder is a row, so one scheduled inside a transaction that rolls back never goes out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from cepa.accounts.models import Role
from cepa.bodies.models import Organisation
from cepa.errors import InvalidInput
from cepa.history.services import RecordChange, record_changes
from cepa.reminders.models import CalendarFeedKey, Language, LanguagePreference, Reminder, ReminderStatus
from cepa.workflow import swap_status

KIND = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class Planned:
    """One reminder to schedule (the arguments of schedule_reminder, minus actor)."""

    key: str
    due: dt.datetime
    kind: str
    organisation: str | None = None
    recipients: tuple[str, ...] = ()
    role: str = ""
    language: str = ""
    context: Mapping[str, Any] | None = None
    stale_after: dt.datetime | None = None


def reminder_record(reminder: Reminder) -> dict[str, Any]:
    """What the change log keeps of a reminder."""
    return {
        "key": reminder.key,
        "kind": reminder.kind,
        "due": reminder.due.isoformat(),
        "stale_after": reminder.stale_after.isoformat() if reminder.stale_after else None,
        "organisation": reminder.organisation_id,
        "role": reminder.role or None,
        "emails": list(reminder.emails),
        "language": reminder.language or None,
        "status": reminder.status,
    }


def _aware(field: str, value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a datetime")
    if timezone.is_naive(value):
        raise InvalidInput(field, "must be timezone-aware")
    return value


def _validate(planned: Planned) -> None:
    if not isinstance(planned.key, str) or not planned.key or len(planned.key) > 255:
        raise InvalidInput("key", "must be 1 to 255 characters")
    if not isinstance(planned.kind, str) or not KIND.fullmatch(planned.kind):
        raise InvalidInput("kind", "must be a lower-case identifier (letters, digits, _), at most 60")
    due = _aware("due", planned.due)
    if planned.stale_after is not None and _aware("stale_after", planned.stale_after) <= due:
        raise InvalidInput("stale_after", "must be after due")
    if not (planned.organisation or planned.role or planned.recipients):
        raise InvalidInput("recipients", "name an organisation, a role or at least one email address")
    if planned.role and planned.role not in Role.values:
        raise InvalidInput("role", f"unknown role {planned.role!r}; one of {', '.join(Role.values)}")
    for email in planned.recipients:
        try:
            validate_email(email)
        except ValidationError as error:
            raise InvalidInput("recipients", f"{email!r} is not a valid email address") from error
    if planned.language and planned.language not in Language.values:
        raise InvalidInput("language", f"must be one of {', '.join(Language.values)}")
    try:
        json.dumps(dict(planned.context or {}))
    except (TypeError, ValueError) as error:
        raise InvalidInput("context", f"must be JSON-serialisable ({error})") from error


def _organisation_id(organisation: str | Organisation | None) -> str | None:
    if organisation is None:
        return None
    return organisation if isinstance(organisation, str) else str(organisation.pk)


def _stored(keys: list[str]) -> dict[str, Reminder]:
    """The reminders already stored under these keys (a query per thousand keys)."""
    found: dict[str, Reminder] = {}
    for start in range(0, len(keys), 1000):
        found.update((r.key, r) for r in Reminder.objects.filter(key__in=keys[start : start + 1000]))
    return found


def _create(planned: Planned, *, actor: str, generated: bool, now: dt.datetime) -> tuple[Reminder, bool]:
    """Creates the reminder of this key; (the stored one, False) when a concurrent caller was first."""
    try:
        # A savepoint: a concurrent scheduler of the same key makes this insert fail, not the caller's
        # whole transaction.
        with transaction.atomic():
            reminder = Reminder.objects.create(
                key=planned.key,
                kind=planned.kind,
                due=planned.due,
                stale_after=planned.stale_after,
                organisation_id=planned.organisation,
                role=planned.role,
                emails=sorted({email.strip() for email in planned.recipients}),
                language=planned.language,
                context=dict(planned.context or {}),
                generated=generated,
                created_at=now,
                created_by=actor,
            )
    except IntegrityError:
        return Reminder.objects.get(key=planned.key), False
    return reminder, True


def schedule_many(
    *,
    actor: str,
    planned: Iterable[Planned],
    generated: bool = False,
    channel: str = "service",
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[tuple[Reminder, bool]]:
    """Schedules several reminders in one transaction and one change set; each idempotent by key."""
    if not actor:
        raise ValueError("actor is required")
    items = list(planned)
    for item in items:
        _validate(item)
    organisations = {item.organisation for item in items if item.organisation}
    known = set(Organisation.objects.filter(pk__in=organisations).values_list("pk", flat=True))
    for missing in sorted(organisations - known):
        raise InvalidInput("organisation", f"no organisation with id {missing!r}")
    moment = now or timezone.now()
    results: list[tuple[Reminder, bool]] = []
    with transaction.atomic():
        stored = _stored([item.key for item in items])
        for item in items:
            if item.key in stored:
                results.append((stored[item.key], False))
                continue
            created = _create(item, actor=actor, generated=generated, now=moment)
            stored[item.key] = created[0]
            results.append(created)
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[
                RecordChange("reminders", reminder.key, "create", None, reminder_record(reminder))
                for reminder, created in results
                if created
            ],
        )
    return results


def schedule_reminder(
    *,
    actor: str,
    key: str,
    due: dt.datetime,
    kind: str,
    organisation: str | Organisation | None = None,
    recipients: Sequence[str] = (),
    role: str = "",
    language: str = "",
    context: Mapping[str, Any] | None = None,
    stale_after: dt.datetime | None = None,
    channel: str = "service",
) -> Reminder:
    """Schedules one reminder, or returns the one already stored under `key` (left as it is).

    Recipients: the active applicants of `organisation`, the active users of `role`, and the
    addresses in `recipients` (at least one of the three). `language` forces one language; blank
    means each recipient's own. `context` feeds the email template `reminders/email/<kind>.<lang>.txt`
    (without one, the generic template shows context["subject"] and context["body"], each a string
    or a dict by language). `stale_after`: do not send after this moment. The key is the identity:
    to move a reminder, cancel it and schedule under a new key (put the date in the key).
    """
    planned = Planned(
        key=key,
        due=due,
        kind=kind,
        organisation=_organisation_id(organisation),
        recipients=tuple(recipients),
        role=role,
        language=language,
        context=context,
        stale_after=stale_after,
    )
    ((reminder, _created),) = schedule_many(actor=actor, planned=[planned], channel=channel)
    return reminder


def cancel_reminder(*, actor: str, key: str, reason: str = "", channel: str = "service") -> bool:
    """Cancels a reminder that has not gone out yet; False when there is none pending under `key`."""
    if not actor:
        raise ValueError("actor is required")
    return bool(cancel_keys(actor=actor, keys=[key], reason=reason, channel=channel))


def cancel_keys(*, actor: str, keys: Iterable[str], reason: str, channel: str) -> list[str]:
    """Cancels the pending reminders among `keys` (conditional updates); returns the keys cancelled."""
    cancelled: list[str] = []
    changes: list[RecordChange] = []
    with transaction.atomic():
        for reminder in Reminder.objects.filter(key__in=list(keys), status=ReminderStatus.PENDING):
            before = reminder_record(reminder)
            if swap_status(
                reminder, ReminderStatus.PENDING, status=ReminderStatus.CANCELLED, status_reason=reason
            ):
                cancelled.append(reminder.key)
                changes.append(
                    RecordChange("reminders", reminder.key, "transition", before, reminder_record(reminder))
                )
        record_changes(actor=actor, reason=reason, channel=channel, changes=changes)
    return cancelled


def set_language(*, actor: str, username: str, language: str, channel: str = "cli") -> LanguagePreference:
    """Sets the language a user receives reminders in."""
    if not actor:
        raise ValueError("actor is required")
    if language not in Language.values:
        raise InvalidInput("language", f"must be one of {', '.join(Language.values)}")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput("username", f"no user named {username!r}")
    with transaction.atomic():
        existing = LanguagePreference.objects.filter(user=user).first()
        before = {"language": existing.language} if existing else None
        preference, _ = LanguagePreference.objects.update_or_create(
            user=user, defaults={"language": language}
        )
        record_changes(
            actor=actor,
            reason="",
            channel=channel,
            changes=[
                RecordChange(
                    "reminders.languages",
                    username,
                    "update" if existing else "create",
                    before,
                    {"language": language},
                )
            ],
        )
    return preference


def rotate_feed_key(*, actor: str, organisation_id: str, reason: str = "", channel: str = "cli") -> int:
    """Gives an organisation's calendar feed a new key (a new random salt): the address calendar programs
    hold stops working at once. Returns the key's new version. The history records the rotation by its
    versions, never the salt."""
    if not actor:
        raise ValueError("actor is required")
    if not isinstance(organisation_id, str) or "\x00" in organisation_id:
        raise InvalidInput("organisation", f"no organisation with id {organisation_id!r}")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            raise InvalidInput("organisation", f"no organisation with id {organisation_id!r}")
        current = CalendarFeedKey.objects.select_for_update().filter(organisation=organisation).first()
        version = (current.version if current else 0) + 1
        now = timezone.now()
        CalendarFeedKey.objects.update_or_create(
            organisation=organisation,
            defaults={
                "salt": secrets.token_hex(32),
                "version": version,
                "rotated_at": now,
                "rotated_by": actor,
            },
        )
        record_changes(
            actor=actor,
            reason=reason or "calendar feed key rotated",
            channel=channel,
            changes=[
                RecordChange(
                    "reminders.calendar_feed_keys",
                    organisation.pk,
                    "update" if current else "create",
                    {"version": current.version} if current else None,
                    {"version": version},
                )
            ],
        )
    return version
