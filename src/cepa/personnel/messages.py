"""Messages of the inspector register in English, Traditional and Simplified Chinese.

Each message is keyed by a code; its English text (with %(name)s placeholders) is also the key of its
translations in locale/translations/personnel.json, the one file the project keeps translations in
(tools/i18n.py reads the same files for the UI).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from cepa.decisions.terms import LANGUAGES, normalise_language

__all__ = ["LANGUAGES", "grade_label", "language", "message"]

TRANSLATIONS = Path(__file__).resolve().parent.parent / "locale" / "translations" / "personnel.json"

TEXTS: dict[str, str] = {
    "RENEWAL_WINDOW_NOT_OPEN": (
        "Renewal can be applied for from %(opens)s, %(months)s months before the registration expires "
        "on %(expires)s."
    ),
    "AGE_LIMIT": (
        "The inspector is %(age)s on %(on)s; applications and renewals must be made before age %(max_age)s."
    ),
    "DATE_OF_BIRTH_UNKNOWN": "The date of birth is not recorded, so the age limit cannot be checked.",
    "REGISTRATION_CANCELLED": "The registration was cancelled on %(since)s; cancellation is final.",
    "REGISTRATION_EXPIRED": "The registration expired on %(expires)s; a new registration is needed.",
    "NOT_CERTIFICATION_BODY": "%(org)s is not a certification body.",
    "ALREADY_AFFILIATED": "The inspector is already affiliated with %(org)s on %(on)s.",
    "REGISTRATION_NOT_VALID": (
        "The registration is not valid on %(on)s (valid from %(registered)s to %(expires)s)."
    ),
    "TRANSFER_PENDING": "Transfer %(transfer)s of this inspector is still pending.",
    "LATER_AFFILIATION": "An affiliation with %(org)s from %(start)s is already recorded after %(on)s.",
    "AFFILIATION_STARTS_ON_EFFECTIVE": (
        "The affiliation with %(org)s starts on %(on)s, so it cannot end the day before."
    ),
    "EVENT_BEFORE_LATEST": (
        "The latest change of this kind is dated %(latest)s; a new one must come after it."
    ),
    "GRADE_UNCHANGED": "The grade on %(on)s is already %(grade)s.",
    "CONFIRMATION_NOT_DUE": (
        "No annual confirmation is due in %(year)s for a registration from %(registered)s to %(expires)s."
    ),
    "LOOKUP.registered": (
        "%(name)s (%(id)s) is a registered CCC factory inspector on %(on)s, for %(org)s; grade: %(grade)s; "
        "specialties: %(specialties)s."
    ),
    "LOOKUP.unaffiliated": (
        "%(name)s (%(id)s) is registered on %(on)s but is not affiliated with any certification body, "
        "so may not inspect."
    ),
    "LOOKUP.suspended": (
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration is "
        "suspended since %(since)s."
    ),
    "LOOKUP.cancelled": (
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration was "
        "cancelled on %(since)s."
    ),
    "LOOKUP.expired": (
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration expired "
        "on %(expires)s."
    ),
    "LOOKUP.not_yet": (
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration starts "
        "on %(registered)s."
    ),
    "LOOKUP.other_body": "On %(on)s this inspector works for %(org)s, not for %(asked)s.",
    "LOOKUP.not_with_body": "On %(on)s this inspector does not work for %(asked)s.",
    "LOOKUP.none": "No registered inspector matches this search.",
    "REMINDER.expiry.subject": "The registration of CCC factory inspector %(id)s expires on %(expires)s",
    "REMINDER.expiry.body": (
        "The registration of %(name)s (%(id)s) expires on %(expires)s. Renewal can be applied for from "
        "%(opens)s, before the inspector's %(max_age)sth birthday."
    ),
    "REMINDER.confirmation.subject": "Annual confirmation of CCC factory inspector %(id)s due on %(due)s",
    "REMINDER.confirmation.body": (
        "The annual confirmation of the registration of %(name)s (%(id)s) is due on %(due)s."
    ),
    "REMINDER.transfer_approved.subject": "Transfer of CCC factory inspector %(id)s approved",
    "REMINDER.transfer_approved.body": (
        "The transfer of inspector %(id)s from %(from)s to %(to)s, effective %(effective)s, was approved. "
        "%(reason)s"
    ),
    "REMINDER.transfer_refused.subject": "Transfer of CCC factory inspector %(id)s refused",
    "REMINDER.transfer_refused.body": (
        "The transfer of inspector %(id)s from %(from)s to %(to)s, effective %(effective)s, was refused: "
        "%(reason)s"
    ),
    "GRADE.provisional": "Provisional inspector",
    "GRADE.inspector": "Inspector",
    "GRADE.senior": "Senior inspector",
    "NONE": "none",
}


@cache
def _translations() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return loaded


def language(value: str | None) -> str:
    """en, zh-Hant or zh-Hans for any casing; English for anything else."""
    return (normalise_language(value) if value else None) or "en"


def message(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, its placeholders filled; English where no translation exists."""
    english = TEXTS[key]
    template = english if lang == "en" else _translations().get(english, {}).get(lang, english)
    return template % {name: str(value) for name, value in params.items()} if params else template


def grade_label(grade: str, lang: str = "en") -> str:
    return message(f"GRADE.{grade}", lang) if f"GRADE.{grade}" in TEXTS else grade
