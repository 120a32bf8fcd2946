"""The small reminder commands: a user's language and an organisation's feed address."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cepa.reminders.models import LanguagePreference

pytestmark = pytest.mark.django_db


def test_reminder_language_sets_and_changes_a_users_language(staff: None) -> None:
    out = StringIO()
    call_command("reminder-language", "lab1", "zh-Hans", stdout=out)
    call_command("reminder-language", "lab1", "en", stdout=StringIO())
    assert out.getvalue().strip() == "lab1 receives reminders in zh-Hans"
    assert LanguagePreference.objects.get(user__username="lab1").language == "en"
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("reminder-language", "nobody", "en")


def test_calendar_url_gives_a_working_feed_address(world: None) -> None:
    out = StringIO()
    call_command("calendar-url", "hk-lab-a", "--base", "http://testserver/", stdout=out)
    url = out.getvalue().strip()
    assert url.startswith("http://testserver/api/v1/organisations/hk-lab-a/calendar.ics?key=")
    feed = Client().get(url.removeprefix("http://testserver"))
    assert (feed.status_code, feed["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    assert feed.content.startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(CommandError, match="no organisation with id 'nobody'"):
        call_command("calendar-url", "nobody")
