"""The demo registry loads through the importer and gives the decisions its cases promise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections

from cepa.cli import main as cepa
from cepa.demo.registry import demo_cases, demo_document
from cepa.history.models import Change, ChangeSet

pytestmark = pytest.mark.django_db

# Gates are listed only when they fail; ROUTINE_SCOPE only when it holds; a failing
# ACCREDITATION_ACTIVE carries the code ACCREDITATION_SUSPENDED or ACCREDITATION_WITHDRAWN.
GATES = {"KIND_NOT_ELIGIBLE", "MAINLAND_ESTABLISHED"}
CONDITIONS = {
    "PRODUCT_IN_CATALOGUE", "ACCREDITED", "ACCREDITATION_SCOPE", "AGREEMENT_IN_FORCE", "PARTNER_DESIGNATED",
    "DESIGNATED", "REGISTERED", "GRADE", "SPECIALTY", "AFFILIATED", "ORG_ACCREDITED", "ORG_AGREEMENT",
    "ORG_DESIGNATED", "PLAN_PUBLISHED", "WINDOW_OPEN", "EXPRESSION_OF_INTEREST",
    # certificate (rev. 2)
    "CERTIFICATE_VALID", "ISSUER_DESIGNATED", "CHAIN_BEFORE_ISSUE", "REPORTS_ELIGIBLE", "REPORTS_FOR_ISSUER",
    "INSPECTORS_ELIGIBLE", "INSPECTION_FOR_ISSUER",
}
NOTICES = {"ISSUER_NO_LONGER_DESIGNATED", "LABORATORY_NO_LONGER_ELIGIBLE", "INSPECTOR_NO_LONGER_ELIGIBLE"}
EXPECTED_FAILING = GATES | CONDITIONS | {"ACCREDITATION_SUSPENDED", "ACCREDITATION_WITHDRAWN"}
EXPECTED_HOLDING = CONDITIONS | {"ACCREDITATION_ACTIVE", "ROUTINE_SCOPE"}


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each `cepa` run closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run_case(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    try:
        cepa(["cepa", *argv])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    assert out.err == "", f"{argv}: {out.err}"
    return code, json.loads(out.out)


def decisions(capsys: pytest.CaptureFixture[str]) -> list[tuple[dict[str, Any], int, dict[str, Any]]]:
    call_command("load-demo")
    capsys.readouterr()
    return [(case, *run_case(case["argv"], capsys)) for case in demo_cases()]


def test_every_case_gives_the_promised_decision(capsys: pytest.CaptureFixture[str]) -> None:
    mismatches = []
    for case, code, decision in decisions(capsys):
        failing = sorted(r["code"] for r in decision["reasons"] if not r["holds"])
        got: dict[str, Any] = {"allowed": decision["allowed"], "exit": code, "failing": failing}
        want: dict[str, Any] = {"allowed": case["allowed"], "exit": 0 if case["allowed"] else 1,
                                "failing": sorted(case.get("failing", []))}
        for key in ("route", "plan", "sector", "status"):
            if key in case:
                got[key], want[key] = decision.get(key), case[key]
        if "notices" in case:
            got["notices"] = [notice["code"] for notice in decision["notices"]]
            want["notices"] = case["notices"]
        if got != want:
            mismatches.append((" ".join(case["argv"]), want, got))
    assert mismatches == []


def test_the_cases_show_every_reason_code_holding_and_failing(capsys: pytest.CaptureFixture[str]) -> None:
    failing: set[str] = set()
    holding: set[str] = set()
    notices: set[str] = set()
    statuses: set[str] = set()
    for _case, _code, decision in decisions(capsys):
        for reason in decision["reasons"]:
            (holding if reason["holds"] else failing).add(reason["code"])
        notices.update(notice["code"] for notice in decision.get("notices", []))
        if decision["question"] == "certificate":
            statuses.add(decision["status"])
    assert failing == EXPECTED_FAILING
    assert holding == EXPECTED_HOLDING
    assert notices == NOTICES
    assert statuses == {"valid", "suspended", "revoked", "cancelled", "expired", "not_yet_valid"}


def test_load_demo_twice_changes_nothing_the_second_time(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load-demo")
    first = capsys.readouterr().out
    changesets, changes = ChangeSet.objects.count(), Change.objects.count()
    call_command("load-demo")
    second = capsys.readouterr().out
    assert first == "Demo registry loaded: 141 records (141 created, 0 updated, 0 unchanged).\n"
    assert second == "Demo registry already loaded: 141 records unchanged; nothing written.\n"
    assert (ChangeSet.objects.count(), Change.objects.count()) == (changesets, changes)


def test_the_demo_is_labelled_fictional() -> None:
    document = demo_document()
    assert document["format"] == "cepa-registry/1"
    assert all(o["note"].startswith("Fictional demo body") for o in document["organisations"])
    assert all(i["note"].startswith("Fictional demo person") for i in document["inspectors"])
