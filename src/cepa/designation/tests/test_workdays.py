from __future__ import annotations

from datetime import date

import pytest

from cepa.designation.workdays import add_mainland_working_days, mainland_working_day


def test_announced_schedule_counts_holidays_and_adjusted_weekends() -> None:
    # 2026 National Day holiday: 1-7 October off; Sunday 20 September and Saturday 10 October worked.
    assert mainland_working_day(date(2026, 10, 1)).working is False
    assert mainland_working_day(date(2026, 10, 7)).working is False
    assert mainland_working_day(date(2026, 10, 10)).working is True
    assert mainland_working_day(date(2026, 9, 20)).working is True
    assert mainland_working_day(date(2026, 10, 8)) == mainland_working_day(date(2026, 10, 9))
    assert mainland_working_day(date(2026, 10, 8)).provisional is False


def test_fifteen_working_days_over_national_day_2026() -> None:
    # Approved Friday 25 Sep 2026 (Mid-Autumn): counting starts the day after.
    # Working days: 28, 29, 30 Sep; 8, 9, 10 (Sat, adjusted), 12-16, 19-22 Oct.
    end = add_mainland_working_days(date(2026, 9, 25), 15)
    assert end.last_day == date(2026, 10, 22)
    assert end.provisional is False


def test_ordinary_weeks_skip_weekends_only() -> None:
    end = add_mainland_working_days(date(2026, 11, 2), 15)  # Monday
    assert end.last_day == date(2026, 11, 23)
    assert end.provisional is False


def test_year_without_announced_schedule_uses_statutory_holidays_and_is_provisional() -> None:
    # 2027 is not announced in the library: 1 Jan (New Year) is a statutory holiday, weekends are off.
    assert mainland_working_day(date(2027, 1, 1)) == mainland_working_day(date(2027, 1, 2))
    assert mainland_working_day(date(2027, 1, 1)).working is False
    assert mainland_working_day(date(2027, 1, 4)).working is True
    assert mainland_working_day(date(2027, 1, 4)).provisional is True
    end = add_mainland_working_days(date(2026, 12, 24), 15)
    # Dec 2026: 25, 28, 29, 30, 31 (5, announced); Jan 2027: 4-8, 11-15 (10, provisional).
    assert end.last_day == date(2027, 1, 15)
    assert end.provisional is True
    assert end.provisional_years == (2027,)


def test_statutory_spring_festival_2027_is_off_but_guessed_bridge_days_are_not() -> None:
    # Spring Festival 2027: eve 5 Feb (Fri) and 6-8 Feb statutory; 9-10 Feb are only the library's guesses.
    assert mainland_working_day(date(2027, 2, 5)).working is False
    assert mainland_working_day(date(2027, 2, 8)).working is False
    assert mainland_working_day(date(2027, 2, 9)).working is True


def test_count_must_be_positive() -> None:
    with pytest.raises(ValueError):
        add_mainland_working_days(date(2026, 1, 1), 0)
