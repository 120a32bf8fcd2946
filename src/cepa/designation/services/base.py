"""What the designation services share: the role checks, input checks and history helpers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cepa.accounts import permissions
from cepa.catalogue.models import CODE_OR_KEY
from cepa.catalogue.selectors import unknown_names
from cepa.dates import FIRST_DAY, LAST_DAY, bounded
from cepa.decisions.terms import BEIJING
from cepa.designation import clock
from cepa.designation.models import Application, Plan
from cepa.errors import InvalidInput, NotAllowed, role_may_not
from cepa.history.services import RecordChange, record_changes

# Objections may be raised within 15 working days of the published decision (CNCA, 26 Jun 2024).
OBJECTION_WORKING_DAYS = 15
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
CODE = re.compile(CODE_OR_KEY)
# Fields of a plan fixed once it is published.
FIXED_WHEN_PUBLISHED = ("year", "role", "product_types", "window", "requires_expression_of_interest")
REQUIREMENT_LANGUAGES = {
    "en": "requirements_en",
    "zh-Hant": "requirements_zh_hant",
    "zh-Hans": "requirements_zh_hans",
}

APPLICATIONS = "designation.applications"
PLANS_WORKFLOW = "designation.plans"
OBJECTIONS = "designation.objections"
DOCUMENTS = "designation.documents"


# --- small helpers ------------------------------------------------------------------------------------


def _require(user: Any, permission: str, what: str) -> None:
    if not permissions.can(user, permission):
        raise role_may_not(permissions.role_of(user), what)


def _require_own(user: Any, organisation: str, what: str) -> None:
    own = permissions.organisation_of(user)
    if own != organisation:
        # Names neither organisation: a refusal never says who owns a record.
        raise NotAllowed(f"you may not {what}: it is not your organisation's")


def _who(user: Any, actor: str) -> str:
    name = user.get_username() if user is not None and getattr(user, "is_authenticated", False) else ""
    return name or actor


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(BEIJING).isoformat()
    return value.isoformat()


def _text(value: Any, field: str, *, required: bool, max_length: int = 10_000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a string")
    value = value.strip()
    if required and not value:
        raise InvalidInput(field, "is required and may not be empty")
    if "\x00" in value:
        raise InvalidInput(field, "may not contain NUL characters")
    if len(value) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    return value


def _year(value: Any, field: str = "year") -> int:
    first, last = FIRST_DAY.year, LAST_DAY.year
    if isinstance(value, bool) or not isinstance(value, int) or not first <= value <= last:
        raise InvalidInput(field, f"must be a year between {first} and {last}")
    return value


def _product_types(value: Any, field: str = "product_types") -> list[str]:
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidInput(
            field, "must be a non-empty list of product type codes (4 digits) or catalogue keys"
        )
    codes: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not CODE.fullmatch(item):
            raise InvalidInput(
                field, f"malformed product type code {item!r}: expected 4 digits or a catalogue key"
            )
        codes.add(item)
    unknown = unknown_names(codes)
    if unknown:
        raise InvalidInput(
            field, f"unknown product type codes {', '.join(unknown)}: no catalogue version has had them"
        )
    return sorted(codes)


def _moment(value: Any, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(field, f"malformed timestamp {value!r}: expected ISO 8601") from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a timestamp")
    # A timestamp without an offset is Beijing/Hong Kong time.
    return bounded(field, value if value.tzinfo else value.replace(tzinfo=BEIJING))


def _window(value: Any) -> tuple[dt.datetime, dt.datetime]:
    if not isinstance(value, Mapping) or set(value) - {"opens", "closes"}:
        raise InvalidInput("window", "must be an object {opens, closes}")
    if "opens" not in value or "closes" not in value:
        raise InvalidInput("window", "needs both opens and closes")
    opens = _moment(value["opens"], "window.opens")
    closes = _moment(value["closes"], "window.closes")
    if closes <= opens:
        raise InvalidInput("window.closes", "must be after window.opens")
    return opens, closes


def _requirements(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or set(value) - set(REQUIREMENT_LANGUAGES):
        raise InvalidInput("requirements", "must be an object keyed by en, zh-Hant, zh-Hans")
    return {
        REQUIREMENT_LANGUAGES[lang]: _text(text, f"requirements.{lang}", required=False, max_length=20_000)
        for lang, text in value.items()
    }


def _changes(
    *,
    actor: str,
    reason: str,
    channel: str,
    record_type: str,
    record_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    more: Iterable[RecordChange] = (),
) -> None:
    record_changes(
        actor=actor,
        reason=reason,
        channel=channel,
        changes=[RecordChange(record_type, record_id, action, before, after), *more],
    )


def _history(
    owner: Application | Plan,
    *,
    actor: str,
    user: Any,
    channel: str,
    old: str | None,
    note: str,
    reason: str,
    record_type: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    record_id: str = "",
    event: str = "transition",
    more: Iterable[RecordChange] = (),
) -> None:
    """One write's line in the application's or plan's own history (`note`, from `old` to its status
    now) and its change-log entry (`reason`; the record is the owner unless `record_id` names another)."""
    owner.events.create(
        at=clock.now(),
        who=_who(user, actor),
        channel=channel,
        from_status=old,
        to_status=owner.status,
        reason=note,
        event=event,
    )
    _changes(
        actor=actor,
        reason=reason,
        channel=channel,
        record_type=record_type,
        record_id=record_id or str(owner.pk),
        action=action,
        before=before,
        after=after,
        more=more,
    )
