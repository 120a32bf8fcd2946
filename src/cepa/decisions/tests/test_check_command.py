"""`cepa check QUESTION ...`: JSON on stdout, exit 0 / 1 / 2, and plain `cepa check` stays Django's."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command, get_commands

from cepa.cli import main

pytestmark = pytest.mark.usefixtures("registry", "keep_connections")


def run(*argv: str) -> tuple[int, str, str]:
    """Runs a command through call_command: (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*argv, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Runs the installed `cepa` entry point: (exit code, stdout, stderr)."""
    try:
        main(["cepa", *argv])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_decisions_app_owns_the_check_command() -> None:
    assert get_commands()["check"] == "cepa.decisions"


def test_testing_allowed_exits_0_with_json() -> None:
    code, out, err = run("check", "testing", "hk-lab-a", "0701", "--on", "2026-05-20")
    assert (code, err) == (0, "")
    decision = json.loads(out)
    assert decision["allowed"] is True
    assert decision["question"] == "testing"
    assert decision["on"] == "2026-05-20"
    # indent 2, non-ASCII kept as is
    assert out.startswith('{\n  "question": "testing",\n')
    assert out.endswith("}\n")


def test_refused_exits_1_with_json_and_nothing_on_stderr() -> None:
    code, out, err = run("check", "testing", "hk-lab-a", "0915", "--on", "2026-05-01")
    assert (code, err) == (1, "")
    decision = json.loads(out)
    assert decision["allowed"] is False
    assert [r["code"] for r in decision["reasons"] if not r["holds"]] == ["ACCREDITATION_SUSPENDED"]


def test_chinese_output_is_not_escaped() -> None:
    code, out, _ = run("check", "testing", "hk-lab-a", "0915", "--on", "2026-05-01", "--lang", "zh-Hant")
    assert code == 1
    assert "HOKLAS 901就0915自2026-05-01起暫停" in out


def test_inspection_and_designation_and_enquiry_exit_codes() -> None:
    assert run("check", "inspection", "CCAA-0001", "hk-cb-b", "0702", "--on", "2025-06-01")[0] == 0
    assert run("check", "inspection", "CCAA-0001", "hk-cb-b", "0702", "--on", "2025-01-10")[0] == 1
    assert run("check", "designation", "cn-lab-m", "0915", "--at", "2026-06-05T10:00:00+08:00")[0] == 0
    code, out, _ = run("check", "designation", "cn-lab-m", "0915", "--at", "2026-06-13T10:00:00+08:00")
    assert code == 1
    assert json.loads(out)["route"] == "plan"
    code, out, _ = run("check", "enquiry", "0701")
    assert code == 0
    assert json.loads(out)["sector"] == "electrical_electronic"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["testing", "nobody", "0701"], "cepa check: testing: SUBJECT: no organisation with id 'nobody'\n"),
        (
            ["testing", "hk-lab-a", "9999"],
            "cepa check: testing: PRODUCT_TYPE: unknown product type code '9999': no catalogue version has "
            "had it\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "--on", "2026-02-30"],
            "cepa check: testing: --on: no such date '2026-02-30'\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "--on", "30/01/2026"],
            "cepa check: testing: --on: malformed date '30/01/2026': expected YYYY-MM-DD\n",
        ),
        (
            ["designation", "cn-lab-m", "0915", "--at", "soon"],
            "cepa check: designation: --at: malformed timestamp 'soon': expected ISO 8601 such as "
            "2026-06-05T10:00:00+08:00\n",
        ),
        (
            ["testing", "hk-lab-a"],
            "cepa check: testing: missing argument PRODUCT_TYPE (usage: check testing SUBJECT "
            "PRODUCT_TYPE)\n",
        ),
        (
            ["inspection", "CCAA-0001"],
            "cepa check: inspection: missing argument ORG PRODUCT_TYPE (usage: check inspection SUBJECT ORG "
            "PRODUCT_TYPE)\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "extra"],
            "cepa check: testing: extra argument 'extra' (usage: check testing SUBJECT PRODUCT_TYPE)\n",
        ),
        (
            ["enquiry", "0701", "--on", "2026-01-01"],
            "cepa check: enquiry: --on: not accepted by the enquiry question\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "--at", "2026-01-01T00:00"],
            "cepa check: testing: --at: not accepted by the testing question\n",
        ),
        (
            ["designation", "cn-lab-m", "0915", "--on", "2026-01-01"],
            "cepa check: designation: --on: not accepted by the designation question\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "--lang", "fr"],
            "cepa check: testing: --lang: unknown language 'fr': use one of en, zh-Hant, zh-Hans\n",
        ),
        (
            ["inspection", "nobody", "hk-cb-b", "0701"],
            "cepa check: inspection: SUBJECT: no inspector with registration number 'nobody'\n",
        ),
        (
            ["testing", "hk-lab-a", "0701", "--deploy"],
            "cepa check: the testing question takes no system check options\n",
        ),
    ],
)
def test_bad_input_exits_2_with_message_on_stderr_and_nothing_on_stdout(
    argv: list[str], message: str
) -> None:
    assert run("check", *argv) == (2, "", message)


def test_question_options_without_a_question_are_bad_input() -> None:
    assert run("check", "--on", "2026-01-01") == (
        2,
        "",
        "cepa check: --on is only for a question (testing, inspection, designation, enquiry, certificate)\n",
    )


def test_plain_check_is_djangos_system_check() -> None:
    code, out, err = run("check")
    assert (code, err) == (0, "")
    assert out == "System check identified no issues (0 silenced).\n"
    code, out, _ = run("check", "decisions")
    assert (code, out) == (0, "System check identified no issues (0 silenced).\n")


# --- through the `cepa` entry point ----------------------------------------------------------------


def test_cli_allowed_and_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "check", "testing", "hk-lab-a", "0701", "--on", "2026-05-20")
    assert (code, err) == (0, "")
    assert json.loads(out)["allowed"] is True
    code, out, err = cli(capsys, "check", "testing", "hk-lab-a", "0701", "--on", "2028-01-01")
    assert (code, err) == (1, "")
    assert [r["code"] for r in json.loads(out)["reasons"] if not r["holds"]] == ["AGREEMENT_IN_FORCE"]


def test_cli_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "check", "testing", "hk-lab-a", "0701", "--on", "yesterday")
    assert (code, out) == (2, "")
    assert err == "cepa check: testing: --on: malformed date 'yesterday': expected YYYY-MM-DD\n"


def test_cli_option_without_value_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "check", "testing", "hk-lab-a", "0701", "--on")
    assert (code, out) == (2, "")
    assert "--on: expected one argument" in err


def test_cli_unknown_option_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "check", "enquiry", "0701", "--bogus")
    assert (code, out) == (2, "")
    assert "unrecognized arguments: --bogus" in err


def test_cli_enquiry_in_simplified_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "check", "enquiry", "2401", "--lang", "zh-hans")
    decision: dict[str, Any] = json.loads(out)
    assert code == 0
    assert decision["sector"] == "non_electrical_electronic"
