"""The designation calendar: the next 1 April deadline for expressions of interest, published plans and
their application windows, and the same as an iCalendar feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import icalendar
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from cepa.decisions.selectors import interest_deadline, next_interest_deadline, plan_closes
from cepa.decisions.terms import BEIJING
from cepa.designation import selectors as designation
from cepa.designation.models import Plan
from cepa.designation.workdays import PeriodEnd, add_mainland_working_days
from cepa.web.public import labels
from cepa.web.public.text import beijing_now, format_day, format_moment

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

    @property
    def designation_from(self) -> dt.date | None:
        return self.objection.last_day + dt.timedelta(days=1) if self.objection else None


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


def calendar_now() -> Calendar:
    return calendar_at(beijing_now())


def ics(calendar: Calendar) -> bytes:
    """An iCalendar feed: each published plan's application window and each 1 April deadline."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//CEPA Registry//Designation calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", _("CEPA Registry: CCC designation calendar"))
    feed.add("x-wr-timezone", "Asia/Shanghai")
    stamp = calendar.now.astimezone(dt.UTC)
    for window in calendar.plans:
        plan = window.plan
        event = icalendar.Event()
        event.add("uid", f"plan-{plan.id}-window@cepa-registry")
        event.add("dtstamp", stamp)
        event.add("dtstart", plan.opens.astimezone(dt.UTC))
        event.add("dtend", window.closes.astimezone(dt.UTC))
        event.add("summary", _("Designation plan %(plan)s (%(role)s): applications open") % {
            "plan": plan.id, "role": labels.label(labels.PLAN_ROLES, plan.role)})
        details = [
            _("Product types: %(codes)s") % {"codes": ", ".join(plan.product_types)},
            _("Applications from %(opens)s to %(closes)s, Beijing time.") % {
                "opens": format_moment(plan.opens), "closes": format_moment(window.closes)},
        ]
        if plan.requires_expression_of_interest:
            details.append(
                _("Only bodies that sent an expression of interest before 1 April %(year)s may apply.")
                % {"year": plan.year}
            )
        event.add("description", "\n".join(details))
        feed.add_component(event)
    for year in calendar.deadline_years:
        deadline = interest_deadline(year)
        event = icalendar.Event()
        event.add("uid", f"interest-deadline-{year}@cepa-registry")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.astimezone(dt.UTC))
        event.add("dtend", deadline.astimezone(dt.UTC))
        summary = _("Deadline: expressions of interest for %(year)s designation plans") % {"year": year}
        event.add("summary", summary)
        event.add("description", _(
            "Hong Kong-invested bodies in the Mainland send a written expression of interest to CNCA before "
            "1 April %(year)s, 00:00 Beijing time (by the end of %(last_day)s)."
        ) % {"year": year, "last_day": format_day(deadline.date() - dt.timedelta(days=1))})
        feed.add_component(event)
    return feed.to_ical()
