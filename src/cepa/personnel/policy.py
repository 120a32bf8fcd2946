"""The registration rules of CCAA for CCC factory inspectors, as plain functions over dates.

Numbers come from settings so that a confirmed figure can replace an assumed one without a code change:
- CEPA_RENEWAL_WINDOW_MONTHS (3): renewal may be applied for from this many months before expiry.
- CEPA_RENEWAL_MAX_AGE (65): applications and renewals must be made before this age.
- CEPA_REGISTRATION_TERM_YEARS (3): a registration (and each renewal) runs this many years. The 3-year
  term is the usual CCAA term; it is UNCONFIRMED for CCC factory inspectors.
- CEPA_EXPIRY_REMINDER_MONTHS (3): how long before expiry the reminder is due.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings

# Where each rule comes from (domain notes §7: CCAA107, and a CCAA notice known from a search excerpt).
BASIS_RENEWAL = (
    "CCAA-107 CCC Inspector Registration Criteria (v3, 2015) and CCAA notice: re-registration may be "
    "requested from 3 months before expiry, and applications and re-registrations must be made before age 65"
)
BASIS_TERM = "Usual CCAA registration term of 3 years (UNCONFIRMED for CCC factory inspectors)"
BASIS_CONFIRMATION = "CCAA notice: registrants confirm their registration every year (annual confirmation)"
BASIS_TRANSFER = (
    "HKCTC FAQ Q2 on the Feb 2025 Implementation Guide: a registered CCC factory inspector moving to another "
    "certification body uses only the CCAA system's change-institution request (轉換機構申請), with no new "
    "application, training or examination"
)


@dataclass(frozen=True)
class Policy:
    renewal_window_months: int
    max_age: int
    term_years: int
    expiry_reminder_months: int


def current() -> Policy:
    return Policy(
        renewal_window_months=int(getattr(settings, "CEPA_RENEWAL_WINDOW_MONTHS", 3)),
        max_age=int(getattr(settings, "CEPA_RENEWAL_MAX_AGE", 65)),
        term_years=int(getattr(settings, "CEPA_REGISTRATION_TERM_YEARS", 3)),
        expiry_reminder_months=int(getattr(settings, "CEPA_EXPIRY_REMINDER_MONTHS", 3)),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), at the month's last day where it has no such day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def renewal_window_opens(expires: dt.date, policy: Policy) -> dt.date:
    return add_months(expires, -policy.renewal_window_months)


def renewed_expiry(expires: dt.date, policy: Policy) -> dt.date:
    """The new last day of validity: one term after the old one."""
    return add_years(expires, policy.term_years)


def confirmation_due(registered: dt.date, year: int) -> dt.date:
    """The annual confirmation for `year` is due on the anniversary of registration in that year."""
    return add_years(registered, year - registered.year)


def confirmation_years(registered: dt.date, expires: dt.date) -> list[int]:
    """The years with a confirmation due: each anniversary after registration up to expiry."""
    return [
        year
        for year in range(registered.year + 1, expires.year + 1)
        if confirmation_due(registered, year) <= expires
    ]


def next_confirmation_due(registered: dt.date, expires: dt.date, confirmed: set[int]) -> dt.date | None:
    """The earliest anniversary whose year has no confirmation yet (overdue ones first), or None."""
    for year in confirmation_years(registered, expires):
        if year not in confirmed:
            return confirmation_due(registered, year)
    return None
