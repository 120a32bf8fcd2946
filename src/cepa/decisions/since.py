"""Since when a link of a certificate's chain has been no longer eligible, and by what: for the cascade
lists (cepa.certificates.selectors.affected).

A notice of the `certificate` decision says a laboratory or an inspector that was allowed when the link
was made is refused on the day asked. These find the first day of the run of refused days that ends on
that day, and the failing reasons on the day asked, from one snapshot (a handful of queries).

The `testing` and `inspection` rules compare days with the dates of their facts and do no other
arithmetic on them, so a decision can change only on a date of the snapshot or on the day after one.
The run is found by deciding once per such change day between the link's day and the day asked (the
dates of events, grants, agreements, designations, affiliations), not once per calendar day.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cepa.dates import day_after
from cepa.decisions import loader
from cepa.rules.decision import Decision
from cepa.rules.facts import Snapshot, beijing_date
from cepa.rules.inspection import decide_inspection
from cepa.rules.testing import decide_testing


@dataclass(frozen=True)
class Change:
    since: dt.date  # the first day of the refusal that lasts to the day asked
    failing: tuple[tuple[str, str, tuple[str, ...]], ...]  # (code, message, refs) of the failing reasons


def _dates(value: Any) -> Iterator[dt.date]:
    """Every day named anywhere in a fact (a datetime by its day in Beijing), through its fields."""
    if isinstance(value, dt.datetime):
        yield beijing_date(value)
    elif isinstance(value, dt.date):
        yield value
    elif isinstance(value, str | bytes | int | float | bool) or value is None:
        return
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _dates(item)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _dates(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _dates(getattr(value, field.name))


def change_days(snapshot: Snapshot) -> list[dt.date]:
    """The days on which a decision over `snapshot` may differ from the day before, sorted: every date
    of its facts and the day after each (a condition holds from a date, or up to and including one)."""
    days: set[dt.date] = set()
    for found in _dates(snapshot):
        days.add(found)
        days.add(day_after(found))
    return sorted(days)


def _since(
    refused_on: Callable[[dt.date], bool], made: dt.date, on: dt.date, changes: list[dt.date]
) -> dt.date:
    """The first day after `made` from which `refused_on` holds every day up to `on` (`on` itself is
    taken as refused; the day after `made` at the earliest). Between two change days the answer is the
    same every day, so each stretch is asked once, on its last day."""
    first = day_after(made)
    day = on
    while day > first:
        before = day - dt.timedelta(days=1)
        if not refused_on(before):
            return day
        # The stretch that holds `before` starts on the last change day up to it (or the first day).
        at = bisect.bisect_right(changes, before) - 1
        day = max(first, changes[at]) if at >= 0 else first
    return day


def _change(decision: Decision, since: dt.date) -> Change:
    failing = tuple((r.code, r.message, tuple(r.refs)) for r in decision.reasons if not r.holds)
    return Change(since, failing)


def laboratory_change(
    laboratory: str, product_type: str, made: dt.date, on: dt.date, lang: str = "en"
) -> Change:
    """Since when `laboratory` has been refused the `testing` decision (after `made`, through `on`)."""
    snapshot = loader.snapshot_for_testing(product_type, laboratory)

    def decide(day: dt.date) -> Decision:
        return decide_testing(snapshot, subject=laboratory, product_type=product_type, on=day, lang=lang)

    since = _since(lambda day: not decide(day).allowed, made, on, change_days(snapshot))
    return _change(decide(on), since)


def inspector_change(
    inspector: str, org: str, product_type: str, made: dt.date, on: dt.date, lang: str = "en"
) -> Change:
    """Since when `inspector` has been refused the `inspection` decision for `org`."""
    snapshot = loader.snapshot_for_inspection(product_type, inspector, org)

    def decide(day: dt.date) -> Decision:
        return decide_inspection(
            snapshot, subject=inspector, org=org, product_type=product_type, on=day, lang=lang
        )

    since = _since(lambda day: not decide(day).allowed, made, on, change_days(snapshot))
    return _change(decide(on), since)
