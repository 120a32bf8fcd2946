"""The iCalendar feeds: the public designation calendar's, and an organisation's, which is the public
one narrowed to what concerns it, plus its own dates.

Both are built by `designation_feed`, so a plan window or a 1 April deadline has the same UID in both
feeds and a subscriber to both sees one event. Added in an organisation's:
- the last day of each of its agreements (and the day a termination takes effect);
- for its designation applications: the window's close for one in draft or waiting for information,
  and the last day of the objection period for an approved one.
Plans and 1 April deadlines appear only for the Mainland laboratories and certification bodies that
may take part in them (plans of their own kind).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import icalendar
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cepa.bodies.models import Agreement, Organisation, OrganisationKind, Seat
from cepa.dates import day_after
from cepa.decisions.selectors import interest_deadline, plan_closes
from cepa.decisions.terms import BEIJING, beijing_date
from cepa.designation.calendar import Calendar, calendar_at
from cepa.designation.models import PLAN_ROLE_LABELS, Application
from cepa.reminders import labels
from cepa.reminders.emails import in_language
from cepa.reminders.models import CalendarFeedKey
from cepa.reminders.templatetags.reminders_text import format_day

UID_DOMAIN = "cepa-registry"
ACTION_NEEDED = ("draft", "information_requested")
DATA_LANGUAGES = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
KEY_SALT = "cepa.reminders.calendar-feed"


def feed_key(organisation_id: str, salt: str | None = None) -> str:
    """The secret of an organisation's feed URL: derived from SECRET_KEY (rotating it revokes all) and the
    organisation's own salt (rotating it revokes the organisation's: `cepa calendar-url --rotate ORG`).
    One query unless `salt` is given."""
    if salt is None and "\x00" in organisation_id:
        salt = ""  # no organisation has such an id (and PostgreSQL refuses NUL in a query)
    if salt is None:
        stored = CalendarFeedKey.objects.filter(organisation_id=organisation_id)
        salt = stored.values_list("salt", flat=True).first() or ""
    return salted_hmac(KEY_SALT, f"{salt}:{organisation_id}" if salt else organisation_id).hexdigest()[:32]




def _language() -> str:
    """The data language (en, zh-Hant, zh-Hans) of the active language."""
    return DATA_LANGUAGES.get((get_language() or "en").lower(), "en")


def name_of(organisation: Organisation) -> str:
    """The organisation's name in the active language (else English)."""
    return str(in_language(labels.names(organisation), _language()))


def _day(day: dt.date) -> str:
    return format_day(day, _language())


def _moment_text(at: dt.datetime) -> str:
    """As the public pages write it: 16 June 2026, 09:00 / 2026年6月16日 09:00 (Beijing time)."""
    lang = _language()
    local = at.astimezone(BEIJING)
    return f"{format_day(local, lang)}{' ' if lang.startswith('zh') else ', '}{local:%H:%M}"


def takes_part_in_plans(organisation: Organisation) -> bool:
    return organisation.seat == Seat.MAINLAND and organisation.kind in (
        OrganisationKind.LABORATORY,
        OrganisationKind.CERTIFICATION_BODY,
    )


def _all_day(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    if day < dt.date.max:  # an all-day event without DTEND lasts that one day (RFC 5545 3.6.1)
        event.add("dtend", day_after(day))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _moment(uid: str, at: dt.datetime, summary: str, description: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", at.astimezone(dt.UTC))
    event.add("dtend", at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    return event


def _public_part(organisation: Organisation, now: dt.datetime) -> icalendar.Calendar:
    public = calendar_at(now)
    mine = takes_part_in_plans(organisation)
    narrowed = dataclasses.replace(
        public, plans=[w for w in public.plans if mine and w.plan.role == organisation.kind]
    )
    feed = icalendar.Calendar.from_ical(designation_feed(narrowed))
    if not mine:
        # Hong Kong and overseas bodies take part through agreements, not expressions of interest.
        feed.subcomponents = [
            c for c in feed.subcomponents if not str(c.get("uid", "")).startswith("interest-deadline-")
        ]
    return feed


def _requirements(plan: Any) -> str:
    """A plan's requirements in the active language, else the other Chinese form, else English, else
    whichever Chinese text there is (the API takes requirements given only in Chinese), as the pages do."""
    texts = {
        "en": plan.requirements_en, "zh-Hant": plan.requirements_zh_hant, "zh-Hans": plan.requirements_zh_hans
    }
    lang = _language()
    other = {"zh-Hant": "zh-Hans", "zh-Hans": "zh-Hant"}.get(lang, "en")
    return str(texts[lang] or texts[other] or texts["en"] or texts["zh-Hant"] or texts["zh-Hans"])


def designation_feed(calendar: Calendar) -> bytes:
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
            "plan": plan.id, "role": str(PLAN_ROLE_LABELS.get(plan.role, plan.role))})
        details = [
            _("Product types: %(codes)s") % {"codes": ", ".join(plan.product_types)},
            _("Applications from %(opens)s to %(closes)s, Beijing time.") % {
                "opens": _moment_text(plan.opens), "closes": _moment_text(window.closes)},
        ]
        requirements = _requirements(plan)
        if requirements:
            details.append(_("Requirements: %(text)s") % {"text": requirements})
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
        ) % {"year": year, "last_day": _day(deadline.date() - dt.timedelta(days=1))})
        feed.add_component(event)
    return feed.to_ical()


