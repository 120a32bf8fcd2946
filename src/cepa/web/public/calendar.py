"""The designation calendar as of now, for the public pages (cepa.designation.calendar); its iCalendar
feed is built by cepa.reminders.calendar."""

from __future__ import annotations

from cepa.designation.calendar import Calendar, calendar_at
from cepa.web.public.text import beijing_now


def calendar_now() -> Calendar:
    return calendar_at(beijing_now())
