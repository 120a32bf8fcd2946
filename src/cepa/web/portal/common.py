"""Helpers shared by the portal's and the workbench's views: the user's organisation, a record's
history as a timeline, and a refused request explained in the page's language (`explain`: the web's
one mapping of the project's errors, cepa.errors; the page's status is the error's)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cepa.accounts import permissions
from cepa.bodies import selectors as bodies
from cepa.bodies.models import Organisation
from cepa.errors import CepaError, Conflict, ErrorCode, NotAllowed, NotFound, Refused
from cepa.web.portal import labels
from cepa.web.public import actors
from cepa.web.public.labels import Table, label

# Reasons the services write themselves when a person gave none: the step's label already says it.
AUTOMATIC_REASONS = frozenset(
    {
        "drafted",
        "submitted",
        "approved",
        "withdrawn",
        "start",
        "request_information",
        "approve",
        "refuse",
        "published",
        "filed",
        "accepted",
        "requested",
    }
)
_OBJECTION_NOTE = re.compile(r"^objection \d+ lodged$")


def own_organisation(request: HttpRequest) -> Organisation:
    """The organisation the signed-in applicant acts for."""
    organisation_id = permissions.organisation_of(request.user)
    found = bodies.organisations(request.user).filter(pk=organisation_id).first()
    if found is None:  # the profile's organisation is protected from deletion; this is only a guard
        raise Http404
    return found


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    label: str
    reason: str


def status_change_label(table: Table, before: str | None, after: str) -> str:
    if not before:
        return _("Created as %(status)s") % {"status": label(table, after)}
    return _("Status changed from %(before)s to %(after)s") % {
        "before": label(table, before),
        "after": label(table, after),
    }


def timeline(events: Iterable[Any], table: Table) -> list[TimelineEntry]:
    """Workflow events (at, who, from_status, to_status, reason, event) given oldest first, newest first."""
    events = list(events)
    words = actors.describe(event.who for event in events)
    entries = []
    for event in events:
        kind = getattr(event, "event", "transition")  # filing steps are all status changes
        if kind == "transition":
            text = status_change_label(table, event.from_status, event.to_status)
        else:
            text = label(labels.EVENTS, kind)
        reason = event.reason or ""
        if reason in AUTOMATIC_REASONS or _OBJECTION_NOTE.match(reason):
            reason = ""
        who = actors.with_channel(words[event.who], getattr(event, "channel", ""))
        entries.append(TimelineEntry(event.at, who, text, reason))
    return entries[::-1]


def last_reason(events: Iterable[Any], to_status: str) -> str:
    """The reason given for the latest move into `to_status` (empty when none was given)."""
    found = ""
    for event in events:
        if getattr(event, "event", "transition") == "transition" and event.to_status == to_status:
            found = "" if event.reason in AUTOMATIC_REASONS else event.reason
    return found


def explain(error: CepaError) -> str:
    """A refused request in the page's language. The services' own messages are meant for programs;
    the codes and classes are stable, so the page says it in its own words."""
    code = error.code
    if code == ErrorCode.DEADLINE_PASSED:
        return _(
            "The deadline for expressions of interest for this year has passed: they had to arrive "
            "before 1 April, 00:00 Beijing time."
        )
    if code == ErrorCode.MIXED_ROUTES:
        return _(
            "These product types take different routes to designation. Make a separate application "
            "for each route."
        )
    if code == ErrorCode.OBJECTION_PERIOD_ENDED:
        return _("The objection period has ended.")
    if isinstance(error, NotAllowed):
        return _("Your account may not do this for this record. Nothing was changed.")
    if isinstance(error, NotFound):
        return _("The record was not found. Nothing was changed.")
    if isinstance(error, Conflict):
        return _(
            "Someone else changed this record after you opened the page, or its status does not "
            "allow this any more. Nothing was changed: check its status and history below."
        )
    if isinstance(error, Refused):
        return _("The rules do not allow this now. Nothing was changed: see the reasons below.")
    return _("The request could not be completed. Nothing was changed.")


def refusal(check: Callable[[], object]) -> CepaError | None:
    """What a service's check refuses, or None: for a page that must answer 403 before it judges the
    form, as the API does."""
    try:
        check()
    except CepaError as error:
        return error
    return None
