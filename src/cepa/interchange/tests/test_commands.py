"""`cepa import`, `cepa export` and `cepa schema` through the `cepa` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cepa.interchange.schema import SCHEMA
from cepa.interchange.services import document_json, export_document
from cepa.interchange.tests.helpers import SAMPLE, mutated, row_counts, run_cepa, sample, sample_text

pytestmark = pytest.mark.django_db
Capture = pytest.CaptureFixture[str]

SUMMARY = """organisations: 4 created, 0 updated, 0 unchanged
accreditations: 2 created, 0 updated, 0 unchanged
designations: 1 created, 0 updated, 0 unchanged
agreements: 2 created, 0 updated, 0 unchanged
plans: 1 created, 0 updated, 0 unchanged
expressions_of_interest: 1 created, 0 updated, 0 unchanged
inspectors: 1 created, 0 updated, 0 unchanged
"""


def test_import_of_the_sample_exits_0(capsys: Capture) -> None:
    code, out, err = run_cepa(capsys, "import", str(SAMPLE))
    assert (code, err) == (0, "")
    assert out.startswith(SUMMARY)
    assert out.splitlines()[-1].startswith("recorded as change set ")
    code, out, err = run_cepa(capsys, "import", str(SAMPLE))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "no changes: nothing recorded"


def test_import_from_standard_input(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_cepa(capsys, "import", "-", stdin=sample_text().encode(), monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert out.startswith(SUMMARY)


def test_refused_import_exits_2_with_one_line_per_problem(capsys: Capture, tmp_path: Path) -> None:
    def change(document: dict) -> None:
        document["agreements"][1]["counterparty"] = "cn-cb-x"
        document["organisations"][0]["colour"] = "blue"
        document["agreements"][0]["until"] = "2021-01-01"

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(mutated(change)), encoding="utf-8")
    before = row_counts()
    code, out, err = run_cepa(capsys, "import", str(path))
    assert (code, out) == (2, "")
    assert err == (
        "/organisations/0/colour: field not in the cepa-registry/1 format\n"
        "/agreements/0/until: until 2021-01-01 is before from 2021-03-01\n"
        '/agreements/1/counterparty: unknown organisation "cn-cb-x"\n'
    )
    assert row_counts() == before


def test_invalid_json_exits_2(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "cepa-registry/1"', encoding="utf-8")
    code, out, err = run_cepa(capsys, "import", str(path))
    assert (code, out) == (2, "")
    assert err == ": invalid JSON: Expecting ',' delimiter at line 1 column 29\n"


def test_unreadable_file_and_missing_argument_exit_2(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    code, out, err = run_cepa(capsys, "import", str(missing))
    assert (code, out) == (2, "")
    assert err == f"cepa import: cannot read {missing}: No such file or directory\n"
    code, out, err = run_cepa(capsys, "import")
    assert (code, out) == (2, "")
    assert "the following arguments are required: file" in err


def test_export_writes_the_document(capsys: Capture, tmp_path: Path) -> None:
    run_cepa(capsys, "import", str(SAMPLE))
    code, out, err = run_cepa(capsys, "export")
    assert (code, err) == (0, "")
    assert out == document_json(export_document())
    assert json.loads(out)["format"] == "cepa-registry/1"
    target = tmp_path / "registry.json"
    code, out, err = run_cepa(capsys, "export", "--out", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == document_json(export_document())
    assert [p.name for p in tmp_path.iterdir()] == ["registry.json"]


def test_schema_command_prints_a_valid_draft_2020_12_schema(capsys: Capture) -> None:
    code, out, err = run_cepa(capsys, "schema")
    assert (code, err) == (0, "")
    printed = json.loads(out)
    assert printed == SCHEMA
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(printed)
    assert list(Draft202012Validator(printed).iter_errors(sample())) == []
    assert list(Draft202012Validator(printed).iter_errors(export_document())) == []
