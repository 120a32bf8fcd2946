"""`cepa inspector ...`: every action, its output and exit codes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cepa.personnel.models import Inspector, PersonalDataAccess, Transfer
from cepa.personnel.tests.conftest import NUMBER, D
from cepa.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command("inspector", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def fails(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("inspector", *args, stdout=io.StringIO(), stderr=err)
    return error.value.returncode, f"{error.value} {err.getvalue()}"


def test_register_show_and_lookup(bodies: None) -> None:
    shown = run(
        "register",
        "CLI-1",
        "--name-en",
        "Cheung Ka Ho",
        "--name-zh-hant",
        "張家豪",
        "--grade",
        "inspector",
        "--specialties",
        "07,0915",
        "--registered",
        "2025-01-01",
        "--organisation",
        "hk-cb-a",
        "--date-of-birth",
        "1980-01-01",
        "--identity-document",
        "A1234563",
    )
    assert (shown["id"], shown["expires"], shown["organisation"]) == ("CLI-1", "2027-12-31", "hk-cb-a")
    assert "A1234563" not in json.dumps(shown)
    assert run("show", "CLI-1", "--on", "2025-06-01")["as_of"] == "2025-06-01"
    found = run("lookup", "CLI-1", "--on", "2026-01-01", "--lang", "zh-Hant")
    assert found[0]["registered"] is True
    assert fails("lookup", "CLI-1", "--on", "2030-01-01")[0] == 1
    assert fails("lookup")[0] == 2
    assert fails("show", "nobody")[0] == 2
    assert (
        fails(
            "register",
            "CLI-2",
            "--name-en",
            "X",
            "--grade",
            "inspector",
            "--specialties",
            "7",
            "--registered",
            "2025-01-01",
        )[0]
        == 2
    )
    assert fails("show", "CLI-1", "--on", "1 May")[0] == 2


def test_renew_confirm_status_grade(inspector: Inspector) -> None:
    code, message = fails("renew", NUMBER, "--applied-on", "2025-06-01")
    assert (code, "RENEWAL_WINDOW_NOT_OPEN" in message) == (1, True)
    assert fails("renew", NUMBER, "--applied-on", "2999-01-01")[0] == 2  # not in the future
    run(
        "register",
        "CLI-OLD",
        "--name-en",
        "Old Hand",
        "--grade",
        "senior",
        "--specialties",
        "07",
        "--registered",
        "2020-01-01",
        "--date-of-birth",
        "1970-05-05",
    )
    assert run("renew", "CLI-OLD", "--applied-on", "2022-10-01")["expires"] == "2025-12-31"
    assert run("confirm", NUMBER, "--confirmed-on", "2025-12-20")[0]["year"] == 2026
    assert fails("confirm", NUMBER, "--year", "2026")[0] == 1
    record = run("status", NUMBER, "suspended", "--on", "2026-01-10", "--reason", "late confirmation")
    assert record["history"][-1]["reason"] == "late confirmation"  # the operator sees the reasons
    assert fails("status", NUMBER, "suspended", "--on", "2026-01-11", "--reason", "x")[0] == 1
    graded = run("grade", NUMBER, "senior", "--on", "2026-02-01", "--evidence", "CCAA decision 12")
    assert graded["history"][-1] == {
        "on": "2026-02-01",
        "event": "grade",
        "from": "inspector",
        "to": "senior",
        "reason": "CCAA decision 12",
    }


def test_personal_data_is_logged(inspector: Inspector) -> None:
    shown = run("personal", NUMBER, "--phone", "+852 5550 0000")
    assert (shown["phone"], shown["identity_document"]) == ("+852 5550 0000", "R4455667")
    log = run("access-log", NUMBER)
    assert [(entry["fields"], entry["channel"]) for entry in log] == [
        (["date_of_birth", "identity_document", "email", "phone"], "cli")
    ]
    assert PersonalDataAccess.objects.count() == 1


def test_transfer_and_review(inspector: Inspector) -> None:
    code, message = fails("transfer", NUMBER, "--to", "hk-lab", "--effective", "2026-07-01")
    assert (code, "NOT_CERTIFICATION_BODY" in message) == (1, True)
    transfer = run("transfer", NUMBER, "--to", "cn-cb-b", "--effective", "2026-07-01")
    assert transfer["status"] == "requested"
    assert fails("review-transfer", str(transfer["id"]), "refuse")[0] == 2  # a refusal needs a reason
    decided = run("review-transfer", str(transfer["id"]), "approve", "--reason", "ok")
    assert (decided["status"], decided["history"][-1]["to"]) == ("approved", "approved")
    assert run("show-transfer", str(transfer["id"]))["status"] == "approved"
    assert fails("review-transfer", str(transfer["id"]), "approve")[0] == 1
    assert fails("show-transfer", "999")[0] == 2
    assert Transfer.objects.get().status == "approved"
    # Both bodies are told.
    assert sorted(
        Reminder.objects.filter(kind="transfer_decided").values_list("organisation_id", flat=True)
    ) == ["cn-cb-b", "hk-cb-a"]


def test_plan_reminders_is_idempotent(inspector: Inspector) -> None:
    Reminder.objects.all().delete()
    first = run("plan-reminders", "--on", "2025-06-01")
    assert first == {"wanted": 2, "scheduled": 2}
    assert run("plan-reminders", "--on", "2025-06-01") == {"wanted": 2, "scheduled": 0}
    keys = sorted(Reminder.objects.values_list("key", flat=True))
    assert keys == [f"inspector-confirmation:{NUMBER}:2026", f"inspector-expiry:{NUMBER}:2027-12-31"]
    assert Reminder.objects.get(key=keys[1]).due.date() == D("2027-09-30")
