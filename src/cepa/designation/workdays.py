"""Mainland working days, for objection periods.

The Mainland announces each year's holiday schedule (with its adjusted working weekends) only in the
autumn before. `chinese_calendar` carries the announced schedules; for a year it does not cover yet we
count with the statutory public holidays alone (from `holidays`, without its guessed bridge days) and
mark the result provisional, since the announced schedule will move days around.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays

# Names `holidays` gives to days that are not statutory holidays but its guesses of the schedule.
_GUESSED_MARKERS = ("observed", "Day off", "substituted")


@dataclass(frozen=True)
class WorkingDay:
    working: bool
    provisional: bool


@dataclass(frozen=True)
class PeriodEnd:
    last_day: date
    provisional: bool
    provisional_years: tuple[int, ...]


def _announced(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@cache
def _statutory_holidays(year: int) -> frozenset[date]:
    days = holidays.China(years=year, language="en_US")
    return frozenset(
        day for day, name in days.items() if not any(marker in name for marker in _GUESSED_MARKERS)
    )


def mainland_working_day(day: date) -> WorkingDay:
    if _announced(day):
        return WorkingDay(working=bool(chinese_calendar.is_workday(day)), provisional=False)
    working = day.weekday() < 5 and day not in _statutory_holidays(day.year)
    return WorkingDay(working=working, provisional=True)


def add_mainland_working_days(after: date, count: int) -> PeriodEnd:
    """The last day of a period of `count` working days counted from the day after `after`."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = after
    counted = 0
    provisional_years: set[int] = set()
    while counted < count:
        day += timedelta(days=1)
        status = mainland_working_day(day)
        if status.provisional:
            provisional_years.add(day.year)
        if status.working:
            counted += 1
    return PeriodEnd(
        last_day=day, provisional=bool(provisional_years), provisional_years=tuple(sorted(provisional_years))
    )
