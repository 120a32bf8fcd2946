"""Messages of the inspector register in English, Traditional and Simplified Chinese.

Each message is keyed by a code; its English text (with %(name)s placeholders) is also its msgid in the
project's gettext catalogues (locale/<language>/LC_MESSAGES/django.po), like every UI string.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_noop

from cepa.decisions.terms import LANGUAGES, normalise_language
from cepa.personnel.models import Grade

__all__ = ["LANGUAGES", "grade_label", "language", "message"]

TEXTS: dict[str, str] = {
    "RENEWAL_WINDOW_NOT_OPEN": gettext_noop(
        "Renewal can be applied for from %(opens)s, %(months)s months before the registration expires "
        "on %(expires)s."
    ),
    "AGE_LIMIT": gettext_noop(
        "The inspector is %(age)s on %(on)s; applications and renewals must be made before age %(max_age)s."
    ),
    "DATE_OF_BIRTH_UNKNOWN": gettext_noop(
        "The date of birth is not recorded, so the age limit cannot be checked."
    ),
    "REGISTRATION_CANCELLED": gettext_noop(
        "The registration was cancelled on %(since)s; cancellation is final."
    ),
    "REGISTRATION_EXPIRED": gettext_noop(
        "The registration expired on %(expires)s; a new registration is needed."
    ),
    "NOT_CERTIFICATION_BODY": gettext_noop("%(org)s is not a certification body."),
    "ALREADY_AFFILIATED": gettext_noop("The inspector is already affiliated with %(org)s on %(on)s."),
    "REGISTRATION_NOT_VALID": gettext_noop(
        "The registration is not valid on %(on)s (valid from %(registered)s to %(expires)s)."
    ),
    "TRANSFER_PENDING": gettext_noop("Transfer %(transfer)s of this inspector is still pending."),
    "LATER_AFFILIATION": gettext_noop(
        "An affiliation with %(org)s from %(start)s is already recorded after %(on)s."
    ),
    "AFFILIATION_STARTS_ON_EFFECTIVE": gettext_noop(
        "The affiliation with %(org)s starts on %(on)s, so it cannot end the day before."
    ),
    "EVENT_BEFORE_LATEST": gettext_noop(
        "The latest change of this kind is dated %(latest)s; a new one must come after it."
    ),
    "GRADE_UNCHANGED": gettext_noop("The grade on %(on)s is already %(grade)s."),
    "CONFIRMATION_NOT_DUE": gettext_noop(
        "No annual confirmation is due in %(year)s for a registration from %(registered)s to %(expires)s."
    ),
    "LOOKUP.registered": gettext_noop(
        "%(name)s (%(id)s) is a registered CCC factory inspector on %(on)s, for %(org)s; grade: %(grade)s; "
        "specialties: %(specialties)s."
    ),
    "LOOKUP.unaffiliated": gettext_noop(
        "%(name)s (%(id)s) is registered on %(on)s but is not affiliated with any certification body, "
        "so may not inspect."
    ),
    "LOOKUP.suspended": gettext_noop(
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration is "
        "suspended since %(since)s."
    ),
    "LOOKUP.cancelled": gettext_noop(
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration was "
        "cancelled on %(since)s."
    ),
    "LOOKUP.expired": gettext_noop(
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration expired "
        "on %(expires)s."
    ),
    "LOOKUP.not_yet": gettext_noop(
        "%(name)s (%(id)s) is not a registered CCC factory inspector on %(on)s: the registration starts "
        "on %(registered)s."
    ),
    "LOOKUP.other_body": gettext_noop("On %(on)s this inspector works for %(org)s, not for %(asked)s."),
    "LOOKUP.not_with_body": gettext_noop("On %(on)s this inspector does not work for %(asked)s."),
    "LOOKUP.none": gettext_noop("No registered inspector matches this search."),
    "REMINDER.expiry.subject": gettext_noop(
        "The registration of CCC factory inspector %(id)s expires on %(expires)s"
    ),
    "REMINDER.expiry.body": gettext_noop(
        "The registration of %(name)s (%(id)s) expires on %(expires)s. Renewal can be applied for from "
        "%(opens)s, before the inspector's %(max_age)sth birthday."
    ),
    "REMINDER.confirmation.subject": gettext_noop(
        "Annual confirmation of CCC factory inspector %(id)s due on %(due)s"
    ),
    "REMINDER.confirmation.body": gettext_noop(
        "The annual confirmation of the registration of %(name)s (%(id)s) is due on %(due)s."
    ),
    "REMINDER.transfer_approved.subject": gettext_noop("Transfer of CCC factory inspector %(id)s approved"),
    "REMINDER.transfer_approved.body": gettext_noop(
        "The transfer of inspector %(id)s from %(from)s to %(to)s, effective %(effective)s, was approved. "
        "%(reason)s"
    ),
    "REMINDER.transfer_refused.subject": gettext_noop("Transfer of CCC factory inspector %(id)s refused"),
    "REMINDER.transfer_refused.body": gettext_noop(
        "The transfer of inspector %(id)s from %(from)s to %(to)s, effective %(effective)s, was refused: "
        "%(reason)s"
    ),
    "NONE": gettext_noop("none"),
}


def language(value: str | None) -> str:
    """en, zh-Hant or zh-Hans for any casing; English for anything else."""
    return (normalise_language(value) if value else None) or "en"


def message(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, its placeholders filled; English where no translation exists."""
    with translation.override(lang):
        template = translation.gettext(TEXTS[key])
    return template % {name: str(value) for name, value in params.items()} if params else template


def grade_label(grade: str, lang: str = "en") -> str:
    """A grade's label (the model's) in `lang`; the code itself if the model does not know it."""
    try:
        label = Grade(grade).label
    except ValueError:
        return grade
    with translation.override(lang):
        return str(label)
