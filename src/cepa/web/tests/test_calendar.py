from __future__ import annotations

import datetime as dt
import re
from typing import Any

import icalendar
import pytest
from django.test import Client

from cepa.designation.models import Plan
from cepa.rules.facts import BEIJING
from cepa.web.public import calendar
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar, "beijing_now", lambda: NOW)


def test_plans_by_window_state_and_the_next_deadline() -> None:
    result = calendar.calendar_at(NOW)
    assert [w.plan.id for w in result.open] == ["2026-3", "2026-6", "2026-4"]
    assert [w.plan.id for w in result.upcoming] == ["2027-1", "2027-2"]
    assert [w.plan.id for w in result.closed] == ["2026-5", "2025-2", "2024-2"]
    assert result.deadline == dt.datetime(2027, 4, 1, tzinfo=BEIJING)
    assert (result.days_left, result.last_day) == (126, dt.date(2027, 3, 31))
    assert result.objection is not None
    assert result.objection.last_day == dt.date(2026, 12, 17)


def test_on_the_deadline_the_countdown_moves_to_next_year() -> None:
    at_deadline = calendar.calendar_at(dt.datetime(2027, 4, 1, 0, 0, tzinfo=BEIJING))
    assert at_deadline.deadline == dt.datetime(2028, 4, 1, tzinfo=BEIJING)
    just_before = calendar.calendar_at(dt.datetime(2027, 3, 31, 23, 59, tzinfo=BEIJING))
    assert (just_before.deadline.year, just_before.days_left) == (2027, 1)


def test_calendar_page(client: Client) -> None:
    html = client.get("/calendar/").content.decode()
    assert "<h1>Designation calendar</h1>" in html
    assert '<span class="big-number">126 days</span>' in html
    assert "by the end of 31 March 2027." in html
    assert re.findall(r'<article class="decision" id="r-([^"]+)"', html) == [
        "2026-3", "2026-6", "2026-4", "2027-1", "2027-2", "2026-5", "2025-2", "2024-2"]
    assert "from 2 November 2026, 09:00 to 18 December 2026, 17:00 (Beijing time)" in html
    assert ("the designation is in force from today and objections may be lodged until "
            "17 December 2026.") in html


def test_draft_plans_are_never_shown(client: Client) -> None:
    Plan.objects.create(id="2027-draft", year=2027, role="laboratory", product_types=["0701"],
                        opens=NOW, closes=NOW + dt.timedelta(days=30))
    assert "2027-draft" not in client.get("/calendar/").content.decode()
    assert b"2027-draft" not in client.get("/calendar.ics").content


def test_calendar_in_traditional_chinese(client: Client) -> None:
    html = in_language(client, "zh-hant").get("/calendar/").content.decode()
    assert '<span class="big-number">126 天</span>' in html
    assert "即最遲在 2027年3月31日 完結前" in html


def test_icalendar_feed_of_windows_and_deadlines(client: Client) -> None:
    response = client.get("/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    assert sorted(events) == sorted([
        *(f"plan-{plan}-window@cepa-registry"
          for plan in ("2024-2", "2025-2", "2026-3", "2026-4", "2026-5", "2026-6", "2027-1", "2027-2")),
        *(f"interest-deadline-{year}@cepa-registry" for year in (2024, 2025, 2026, 2027)),
    ])
    window = events["plan-2026-3-window@cepa-registry"]
    assert window.decoded("dtstart") == dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
    assert window.decoded("dtend") == dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC)
    assert str(window["summary"]) == "Designation plan 2026-3 (Laboratories): applications open"
    deadline = events["interest-deadline-2027@cepa-registry"]
    assert deadline.decoded("dtstart") == dt.datetime(2027, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert str(deadline["summary"]) == "Deadline: expressions of interest for 2027 designation plans"


def test_calendar_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(5):
        client.get("/calendar/")
    with django_assert_max_num_queries(3):
        client.get("/calendar.ics")
