"""The workflow commands: thin over the services, JSON on stdout, exit 1 refused, 2 bad input."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cepa.designation.models import Application, ExpressionOfInterest, Plan
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF
from cepa.history.models import Change, ChangeSet

pytestmark = pytest.mark.django_db


def cepa(*args: str) -> Any:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def refused(*args: str) -> tuple[int, str]:
    changesets = ChangeSet.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=StringIO())
    assert ChangeSet.objects.count() == changesets
    return caught.value.returncode, str(caught.value)


def test_the_workflow_from_the_command_line(people: People, clock: Clock, tmp_path: Path) -> None:
    clock.set("2026-03-31T23:59:00+08:00")
    assert cepa("eoi", "create", "cn-lab-delta", "2026", "0915", "--as", "delta")["id"] == "EOI-2026-0001"
    clock.set("2026-04-01T00:00:00+08:00")
    code, message = refused("eoi", "create", "cn-lab-river", "2026", "0915", "--as", "river")
    assert (code, message.startswith("DEADLINE_PASSED")) == (1, True)
    assert ExpressionOfInterest.objects.count() == 1
    assert cepa("eoi", "list", "--by-product-type")[0]["product_type"] == "0915"

    clock.set("2026-09-01T10:00:00+08:00")
    plan = cepa(
        "plans",
        "create",
        "2026-2",
        "--year",
        "2026",
        "--role",
        "laboratory",
        "--product-types",
        "0915",
        "--opens",
        "2026-09-07T09:00:00+08:00",
        "--closes",
        "2026-09-30T17:00",
        "--requirements-en",
        "GB 31241",
        "--as",
        "cnca",
    )
    assert (plan["status"], plan["window"]["closes"], plan["requirements"]) == (
        "draft",
        "2026-09-30T17:00:00+08:00",
        {"en": "GB 31241"},
    )
    assert cepa("plans", "update", "2026-2", "--opens", "2026-09-08T09:00", "--as", "cnca")["window"][
        "opens"
    ] == ("2026-09-08T09:00:00+08:00")
    assert cepa("plans", "publish", "2026-2", "--as", "cnca")["published"] == "2026-09-01"
    assert refused("plans", "update", "2026-2", "--product-types", "0701", "--as", "cnca")[0] == 1
    assert [p["id"] for p in cepa("plans", "list")] == ["2026-2"]

    clock.set("2026-09-10T10:00:00+08:00")
    created = cepa("applications", "create", "cn-lab-delta", "0915", "--as", "delta")
    number = str(created["id"])
    pdf = tmp_path / "capability.pdf"
    pdf.write_bytes(PDF)
    assert cepa("applications", "attach", number, str(pdf), "--as", "delta")["filename"] == "capability.pdf"
    assert cepa("applications", "submit", number, "--as", "delta")["status"] == "submitted"
    assert cepa("applications", "review", number, "start", "--as", "cnca")["status"] == "under_review"
    clock.set("2026-09-24T16:00:00+08:00")
    approved = cepa("applications", "review", number, "approve", "--reason", "fine", "--as", "cnca")
    assert (
        approved["designation_from"], approved["objection_period_ends"], approved["history"][-1]["reason"]
    ) == (
        "2026-09-24",
        "2026-10-22",
        "fine",
    )

    clock.set("2026-10-09T10:00:00+08:00")
    objection = cepa(
        "objections", "lodge", number, "--grounds", "doubtful", "--on-behalf-of", "Ms Ho", "--as", "cnca"
    )
    decided = cepa(
        "objections", "review", str(objection["id"]), "dismiss", "--reason", "unfounded", "--as", "cnca"
    )
    assert decided["status"] == "dismissed"
    assert cepa("objections", "show", str(objection["id"]))["on_behalf_of"] == "Ms Ho"
    shown = cepa("applications", "show", number)
    assert [h["to"] for h in shown["history"]][-3:] == ["approved", "approved", "approved"]
    assert [a["id"] for a in cepa("applications", "list", "--status", "approved")] == [int(number)]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("applications", "submit", "1", "--as", "nobody"), 2),  # no such account
        (("applications", "submit", "1", "--as", "cnca"), 2),  # role may not
        (("applications", "submit", "999999999", "--as", "delta"), 2),  # no such record
        (("applications", "create", "cn-lab-delta", "0701", "0915", "--as", "delta"), 1),  # MIXED_ROUTES
        (("applications", "create", "cn-lab-delta", "12", "--as", "delta"), 2),  # bad input
        (("applications", "attach", "1", "/nonexistent.pdf", "--as", "delta"), 2),
        (("plans", "publish", "nope", "--as", "cnca"), 2),
        (("plans", "show", "nope"), 2),
        (("objections", "review", "1", "uphold", "--reason", "x", "--as", "cnca"), 2),
    ],
)
def test_refusals_exit_codes(people: People, clock: Clock, args: tuple[str, ...], code: int) -> None:
    assert refused(*args)[0] == code
    assert (Application.objects.count(), Plan.objects.count()) == (0, 0)


def test_provisional_periods_are_counted_again_once_announced(people: People, clock: Clock) -> None:
    from unittest import mock

    from cepa.bodies.models import Designation
    from cepa.designation.workdays import PeriodEnd

    clock.set("2026-12-24T16:00:00+08:00")
    number = str(cepa("applications", "create", "cn-lab-delta", "0701", "--as", "delta")["id"])
    cepa("applications", "submit", number, "--as", "delta")
    cepa("applications", "review", number, "start", "--as", "cnca")
    approved = cepa("applications", "review", number, "approve", "--as", "cnca")
    # 2027's schedule is not announced in the library: counted with statutory holidays, provisional.
    # The designation is in force from the day of approval whatever the period.
    shown = (approved["objection_period_ends"], approved["designation_from"])
    assert (*shown, approved["designation_date_provisional"]) == ("2027-01-15", "2026-12-24", True)
    assert cepa("applications", "refresh-periods") == []  # nothing new is known

    announced = PeriodEnd(last_day=dt.date(2027, 1, 18), provisional=False, provisional_years=())
    with mock.patch(
        "cepa.designation.services.applications.add_mainland_working_days", return_value=announced
    ):
        moved = cepa("applications", "refresh-periods")
    assert [
        (a["id"], a["objection_period_ends"], a["designation_from"], a["designation_date_provisional"])
        for a in moved
    ] == [(int(number), "2027-01-18", "2026-12-24", False)]
    assert Designation.objects.get(pk=f"CNCA-APPLICATION-{number}").valid_from == dt.date(2026, 12, 24)
    assert not Change.objects.filter(record_type="designations", action="update").exists()
    assert cepa("applications", "show", number)["history"][-1]["event"] == "period_recounted"
    with mock.patch(
        "cepa.designation.services.applications.add_mainland_working_days", return_value=announced
    ):
        assert cepa("applications", "refresh-periods") == []  # no longer provisional
