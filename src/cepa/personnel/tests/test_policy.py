"""The registration rules as plain date arithmetic (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from cepa.personnel import policy

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-31", -3, "2025-10-31"),
        ("2026-05-31", -3, "2026-02-28"),
        ("2028-05-31", -3, "2028-02-29"),
        ("2026-01-15", 12, "2027-01-15"),
        ("2024-02-29", 36, "2027-02-28"),
        ("2026-12-01", 1, "2027-01-01"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert policy.add_months(D(day), months) == D(expected)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        ("1961-07-01", "2026-06-30", 64),
        ("1961-07-01", "2026-07-01", 65),
        ("1960-02-29", "2025-02-28", 64),
        ("1960-02-29", "2025-03-01", 65),
    ],
)
def test_age_on(born: str, day: str, age: int) -> None:
    assert policy.age_on(D(born), D(day)) == age


def test_defaults_and_settings() -> None:
    assert policy.current() == policy.Policy(
        renewal_window_months=3, max_age=65, term_years=3, expiry_reminder_months=3
    )
    with override_settings(
        CEPA_RENEWAL_WINDOW_MONTHS=6, CEPA_RENEWAL_MAX_AGE=70, CEPA_REGISTRATION_TERM_YEARS=5
    ):
        rules = policy.current()
        assert (rules.renewal_window_months, rules.max_age, rules.term_years) == (6, 70, 5)
        assert policy.renewal_window_opens(D("2026-01-31"), rules) == D("2025-07-31")
        assert policy.renewed_expiry(D("2026-01-31"), rules) == D("2031-01-31")


def test_renewal_window_and_new_expiry() -> None:
    rules = policy.current()
    assert policy.renewal_window_opens(D("2026-01-31"), rules) == D("2025-10-31")
    assert policy.renewed_expiry(D("2026-01-31"), rules) == D("2029-01-31")


def test_annual_confirmations_fall_on_anniversaries_within_the_registration() -> None:
    registered, expires = D("2023-02-01"), D("2026-01-31")
    assert policy.confirmation_years(registered, expires) == [2024, 2025]
    assert policy.confirmation_due(registered, 2024) == D("2024-02-01")
    assert policy.next_confirmation_due(registered, expires, set()) == D("2024-02-01")
    assert policy.next_confirmation_due(registered, expires, {2024}) == D("2025-02-01")
    assert policy.next_confirmation_due(registered, expires, {2024, 2025}) is None
    # A renewal adds the years of the new term.
    assert policy.confirmation_years(registered, D("2029-01-31")) == [2024, 2025, 2026, 2027, 2028]
