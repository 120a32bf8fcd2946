"""An inspector's status on a day in SQL (`selectors.status_on`, which the register's status filter uses)
agrees with the rules' (`cepa.rules.status.inspector_status`, read through the public records) for every
inspector of the demo registry on every day where it could change, and for every sequence of up to three
events around one day: an event on the day, the day before and the day after, several on one day in any
order, grade-only events, a cancellation followed by anything, and no events at all."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from cepa.demo.registry import DEMO_ACTOR, demo_document
from cepa.interchange.services import import_document
from cepa.personnel import selectors
from cepa.personnel.models import Inspector, InspectorEvent, InspectorStatus

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)
ONE = dt.timedelta(days=1)
STATUSES = [*InspectorStatus.values, ""]  # "": a grade change only


def in_sql(day: dt.date) -> dict[str, str]:
    rows = Inspector.objects.annotate(status_on_day=selectors.status_on(day)).values_list(
        "id", "status_on_day"
    )
    return dict(rows)


def by_the_rules(day: dt.date) -> dict[str, str]:
    ids = list(Inspector.objects.order_by("id").values_list("id", flat=True))
    return {record["id"]: record["status"] for record in selectors.public_records(ids, day)}


def filtered_in_sql(day: dt.date) -> dict[str, str]:
    """Each inspector's status as the status filter finds it (each inspector under exactly one)."""
    found: dict[str, str] = {}
    for status in InspectorStatus.values:
        for pk in selectors.inspectors(None, status=status, on=day).values_list("pk", flat=True):
            assert pk not in found, pk
            found[pk] = status
    return found


def agree_on(days: set[dt.date]) -> int:
    """The number of (inspector, day) pairs compared."""
    for day in sorted(days):
        expected = by_the_rules(day)
        assert in_sql(day) == expected, day
        assert filtered_in_sql(day) == expected, day
    return len(days) * Inspector.objects.count()


def test_the_demo_registry_agrees_on_every_day_that_matters() -> None:
    import_document(actor=DEMO_ACTOR, document=demo_document(), reason="demo registry")
    days = {dt.date(2000, 1, 1), dt.date(2100, 1, 1), selectors.beijing_today()}
    for inspector in Inspector.objects.all():
        days |= {inspector.registered, inspector.expires}
    days |= set(InspectorEvent.objects.values_list("on", flat=True))
    days |= {day + delta for day in days for delta in (-ONE, ONE)}
    statuses = set(by_the_rules(dt.date(2026, 6, 1)).values())
    assert statuses == {"active", "suspended", "cancelled"}  # the demo has each status to compare
    assert agree_on(days) > 13 * 20


def generated_cases() -> list[tuple[dict[str, Any], ...]]:
    """Every sequence (in position order) of up to three events, each on the day before, on or after DAY
    with any status or none."""
    events = [{"on": DAY + offset * ONE, "status": status} for offset in (-1, 0, 1) for status in STATUSES]
    return [case for length in range(4) for case in itertools.product(events, repeat=length)]


def test_generated_cases_agree_at_the_boundaries() -> None:
    cases = generated_cases()
    inspectors = Inspector.objects.bulk_create(
        Inspector(
            id=f"CCAA-G-{n:05d}",
            name_en="Generated",
            grade="inspector",
            specialties=["07"],
            registered=DAY - 3 * ONE,
            expires=DAY + 365 * ONE,
        )
        for n in range(len(cases))
    )
    InspectorEvent.objects.bulk_create(
        InspectorEvent(
            inspector=inspector,
            position=position,
            on=event["on"],
            status=event["status"],
            grade="" if event["status"] else "senior",
        )
        for inspector, case in zip(inspectors, cases, strict=True)
        for position, event in enumerate(case)
    )
    assert len(cases) == 1 + 12 + 12**2 + 12**3  # 3 days × 4 statuses (or none), up to 3 events
    # Before registration, before every event, each day with events, and after them all.
    assert agree_on({DAY + offset * ONE for offset in range(-4, 3)}) == 7 * len(cases)
    # Every status is reached on the day: the comparison is not of "active" alone.
    assert set(in_sql(DAY).values()) == set(InspectorStatus.values)


def test_without_events_an_inspector_is_active_from_before_its_registration() -> None:
    Inspector.objects.create(
        id="CCAA-G-NONE", name_en="None", grade="inspector", registered=DAY, expires=DAY + ONE
    )
    for day in (DAY - ONE, DAY, DAY + 2 * ONE):
        assert in_sql(day) == by_the_rules(day) == {"CCAA-G-NONE": "active"}


def test_the_filter_is_one_query_with_the_count() -> None:
    Inspector.objects.create(id="CCAA-G-ONE", name_en="One", grade="inspector", registered=DAY, expires=DAY)
    InspectorEvent.objects.create(inspector_id="CCAA-G-ONE", position=0, on=DAY, status="suspended")
    found = selectors.inspectors(None, status="suspended", on=DAY)
    assert "LIMIT 1" in str(found.query)  # the deciding event, in a subquery
    assert list(found.values_list("pk", flat=True)) == ["CCAA-G-ONE"]
    assert not selectors.inspectors(None, status="suspended", on=DAY - ONE).exists()
    assert selectors.inspectors(None, status="active", on=DAY - ONE).count() == 1
