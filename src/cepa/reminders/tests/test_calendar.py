"""GET /api/v1/organisations/{id}/calendar.ics: an organisation's own calendar, as iCalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client

from cepa.designation.models import Application, Plan
from cepa.filings.tests.helpers import agreement
from cepa.reminders.calendar import feed_key
from cepa.rules.facts import BEIJING
from cepa.testing.factories import D
from cepa.testing.personas import persona

pytestmark = pytest.mark.django_db


def T(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=BEIJING)


@pytest.fixture
def dated(world: None) -> None:
    Plan.objects.create(
        id="2027-1",
        year=2027,
        role="laboratory",
        product_types=["0915"],
        status="published",
        published=D("2026-11-01"),
        opens=T("2027-06-16T09:00"),
        closes=T("2027-06-30T17:00"),
    )
    Plan.objects.create(
        id="2027-cb",
        year=2027,
        role="certification_body",
        product_types=["0701"],
        status="published",
        published=D("2026-11-01"),
        opens=T("2027-05-01T09:00"),
        closes=T("2027-05-20T17:00"),
        requires_expression_of_interest=False,
    )
    agreement("AG-1", "hk-lab-a", "cn-cb-x", ["0701"], D("2024-01-01"), D("2027-06-30"))
    agreement("AG-2", "hk-lab-a", "cn-cb-x", ["0702"], D("2024-01-01"), None, terminated_on=D("2027-03-01"))
    agreement(
        "AG-9", "hk-cb-b", "cn-cb-y", ["0701"], D("2024-01-01"), D("2027-06-30"), kind="factory_inspection"
    )
    Application.objects.create(
        organisation_id="cn-lab-z",
        product_types=["0915"],
        status="draft",
        route="plan",
        plan_id="2027-1",
        created=T("2026-11-20T10:00"),
    )


def events(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in feed.walk("VEVENT")}


def test_a_mainland_laboratory_sees_its_plans_deadlines_and_applications(client: Client, dated: None) -> None:
    staff = persona("z1", "applicant", "cn-lab-z")

    found = events(client.get("/api/v1/organisations/cn-lab-z/calendar.ics", headers=staff.headers))

    application = Application.objects.get().pk
    assert set(found) == {
        "plan-2027-1-window@cepa-registry",
        "interest-deadline-2027@cepa-registry",
        f"application-{application}-deadline-20270630T1700@cepa-registry",
    }
    window = found["plan-2027-1-window@cepa-registry"]
    assert (window.decoded("dtstart"), window.decoded("dtend")) == (
        T("2027-06-16T09:00"),
        T("2027-06-30T17:00"),
    )
    deadline = found[f"application-{application}-deadline-20270630T1700@cepa-registry"]
    assert deadline.decoded("dtstart") == T("2027-06-30T17:00")
    assert str(deadline["summary"]) == f"Application {application}: plan 2027-1 closes"


def test_a_hong_kong_laboratory_sees_its_agreements_not_the_plans(client: Client, dated: None) -> None:
    staff = persona("lab", "applicant", "hk-lab-a")

    response = client.get("/api/v1/organisations/hk-lab-a/calendar.ics", headers=staff.headers)

    found = events(response)
    assert set(found) == {
        "agreement-AG-1-ends-2027-06-30@cepa-registry",
        "agreement-AG-2-terminated-2027-03-01@cepa-registry",
    }
    ends = found["agreement-AG-1-ends-2027-06-30@cepa-registry"]
    assert (ends.decoded("dtstart"), ends.decoded("dtend")) == (D("2027-06-30"), D("2027-07-01"))
    assert str(ends["summary"]) == "Agreement AG-1: last day in force"
    assert "Cn Cb X" in str(ends["description"])
    assert str(icalendar.Calendar.from_ical(response.content)["x-wr-calname"]) == "CEPA Registry: Hk Lab A"


def test_the_counterparty_sees_the_agreements_too(client: Client, dated: None) -> None:
    officer = persona("cnca", "cnca_officer")
    found = events(client.get("/api/v1/organisations/cn-cb-x/calendar.ics", headers=officer.headers))
    assert "agreement-AG-1-ends-2027-06-30@cepa-registry" in found
    assert "plan-2027-cb-window@cepa-registry" in found
    assert "plan-2027-1-window@cepa-registry" not in found


def test_who_may_read_a_calendar(client: Client, dated: None) -> None:
    path = "/api/v1/organisations/hk-lab-a/calendar.ics"
    outsider = persona("cb", "applicant", "hk-cb-b")
    officer = persona("hkas", "hkas_officer")
    assert client.get(path).status_code == 401
    assert client.get(path, headers=outsider.headers).status_code == 403
    assert client.get(path, headers=officer.headers).status_code == 200
    assert client.get(f"{path}?key={feed_key('hk-lab-a')}").status_code == 200
    assert client.get(f"{path}?key={feed_key('hk-cb-b')}").status_code == 401
    assert client.get("/api/v1/organisations/nobody/calendar.ics", headers=officer.headers).status_code == 404
    assert client.get(f"{path}?lang=fr", headers=officer.headers).status_code == 400
    # The registry's own organisation record is still where it was.
    assert client.get("/api/v1/organisations/hk-lab-a").json()["id"] == "hk-lab-a"


def test_the_calendar_stays_within_its_query_budget(
    client: Client, dated: None, django_assert_max_num_queries: Any
) -> None:
    key = feed_key("cn-lab-z")
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/organisations/cn-lab-z/calendar.ics?key={key}")
    assert response.status_code == 200
