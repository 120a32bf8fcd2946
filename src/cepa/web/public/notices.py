"""Suspensions, withdrawals and terminations by date (issue 11, point 11), with an archive by ISO week
(Monday to Sunday, Beijing dates), as HKAS publishes one weekly.

A notice is one of: an accreditation event that suspends or withdraws (all or part of its scope), a
designation that ended (its last day passed), a cooperation agreement terminated, an inspector's
registration suspended or cancelled. Inspectors are people: their notices give the registration number,
the name as registered and the date only, never a reason, a basis or any contact detail. Four queries,
whatever the number of notices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cepa.bodies.models import AccreditationEvent, AccreditationStatus, Agreement, Designation
from cepa.decisions.terms import BEIJING
from cepa.personnel.models import InspectorEvent, InspectorStatus
from cepa.web.public.text import beijing_today
from cepa.web.templatetags.public import anchor, day, nametext

KINDS = (
    "accreditation_suspended",
    "accreditation_withdrawn",
    "designation_ended",
    "agreement_terminated",
    "inspector_suspended",
    "inspector_cancelled",
)


def kind_title(kind: str) -> str:
    return {
        "accreditation_suspended": _("Accreditation suspended"),
        "accreditation_withdrawn": _("Accreditation withdrawn"),
        "designation_ended": _("Designation ended"),
        "agreement_terminated": _("Cooperation agreement terminated"),
        "inspector_suspended": _("Inspector registration suspended"),
        "inspector_cancelled": _("Inspector registration cancelled"),
    }[kind]


@dataclass(frozen=True)
class Week:
    """An ISO week: `year`-W`number`, Monday `first` to Sunday `last`."""

    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def first(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def last(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 7)

    @property
    def slug(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def previous(self) -> Week:
        return Week.of(self.first - dt.timedelta(days=7))

    def following(self) -> Week:
        return Week.of(self.first + dt.timedelta(days=7))


@dataclass
class Notice:
    on: dt.date
    kind: str
    record_id: str
    subject: Any  # the organisation (a body page) or the inspector (the inspector look-up)
    is_inspector: bool = False
    scope: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def title(self) -> str:
        return kind_title(self.kind)

    @property
    def week(self) -> Week:
        return Week.of(self.on)

    @property
    def anchor(self) -> str:
        return f"n-{self.on.isoformat()}-{self.kind}-{self.record_id}"


def notices(until: dt.date) -> list[Notice]:
    """Every notice dated on or before `until`, newest first (four queries)."""
    found: list[Notice] = []
    events = AccreditationEvent.objects.filter(
        on__lte=until, status__in=[AccreditationStatus.SUSPENDED, AccreditationStatus.WITHDRAWN]
    ).select_related("accreditation__organisation")
    for event in events:
        found.append(
            Notice(
                on=event.on,
                kind=f"accreditation_{event.status}",
                record_id=event.accreditation_id,
                subject=event.accreditation.organisation,
                scope=list(event.scope or []),
                reason=event.reason,
            )
        )
    for designation in Designation.objects.filter(valid_until__lt=until).select_related("organisation"):
        assert designation.valid_until is not None
        # A designation ends after its last day: the notice is dated the day it no longer holds.
        found.append(
            Notice(
                on=designation.valid_until + dt.timedelta(days=1),
                kind="designation_ended",
                record_id=designation.id,
                subject=designation.organisation,
            )
        )
    agreements = Agreement.objects.filter(terminated_on__lte=until).select_related("party")
    for agreement in agreements:
        assert agreement.terminated_on is not None
        found.append(
            Notice(
                on=agreement.terminated_on,
                kind="agreement_terminated",
                record_id=agreement.id,
                subject=agreement.party,
            )
        )
    # Only the public fields of the inspector: no reason, basis, contact or identity data is read.
    inspector_events = (
        InspectorEvent.objects.filter(
            on__lte=until, status__in=[InspectorStatus.SUSPENDED, InspectorStatus.CANCELLED]
        )
        .select_related("inspector")
        .only(
            "on",
            "status",
            "inspector__id",
            "inspector__name_en",
            "inspector__name_zh_hant",
            "inspector__name_zh_hans",
        )
    )
    for inspector_event in inspector_events:
        found.append(
            Notice(
                on=inspector_event.on,
                kind=f"inspector_{inspector_event.status}",
                record_id=inspector_event.inspector_id,
                subject=inspector_event.inspector,
                is_inspector=True,
            )
        )
    found.sort(key=lambda notice: (notice.on, KINDS.index(notice.kind), notice.record_id), reverse=True)
    return found


@dataclass
class Day:
    on: dt.date
    notices: list[Notice]


def by_day(found: Iterable[Notice]) -> list[Day]:
    days: list[Day] = []
    for notice in found:
        if days and days[-1].on == notice.on:
            days[-1].notices.append(notice)
        else:
            days.append(Day(notice.on, [notice]))
    return days


@dataclass
class ArchiveWeek:
    week: Week
    count: int


def archive(found: Iterable[Notice]) -> list[ArchiveWeek]:
    """The weeks that have notices, newest first, with how many."""
    counts: dict[Week, int] = {}
    for notice in found:
        counts[notice.week] = counts.get(notice.week, 0) + 1
    return [
        ArchiveWeek(week, counts[week])
        for week in sorted(counts, key=lambda w: (w.year, w.number), reverse=True)
    ]


# --- pages -------------------------------------------------------------------------------------------

LATEST = 50


def notices_page(request: HttpRequest) -> HttpResponse:
    """The latest notices by date, and the archive of every week that has any."""
    today = beijing_today()
    found = notices(today)
    return render(
        request,
        "web/public/notices.html",
        {
            "days": by_day(found[:LATEST]),
            "total": len(found),
            "shown": min(len(found), LATEST),
            "weeks": archive(found),
            "today": today,
        },
    )


def week_page(request: HttpRequest, year: str, week: str) -> HttpResponse:
    """One week's notices, Monday to Sunday, oldest first as they were published."""
    try:
        chosen = Week.of(dt.date.fromisocalendar(int(year), int(week), 1))
    except ValueError:
        raise Http404(_("There is no such week.")) from None
    today = beijing_today()
    if chosen.first > today:
        raise Http404(_("This week has not begun."))
    found = [notice for notice in notices(min(chosen.last, today)) if notice.week == chosen]
    found.reverse()
    following = chosen.following()
    return render(
        request,
        "web/public/notices_week.html",
        {
            "week": chosen,
            "days": by_day(found),
            "count": len(found),
            "previous": chosen.previous(),
            "following": following if following.first <= today else None,
        },
    )


def notices_feed(request: HttpRequest) -> HttpResponse:
    """The latest notices as an Atom feed, each entry linking to its place on its week's page. Like the
    pages, an inspector's entry gives no reason."""
    today = beijing_today()
    found = notices(today)[:LATEST]
    feed = Atom1Feed(
        title=_("CEPA Registry: suspensions, withdrawals and terminations"),
        link=request.build_absolute_uri(reverse("notices")),
        description="",
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for notice in found:
        week = notice.week
        url = request.build_absolute_uri(reverse("notices-week", args=[str(week.year), f"{week.number:02d}"]))
        url += "#" + anchor(notice.anchor)
        details = [f"{notice.title}: {nametext(notice.subject)} ({notice.record_id}), {day(notice.on)}."]
        if notice.scope:
            details.append(_("Product types") + ": " + ", ".join(notice.scope))
        if notice.reason and not notice.is_inspector:
            details.append(_("Reason:") + " " + notice.reason)
        published = dt.datetime.combine(notice.on, dt.time(0, 0), tzinfo=BEIJING)
        feed.add_item(
            title=f"{notice.title}: {nametext(notice.subject)}",
            link=url,
            description="\n".join(details),
            unique_id=url,
            pubdate=published,
            updateddate=published,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
