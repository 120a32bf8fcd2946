"""Organisations' calendars as iCalendar feeds."""

from cepa.api.reminders.calendars import router

__all__ = ["router"]