def _agreement_events(organisation: Organisation, stamp: dt.datetime) -> list[icalendar.Event]:
    events = []
    agreements = (
        Agreement.objects.filter(Q(party=organisation) | Q(counterparty=organisation))
        .filter(Q(valid_until__isnull=False) | Q(terminated_on__isnull=False))
        .select_related("party", "counterparty")
        .order_by("id")
    )
    for agreement in agreements:
        partner = agreement.counterparty if agreement.party_id == organisation.pk else agreement.party
        ends_by_termination = agreement.terminated_on is not None and (
            agreement.valid_until is None or agreement.terminated_on <= agreement.valid_until
        )
        if ends_by_termination:
            assert agreement.terminated_on is not None
            events.append(
                _all_day(
                    f"agreement-{agreement.id}-terminated-{agreement.terminated_on.isoformat()}",
                    agreement.terminated_on,
                    _("Agreement %(agreement)s terminated") % {"agreement": agreement.id},
                    _(
                        "From this day the cooperation agreement %(agreement)s with %(partner)s is "
                        "no longer in force."
                    )
                    % {"agreement": agreement.id, "partner": name_of(partner)},
                    stamp,
                )
            )
        elif agreement.valid_until is not None:
            events.append(
                _all_day(
                    f"agreement-{agreement.id}-ends-{agreement.valid_until.isoformat()}",
                    agreement.valid_until,
                    _("Agreement %(agreement)s: last day in force") % {"agreement": agreement.id},
                    _(
                        "The cooperation agreement %(agreement)s with %(partner)s is in force until "
                        "the end of this day."
                    )
                    % {"agreement": agreement.id, "partner": name_of(partner)},
                    stamp,
                )
            )
    return events


def _application_events(organisation: Organisation, stamp: dt.datetime) -> list[icalendar.Event]:
    events = []
    applications = (
        Application.objects.filter(organisation=organisation)
        .filter(Q(status__in=ACTION_NEEDED, plan__isnull=False) | Q(status="approved"))
        .select_related("plan")
        .order_by("pk")
    )
    for application in applications:
        plan: Any = application.plan
        if application.status in ACTION_NEEDED and plan is not None:
            closes = plan_closes(plan)
            events.append(
                _moment(
                    f"application-{application.pk}-deadline-{closes.astimezone(BEIJING):%Y%m%dT%H%M}",
                    closes,
                    _("Application %(application)s: plan %(plan)s closes")
                    % {"application": application.pk, "plan": plan.id},
                    _(
                        "Submit application %(application)s before the application window of "
                        "designation plan %(plan)s closes."
                    )
                    % {"application": application.pk, "plan": plan.id},
                    stamp,
                )
            )
        ends = getattr(application, "objection_period_ends", None)
        if application.status == "approved" and ends is not None:
            events.append(
                _all_day(
                    f"application-{application.pk}-objections-{ends.isoformat()}",
                    ends,
                    (
                        _("Application %(application)s: objection period ends")
                        if beijing_date(stamp) <= ends
                        else _("Application %(application)s: objection period ended")
                    )
                    % {"application": application.pk},
                    _(
                        "The last day on which objections to approved application %(application)s may be "
                        "raised."
                    )
                    % {"application": application.pk},
                    stamp,
                )
            )
    return events


def organisation_calendar(organisation: Organisation, *, now: dt.datetime) -> bytes:
    """The feed of `organisation` as of `now` (texts in the active language)."""
    feed = _public_part(organisation, now)
    feed["x-wr-calname"] = _("CEPA Registry: %(organisation)s") % {"organisation": name_of(organisation)}
    stamp = now.astimezone(dt.UTC)
    for event in _agreement_events(organisation, stamp) + _application_events(organisation, stamp):
        feed.add_component(event)
    return bytes(feed.to_ical())
