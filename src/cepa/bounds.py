"""The range of days the registry accepts from anyone (issue 12, finding 9).

Dates far in the past or future are valid ISO dates, but the registry computes with them (a
registration's expiry years after it starts, an objection period's working days, a window's
deadline in Beijing time), and Python's dates end in year 9999: such a computation overflowed into a
server error. Every date and timestamp a face or a service accepts is checked against this range
first, with a message naming the field. Imports keep their own schema (contract §1).

Imports nothing of cepa but the error vocabulary, so every app and face may use it.
"""

from __future__ import annotations

import datetime as dt

from cepa.errors import InvalidInput

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
RANGE = f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"


def in_range(value: dt.date) -> bool:
    """Whether the day (a datetime: its own calendar day) lies in the accepted range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def out_of_range_message(value: dt.date) -> str:
    return f"{value.isoformat()} is outside the dates the registry accepts ({RANGE})"


def check_day(field: str, value: dt.date) -> dt.date:
    """`value` when it lies in the range, else InvalidInput naming `field`."""
    if not in_range(value):
        raise InvalidInput(field, out_of_range_message(value))
    return value


def check_moment(field: str, value: dt.datetime) -> dt.datetime:
    """`value` when its day lies in the range, else InvalidInput naming `field`."""
    if not in_range(value):
        raise InvalidInput(field, out_of_range_message(value))
    return value
