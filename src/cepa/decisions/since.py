"""Since when a link of a certificate's chain has been no longer eligible, and by what: for the cascade
lists (cepa.certificates.selectors.affected).

A notice of the `certificate` decision says a laboratory or an inspector that was allowed when the link
was made is refused on the day asked. These find the first day of the run of refused days that ends on
that day (walking back from it over one snapshot, so a handful of queries whatever the length of the
run), and the failing reasons on the day asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cepa.decisions import loader
from cepa.rules.decision import Decision
from cepa.rules.inspection import decide_inspection
from cepa.rules.testing import decide_testing

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Change:
    since: dt.date  # the first day of the refusal that lasts to the day asked
    failing: tuple[tuple[str, str, tuple[str, ...]], ...]  # (code, message, refs) of the failing reasons


def _walk(refused_on: object, made: dt.date, on: dt.date) -> dt.date:
    day = on
    while day - ONE_DAY > made and refused_on(day - ONE_DAY):  # type: ignore[operator]
        day -= ONE_DAY
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

    since = _walk(lambda day: not decide(day).allowed, made, on)
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

    since = _walk(lambda day: not decide(day).allowed, made, on)
    return _change(decide(on), since)
