"""The one place the designation workflows read the time, so tests can set it.

Deadlines and periods of the regime are in Beijing time (UTC+08:00). Tests patch `now`
(`unittest.mock.patch("cepa.designation.clock.now", ...)`); `today` follows it.
"""

from __future__ import annotations

import datetime as dt

from cepa.decisions.terms import BEIJING, beijing_date


def now() -> dt.datetime:
    """The current moment in Beijing time, to the second."""
    return dt.datetime.now(BEIJING).replace(microsecond=0)


def today() -> dt.date:
    """Today's date in Beijing time."""
    return beijing_date(now())


def objection_period_running(ends: dt.date, on: dt.date | None = None) -> bool:
    """Whether objections may still be lodged on `on` (today by default): the period includes its last
    day, a Beijing day, as the service that lodges objections counts it."""
    return (on or today()) <= ends
