"""An organisation's calendar as iCalendar: GET /api/v1/organisations/{id}/calendar.ics.

For its staff (applicants of the organisation), officers and administrators, with a bearer token;
calendar programs, which cannot send one, use the feed key instead (`?key=`, printed by
`cepa calendar-url ORGANISATION`). Mounted before the registry's per-record routes, which would
otherwise read "x/calendar.ics" as an organisation id.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Query, Router
from ninja.errors import AuthenticationError

from cepa.accounts import permissions
from cepa.api.auth import user_for_bearer
from cepa.api.errors import BadRequestOut, ErrorOut
from cepa.api.reminders.schemas import CalendarParams
from cepa.bodies.models import Organisation
from cepa.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from cepa.reminders.calendar import feed_key, organisation_calendar

router = Router(tags=["Calendars"])

DJANGO_LANGUAGES = {"en": "en", "zh-Hant": "zh-hant", "zh-Hans": "zh-hans"}


class CalendarAuth:
    """A bearer token, or a feed key in the query (checked by the handler); 401 without either."""

    def __call__(self, request: HttpRequest) -> Any:
        user = user_for_bearer(request)
        if user is None and not request.GET.get("key"):
            raise AuthenticationError()
        return user or "feed-key"


@router.get(
    "/organisations/{path:organisation_id}/calendar.ics",
    response={200: None, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=CalendarAuth(),
    openapi_extra={
        "responses": {200: {"description": "An iCalendar feed", "content": {"text/calendar": {}}}},
        "security": [{"TokenAuth": []}, {}],
    },
    summary="An organisation's calendar (iCalendar)",
)
def organisation_calendar_feed(
    request: HttpRequest, organisation_id: str, params: Query[CalendarParams]
) -> HttpResponse:
    """Plan windows of its kind and 1 April deadlines (Mainland bodies), its agreements' last days and
    terminations, and its applications' deadlines and objection periods. `lang`: en, zh-Hant, zh-Hans."""
    user = request.auth  # type: ignore[attr-defined]
    if user == "feed-key":
        expected = feed_key(organisation_id)
        if not hmac.compare_digest(expected.encode(), (params.key or "").encode("utf-8", "replace")):
            raise NotAuthenticated("the calendar feed key is not valid for this organisation")
    elif not (permissions.is_admin(user) or permissions.is_officer(user) or permissions.is_applicant(user)):
        raise NotAllowed("only the organisation's staff, officers and administrators may read its calendar")
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if "\x00" not in organisation_id else None
    )
    if organisation is None:
        raise NotFound(f"no organisation with id {organisation_id!r}")
    if user != "feed-key" and not permissions.can(user, "calendars.view", organisation.pk):
        raise NotAllowed(f"you may not read the calendar of {organisation.pk}")
    if params.lang not in DJANGO_LANGUAGES:
        raise InvalidInput("lang", "must be one of en, zh-Hant, zh-Hans")
    with translation.override(DJANGO_LANGUAGES[params.lang]):
        body = organisation_calendar(organisation, now=timezone.now().astimezone(dt.UTC))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{organisation.pk.replace(chr(34), "")}.ics"'
    return response
