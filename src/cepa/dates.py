"""The range of days the application accepts as input, and date arithmetic that never overflows.

Input (the workflow API, the pages' forms, the services behind them and the commands) takes days from
1900-01-01 to 2200-12-31: older than any CCC record, later than any agreement or registration will run;
a day outside is refused as bad input naming the field. The interchange format (`cepa import`) takes any
valid date, as the contract says, so what is stored may still be far off (9999-12-31 as "no end"): every
reader that does arithmetic on a stored day uses `day_after`/`day_before`, which stop at the calendar's
ends instead of raising.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cepa.errors import InvalidInput

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
RANGE_MESSAGE = f"must be a day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def in_range(day: dt.date) -> bool:
    """Whether `day` (a date, or a datetime's day) is one the application accepts."""
    return FIRST_DAY <= (day.date() if isinstance(day, dt.datetime) else day) <= LAST_DAY


def out_of_range(field: str, value: Any) -> str | None:
    """The message for `field` when `value` is a date outside the accepted range, else None."""
    if isinstance(value, dt.date) and not in_range(value):
        return f"{RANGE_MESSAGE}; {value.isoformat()} is not"
    return None


def bounded(field: str, value: Any) -> Any:
    """`value` unchanged when it is not a date outside the accepted range; else 400 naming `field`."""
    message = out_of_range(field, value)
    if message:
        raise InvalidInput(field, message)
    return value


def day_after(day: dt.date) -> dt.date:
    """The next day; the calendar's last day stays itself (a stored 9999-12-31 means "no end")."""
    return day if day == dt.date.max else day + dt.timedelta(days=1)


def day_before(day: dt.date) -> dt.date:
    """The previous day; the calendar's first day stays itself."""
    return day if day == dt.date.min else day - dt.timedelta(days=1)


def days_before(day: dt.date, days: int) -> dt.date:
    """`days` days earlier, stopping at the calendar's first day."""
    return day - dt.timedelta(days=days) if (day - dt.date.min).days >= days else dt.date.min
