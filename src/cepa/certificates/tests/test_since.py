"""The cascade's "since when": the first day of the run of refused days that ends on the day asked, found
from the dates of the facts (cepa.decisions.since), the same as walking back one day at a time, in a
fixed number of queries however long the run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.certificates.cascade import affected_reminders
from cepa.certificates.models import Certificate
from cepa.certificates.tests.conftest import certificate as make_certificate
from cepa.certificates.tests.conftest import inspection, report
from cepa.decisions import loader, since
from cepa.rules.inspection import decide_inspection
from cepa.rules.testing import decide_testing

ONE_DAY = dt.timedelta(days=1)
BEIJING = dt.timezone(dt.timedelta(hours=8))
LAB, INSPECTOR, ORG = "hk-lab-harbour", "2024-CCC-HK-0007", "hk-cb-lionrock"


def walked(refused_on: Callable[[dt.date], bool], made: dt.date, on: dt.date) -> dt.date:
    """The answer by definition: back from `on` one day at a time while the day before is refused."""
    day = on
    while day - ONE_DAY > made and refused_on(day - ONE_DAY):
        day -= ONE_DAY
    return day


def days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + ONE_DAY * n for n in range((end - start).days + 1)]


@pytest.mark.parametrize(
    ("code", "made", "on", "expected"),
    [
        # The testing agreement runs to 2026-02-28 inclusive: refused from 1 March.
        ("0701", "2025-05-01", "2026-03-01", "2026-03-01"),
        ("0701", "2025-05-01", "2026-03-02", "2026-03-01"),
        ("0701", "2025-05-01", "2026-12-06", "2026-03-01"),
        # Still allowed on its last day: the day asked itself.
        ("0701", "2025-05-01", "2026-02-28", "2026-02-28"),
        # 0915 is suspended from the accreditation's scope on 2026-02-01 (that day included).
        ("0915", "2025-05-01", "2026-02-01", "2026-02-01"),
        ("0915", "2025-05-01", "2026-12-06", "2026-02-01"),
        # Never before the day after the link was made.
        ("0915", "2026-02-10", "2026-12-06", "2026-02-11"),
    ],
)
def test_a_laboratory_since_the_first_refused_day(
    registry: None, code: str, made: str, on: str, expected: str, django_assert_num_queries: Any
) -> None:
    # Catalogue, organisation, accreditation and its events, agreements, designations.
    with django_assert_num_queries(6):
        change = since.laboratory_change(LAB, code, dt.date.fromisoformat(made), dt.date.fromisoformat(on))
    assert change.since == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("made", "on", "expected", "failing"),
    [
        # Suspended 2025-01-10 to 2025-02-09: the run ends with the reinstatement on 10 February.
        ("2024-06-01", "2025-01-10", "2025-01-10", ["REGISTERED"]),
        ("2024-06-01", "2025-02-09", "2025-01-10", ["REGISTERED"]),
        # The agreement terminated on 2025-07-01 (in force up to the day before): a second run, not the
        # first.
        ("2024-06-01", "2025-07-01", "2025-07-01", ["ORG_AGREEMENT"]),
        ("2024-06-01", "2026-12-06", "2025-07-01", ["ORG_AGREEMENT"]),
    ],
)
def test_an_inspector_since_the_first_day_of_the_last_run(
    registry: None, made: str, on: str, expected: str, failing: list[str], django_assert_num_queries: Any
) -> None:
    # Catalogue, inspector (3), organisation, accreditation and its events, agreements, designations.
    with django_assert_num_queries(9):
        change = since.inspector_change(
            INSPECTOR, ORG, "0701", dt.date.fromisoformat(made), dt.date.fromisoformat(on)
        )
    assert (change.since, [code for code, _, _ in change.failing]) == (
        dt.date.fromisoformat(expected),
        failing,
    )


def test_every_day_agrees_with_walking_back_one_day_at_a_time(registry: None) -> None:
    for code in ("0701", "0915"):
        snapshot = loader.snapshot_for_testing(code, LAB)
        changes = since.change_days(snapshot)

        def refused(day: dt.date, snapshot: Any = snapshot, code: str = code) -> bool:
            return not decide_testing(snapshot, subject=LAB, product_type=code, on=day).allowed

        made = dt.date(2025, 5, 1)
        for on in days("2025-04-28", "2026-04-01"):
            assert since._since(refused, made, on, changes) == walked(refused, made, on), (code, on)
    snapshot = loader.snapshot_for_inspection("0701", INSPECTOR, ORG)
    changes = since.change_days(snapshot)

    def inspector_refused(day: dt.date) -> bool:
        return not decide_inspection(
            snapshot, subject=INSPECTOR, org=ORG, product_type="0701", on=day
        ).allowed

    for made in (dt.date(2024, 6, 1), dt.date(2025, 1, 20)):
        for on in days("2024-12-30", "2025-08-01"):
            assert since._since(inspector_refused, made, on, changes) == walked(inspector_refused, made, on)


def test_change_days_are_each_date_of_the_facts_and_the_day_after(registry: None) -> None:
    changes = since.change_days(loader.snapshot_for_testing("0701", LAB))
    assert changes == sorted(set(changes))
    for day in ("2020-09-01", "2021-03-01", "2026-02-28", "2026-03-01", "2026-02-01", "2026-02-02"):
        assert dt.date.fromisoformat(day) in changes


@pytest.mark.parametrize(
    ("now", "listed"),
    [
        # 23:59 in Beijing on 28 February is still the agreement's last day (15:59 UTC).
        (dt.datetime(2026, 2, 28, 23, 59, tzinfo=BEIJING), []),
        # 00:00 in Beijing on 1 March is still 28 February in UTC: the Beijing day counts.
        (dt.datetime(2026, 3, 1, 0, 0, tzinfo=BEIJING), ["2026-03-01"]),
        (dt.datetime(2026, 9, 1, 12, 0, tzinfo=BEIJING), ["2026-03-01"]),
    ],
)
def test_the_issuer_is_told_since_the_beijing_day_the_laboratory_stopped(
    registry: None, now: dt.datetime, listed: list[str]
) -> None:
    report("HV-2025-0002", LAB, "2025-05-01")
    make_certificate("2025570701000002", "2025-06-01", "2030-05-31", ["HV-2025-0002"])
    keys = [planned.key for planned in affected_reminders(now) if LAB in planned.key]
    assert keys == [
        f"certificate-chain:cn-cb-east:LABORATORY_NO_LONGER_ELIGIBLE:{LAB}:{day}" for day in listed
    ]


def test_the_cascade_asks_a_fixed_number_of_queries_however_long_the_run(
    chain: Certificate,
) -> None:
    # Three years later the run is three years longer; the walk asks no more of the database.
    inspection("FI-2025-0002", ORG, "2024-06-01", [INSPECTOR])
    report("HV-2025-0003", LAB, "2021-04-01")
    make_certificate("2024570701000003", "2024-07-01", "2029-06-30", ["HV-2025-0003"], ["FI-2025-0002"])
    counts = []
    for on in (dt.datetime(2026, 3, 2, 9, tzinfo=BEIJING), dt.datetime(2029, 6, 1, 9, tzinfo=BEIJING)):
        with CaptureQueriesContext(connection) as captured:
            found = sorted(planned.key for planned in affected_reminders(on))
        counts.append(len(captured))
        assert found == [
            f"certificate-chain:cn-cb-east:INSPECTOR_NO_LONGER_ELIGIBLE:{INSPECTOR}:2025-07-01",
            f"certificate-chain:cn-cb-east:LABORATORY_NO_LONGER_ELIGIBLE:{LAB}:2026-03-01",
        ]
    assert counts[0] == counts[1]
