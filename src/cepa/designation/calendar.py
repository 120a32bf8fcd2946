"""The designation calendar: the next 1 April deadline for expressions of interest, published plans and
their application windows, and the end of the objection period of a decision published today. Shown by
the public pages and given as an iCalendar feed (cepa.reminders.calendar)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from cepa.decisions.selectors import next_interest_deadline, plan_closes
from cepa.decisions.terms import BEIJING
from cepa.designation import selectors as designation
from cepa.designation.models import Plan
from cepa.designation.workdays import PeriodEnd, add_mainland_working_days

OBJECTION_WORKING_DAYS = 15
OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"


@dataclass
class PlanWindow:
    plan: Plan
    closes: dt.datetime  # the window's end, or when the plan was closed early
    state: str


@dataclass
class Calendar:
    now: dt.datetime
    deadline: dt.datetime
    days_left: int
    plans: list[PlanWindow] = field(default_factory=list)
    objection: PeriodEnd | None = None

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(BEIJING).date()

    @property
    def last_day(self) -> dt.date:
        """The last calendar day on which an expression of interest is in time."""
        return self.deadline.astimezone(BEIJING).date() - dt.timedelta(days=1)

    @property
    def deadline_years(self) -> list[int]:
        """Years whose 1 April deadline the feed lists: the next one, and those of plans needing interest."""
        years = {self.deadline.year}
        years.update(w.plan.year for w in self.plans if w.plan.requires_expression_of_interest)
        return sorted(years)

    def of(self, state: str) -> list[PlanWindow]:
        return [window for window in self.plans if window.state == state]

    @property
    def open(self) -> list[PlanWindow]:
        return self.of(OPEN)

    @property
    def upcoming(self) -> list[PlanWindow]:
        return self.of(UPCOMING)

    @property
    def closed(self) -> list[PlanWindow]:
        return sorted(self.of(CLOSED), key=lambda w: w.closes, reverse=True)


def _state(opens: dt.datetime, closes: dt.datetime, now: dt.datetime) -> str:
    if now < opens:
        return UPCOMING
    return OPEN if now <= closes else CLOSED


def calendar_at(now: dt.datetime) -> Calendar:
    """The calendar as of `now`. Two queries at most (published plans; nothing else)."""
    deadline = next_interest_deadline(now)
    today = now.astimezone(BEIJING).date()
    result = Calendar(now, deadline, (deadline.astimezone(BEIJING).date() - today).days)
    # Public: published and closed plans only, whoever is signed in.
    for plan in designation.plans(AnonymousUser()).order_by("opens", "id"):
        closes = plan_closes(plan)
        result.plans.append(PlanWindow(plan, closes, _state(plan.opens, closes, now)))
    result.objection = add_mainland_working_days(today, OBJECTION_WORKING_DAYS)
    return result
