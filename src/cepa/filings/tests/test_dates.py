"""Finding 8 of issue 12: every date the application takes as input lies in 1900-2200 (a clear 400
naming the field); what was stored before, or comes through the interchange (which takes any valid date),
breaks no calendar feed, page or command; and a stored termination can be undone or corrected."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import icalendar
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cepa.bodies.models import Agreement
from cepa.designation.services import plans as plan_services
from cepa.errors import InvalidInput
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.tests.conftest import People
from cepa.filings.tests.helpers import agreement, post, today
from cepa.filings.tests.test_api import FILINGS, body, file, review, state
from cepa.history.models import Change
from cepa.interchange.services import import_document
from cepa.personnel.services import registration
from cepa.reminders.calendar import feed_key
from cepa.testing import factories

pytestmark = pytest.mark.django_db

FAR = dt.date(9999, 12, 31)


def errors(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def accepted_filing(client: Client, people: People) -> str:
    filing_id = file(client, people, until=None)
    assert review(client, people.cnca, filing_id, "accept").status_code == 200
    return filing_id


def feed(organisation: str) -> Any:
    return Client().get(f"/api/v1/organisations/{organisation}/calendar.ics?key={feed_key(organisation)}")


# --- input is bounded ------------------------------------------------------------------------------


def test_a_termination_dated_9999_is_refused_naming_the_field(client: Client, people: People) -> None:
    filing_id = accepted_filing(client, people)
    before = state()
    response = post(client, f"{FILINGS}/{filing_id}/terminate", {"on": "9999-12-31"}, people.partner.headers)
    assert response.status_code == 400
    assert errors(response) == [("on", "must be a day from 1900-01-01 to 2200-12-31; 9999-12-31 is not")]
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field", "day"),
    [({"until": "9999-12-31"}, "until", "9999-12-31"), ({"from": "1899-12-31"}, "from", "1899-12-31")],
)
def test_a_filing_with_a_day_out_of_range_is_refused_naming_the_field(
    client: Client, people: People, changes: dict[str, str], field: str, day: str
) -> None:
    before = state()
    response = post(client, FILINGS, body(**changes), people.lab.headers)
    assert response.status_code == 400
    assert errors(response) == [(field, f"must be a day from 1900-01-01 to 2200-12-31; {day} is not")]
    assert state() == before


def test_the_last_accepted_day_is_accepted(client: Client, people: People) -> None:
    filing_id = file(client, people, until="2200-12-31")
    assert AgreementFiling.objects.get(pk=filing_id).valid_until == dt.date(2200, 12, 31)


def test_registrations_and_plan_windows_are_bounded_too(world: None, cnca_officer: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        registration.register_inspector(
            actor="t",
            id="CCAA-FAR",
            name={"en": "Far Away"},
            grade="inspector",
            specialties=["07"],
            registered=dt.date(2025, 1, 1),
            expires=FAR,
            organisation="hk-cb-b",
        )
    assert refused.value.field == "expires"
    with pytest.raises(InvalidInput) as refused:
        plan_services.create_plan(
            actor="t",
            user=cnca_officer.user,
            id="P-FAR",
            year=2027,
            role="laboratory",
            product_types=["0701"],
            window={"opens": "2027-06-01T09:00:00+08:00", "closes": "9999-12-31T23:59:59+08:00"},
            requires_expression_of_interest=False,
        )
    assert refused.value.field == "window.closes"


# --- what is stored far off breaks nothing --------------------------------------------------------------


def test_the_interchange_still_takes_any_valid_date(world: None) -> None:
    document = {
        "format": "cepa-registry/1",
        "agreements": [
            {
                "id": "AG-FAR",
                "kind": "testing",
                "party": "hk-lab-a",
                "counterparty": "cn-cb-x",
                "product_types": ["0701"],
                "from": "2024-01-01",
                "until": "9999-12-31",
                "terminated_on": "9999-12-31",
            }
        ],
    }
    import_document(actor="t", document=document)
    assert Agreement.objects.get(pk="AG-FAR").terminated_on == FAR


def test_feeds_pages_and_commands_take_any_stored_date(world: None) -> None:
    agreement("AG-FAR", "hk-lab-a", "cn-cb-x", ["0701"], dt.date(2024, 1, 1), FAR)
    agreement("AG-TERM", "hk-lab-a", "cn-cb-x", ["0702"], dt.date(2024, 1, 1), None, terminated_on=FAR)
    factories.inspector(
        "INS-FAR",
        "inspector",
        ["07"],
        "0001-01-01",
        FAR,
        [("hk-cb-b", "0001-01-01", FAR)],
        [{"on": FAR, "status": "suspended", "reason": "x"}],
    )
    for organisation in ("hk-lab-a", "cn-cb-x"):
        response = feed(organisation)
        assert response.status_code == 200
        events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
        ends = events["agreement-AG-FAR-ends-9999-12-31@cepa-registry"]
        terminated = events["agreement-AG-TERM-terminated-9999-12-31@cepa-registry"]
        assert [e.decoded("dtstart") for e in (ends, terminated)] == [FAR, FAR]
        assert "dtend" not in ends and "dtend" not in terminated  # one all-day event, that day
    inspector = Client().get("/api/v1/inspectors/INS-FAR")
    assert inspector.status_code == 200
    assert [(e["on"], e["event"]) for e in inspector.json()["history"]] == [
        ("0001-01-01", "registered"),
        ("0001-01-01", "affiliated"),
    ]
    out = StringIO()
    call_command("plan-reminders", stdout=out)
    assert Client().get("/bodies/hk-lab-a/").status_code == 200


# --- a stored termination can be undone or corrected -----------------------------------------------------


@pytest.fixture
def stored_far(client: Client, people: People) -> str:
    """An accepted filing whose termination was recorded (before the bound) as 9999-12-31."""
    filing_id = accepted_filing(client, people)
    Agreement.objects.filter(pk=filing_id).update(terminated_on=FAR)
    AgreementFiling.objects.filter(pk=filing_id).update(status=FilingStatus.TERMINATED, terminated_on=FAR)
    return filing_id


def correct(*args: str) -> str:
    out = StringIO()
    call_command("filings", "correct-termination", *args, stdout=out)
    return out.getvalue().strip()


def test_a_stored_termination_can_be_undone(stored_far: str) -> None:
    assert correct(stored_far, "--undo", "--reason", "typed 9999 by mistake") == (
        f"{stored_far}: accepted, the agreement in force again"
    )
    filing = AgreementFiling.objects.get(pk=stored_far)
    assert (filing.status, filing.terminated_on) == ("accepted", None)
    assert Agreement.objects.get(pk=stored_far).terminated_on is None
    change = Change.objects.filter(record_type="agreements", record_id=stored_far).latest("id")
    assert (change.before["terminated_on"], "terminated_on" in change.after) == ("9999-12-31", False)
    assert change.changeset.reason == "typed 9999 by mistake"
    steps = list(filing.transitions.order_by("id").values_list("from_status", "to_status", "reason"))
    assert steps[-1] == ("terminated", "accepted", "termination undone: typed 9999 by mistake")
    assert feed("hk-lab-a").status_code == 200


def test_a_stored_termination_can_be_corrected(stored_far: str) -> None:
    ends = today() + dt.timedelta(days=40)
    assert correct(stored_far, "--on", ends.isoformat(), "--reason", "the right day") == (
        f"{stored_far}: terminated, the agreement terminated from {ends}"
    )
    assert AgreementFiling.objects.get(pk=stored_far).terminated_on == ends
    assert Agreement.objects.get(pk=stored_far).terminated_on == ends


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "9999-12-30", "--reason", "r"], "on: must be a day from 1900-01-01 to 2200-12-31"),
        (["--on", "2019-01-01", "--reason", "r"], "TERMINATION_OUTSIDE_RANGE"),
        (["--undo", "--reason", " "], "reason: is required"),
        (["--on", "31/12/2027", "--reason", "r"], "--on: '31/12/2027' is not a date"),
    ],
)
def test_a_bad_correction_changes_nothing(stored_far: str, args: list[str], message: str) -> None:
    before = state()
    with pytest.raises(CommandError, match=message):
        correct(stored_far, *args)
    assert state() == before


def test_only_a_terminated_filing_has_a_termination_to_correct(client: Client, people: People) -> None:
    filing_id = accepted_filing(client, people)
    before = state()
    with pytest.raises(CommandError, match="only a terminated one has a termination to correct"):
        correct(filing_id, "--undo", "--reason", "r")
    assert state() == before


def test_a_cnca_officer_corrects_or_undoes_a_termination_through_the_api(
    client: Client, people: People, stored_far: str
) -> None:
    path = f"{FILINGS}/{stored_far}/termination"
    before = state()
    for who, status in ((people.partner, 403), (people.lab, 403), (people.hkas, 403)):
        assert post(client, path, {"on": None, "reason": "x"}, who.headers).status_code == status
    refused = post(client, path, {"on": "9999-12-30", "reason": "x"}, people.cnca.headers)
    assert (refused.status_code, errors(refused)[0][0]) == (400, "on")
    assert post(client, path, {"on": None}, people.cnca.headers).status_code == 400  # no reason
    assert state() == before
    ends = today() + dt.timedelta(days=60)
    corrected = post(client, path, {"on": ends.isoformat(), "reason": "the right day"}, people.cnca.headers)
    assert (corrected.status_code, corrected.json()["terminated_on"]) == (200, ends.isoformat())
    undone = post(client, path, {"on": None, "reason": "not terminated after all"}, people.cnca.headers)
    assert (undone.status_code, undone.json()["status"], undone.json()["terminated_on"]) == (
        200,
        "accepted",
        None,
    )
    again = post(client, path, {"on": None, "reason": "twice"}, people.cnca.headers)
    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")
    assert Agreement.objects.get(pk=stored_far).terminated_on is None
