"""The filings services below the API: designation cover, numbering, expiry, the command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from cepa.bodies.models import Agreement, AgreementScope
from cepa.errors import Conflict
from cepa.filings.models import AgreementFiling, FilingStatus, FilingTransition
from cepa.filings.services import ending, review, submission
from cepa.filings.tests.helpers import designate
from cepa.history.models import ChangeSet
from cepa.reminders.models import Reminder
from cepa.rules.facts import BEIJING
from cepa.testing.factories import D

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING)


def new_filing(**changes: object) -> AgreementFiling:
    arguments: dict[str, object] = {
        "actor": "test:lab",
        "kind": "testing",
        "party": "hk-lab-a",
        "counterparty": "cn-cb-x",
        "product_types": ["0701"],
        "valid_from": D("2026-05-01"),
        "valid_until": D("2027-04-30"),
        "now": NOW,
    }
    arguments.update(changes)
    return submission.file_agreement(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("intervals", "start", "until", "covered"),
    [
        ([("2018-01-01", None)], "2020-01-01", None, True),
        ([("2018-01-01", "2026-12-31")], "2020-01-01", None, False),
        ([("2018-01-01", "2026-12-31")], "2020-01-01", "2026-12-31", True),
        ([("2018-01-01", "2022-12-31"), ("2023-01-01", None)], "2020-01-01", None, True),
        ([("2023-01-01", None), ("2018-01-01", "2022-12-30")], "2020-01-01", "2024-01-01", False),
        ([("2021-01-01", None)], "2020-12-31", "2022-01-01", False),
        ([], "2020-01-01", "2020-01-01", False),
    ],
)
def test_a_range_is_covered_only_without_a_gap(
    intervals: list[tuple[str, str | None]], start: str, until: str | None, covered: bool
) -> None:
    parsed = [(D(a), D(b) if b else None) for a, b in intervals]
    assert submission._covers(parsed, D(start), D(until) if until else None) is covered


def test_designations_that_follow_one_another_cover_a_filing(world: None) -> None:
    designate("CNCA-Y-1", "cn-cb-y", ["0702"], "2018-01-01", "2024-12-31")
    designate("CNCA-Y-2", "cn-cb-y", ["0702"], "2025-01-01")
    filing = new_filing(counterparty="cn-cb-y", product_types=["0702"], valid_from=D("2024-06-01"))
    assert filing.status == FilingStatus.FILED


def test_filings_are_numbered_per_year_around_the_registrys_ids(world: None) -> None:
    Agreement.objects.create(
        id="AGF-2026-0001",
        kind="testing",
        party_id="hk-lab-a",
        counterparty_id="cn-cb-x",
        valid_from=D("2026-01-01"),
    )
    assert [new_filing().id for _ in range(2)] == ["AGF-2026-0002", "AGF-2026-0003"]
    later = dt.datetime(2027, 1, 1, 0, 0, tzinfo=BEIJING)
    assert new_filing(now=later).id == "AGF-2027-0001"


def test_expiry_marks_ended_filings_once(world: None) -> None:
    accepted = new_filing()
    review.review_filing(actor="test:cnca", filing_id=accepted.id, action="accept", now=NOW)
    waiting = new_filing()
    open_ended = new_filing(valid_until=None)
    after = dt.datetime(2027, 5, 1, 8, 0, tzinfo=BEIJING)

    assert ending.expire_filings(actor="test:cron", now=NOW) == []
    assert ending.expire_filings(actor="test:cron", now=after) == [accepted.id, waiting.id]
    assert ending.expire_filings(actor="test:cron", now=after) == []

    statuses = dict(AgreementFiling.objects.values_list("id", "status"))
    assert statuses == {accepted.id: "expired", waiting.id: "expired", open_ended.id: "filed"}
    assert AgreementFiling.objects.get(pk=accepted.id).expired_on == D("2027-05-01")
    # The registry agreement keeps its own dates: it simply is no longer in force.
    assert Agreement.objects.get(pk=accepted.id).valid_until == D("2027-04-30")


def test_a_termination_recorded_by_import_is_followed_by_the_filing(world: None) -> None:
    filing = new_filing()
    review.review_filing(actor="test:cnca", filing_id=filing.id, action="accept", now=NOW)
    Agreement.objects.filter(pk=filing.id).update(terminated_on=D("2026-09-01"))
    assert ending.expire_filings(actor="test:cron", now=NOW) == [filing.id]
    found = AgreementFiling.objects.get(pk=filing.id)
    assert (found.status, found.terminated_on) == ("terminated", D("2026-09-01"))


def test_an_agreement_id_taken_by_an_import_meanwhile_is_a_conflict(world: None) -> None:
    filing = new_filing()
    Agreement.objects.create(
        id=filing.id,
        kind="testing",
        party_id="hk-lab-a",
        counterparty_id="cn-cb-x",
        valid_from=D("2026-01-01"),
    )
    before = (ChangeSet.objects.count(), Reminder.objects.count(), FilingTransition.objects.count())
    with pytest.raises(Conflict):
        review.review_filing(actor="test:cnca", filing_id=filing.id, action="accept", now=NOW)
    found = AgreementFiling.objects.get(pk=filing.id)
    assert (found.status, found.accepted_on, found.agreement_id) == (FilingStatus.FILED, None, None)
    # The imported agreement is left as it was: no scope added, no acceptance recorded anywhere.
    assert not AgreementScope.objects.filter(agreement_id=filing.id).exists()
    assert Agreement.objects.get(pk=filing.id).valid_from == D("2026-01-01")
    assert (ChangeSet.objects.count(), Reminder.objects.count(), FilingTransition.objects.count()) == before


def test_the_filings_command_shows_lists_and_expires(world: None) -> None:
    filing = new_filing()
    out = StringIO()
    call_command("filings", "show", filing.id, stdout=out)
    assert json.loads(out.getvalue())["status"] == "filed"
    out = StringIO()
    call_command("filings", "list", stdout=out)
    assert out.getvalue().startswith(f"{filing.id}  filed")
    out = StringIO()
    call_command("filings", "expire", "--now", "2027-05-01T09:00", stdout=out)
    assert out.getvalue().strip() == f"1 filings changed: {filing.id}"
