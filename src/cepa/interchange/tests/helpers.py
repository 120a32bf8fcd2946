"""Shared helpers for the interchange tests."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connections

from cepa import cli
from cepa.bodies import models as bodies
from cepa.designation import models as designation
from cepa.history import models as history
from cepa.personnel import models as personnel

# The project's own copy of the contract's sample registry: the tests need nothing beside the checkout
# (.ci/run checks the copy still matches the contract's).
SAMPLE = Path(__file__).resolve().parent / "data" / "registry-sample.json"

TABLES = [
    bodies.Organisation, bodies.Accreditation, bodies.AccreditationScope, bodies.AccreditationEvent,
    bodies.Designation, bodies.DesignationScope, bodies.Agreement, bodies.AgreementScope,
    designation.Plan, designation.ExpressionOfInterest,
    personnel.Inspector, personnel.Affiliation, personnel.InspectorEvent,
    history.ChangeSet, history.Change,
]


def sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def row_counts() -> dict[str, int]:
    """Rows in every registry and history table."""
    return {model._meta.label: model._default_manager.count() for model in TABLES}


def canonical_form(document: dict[str, Any]) -> dict[str, Any]:
    """What export should give for a document: lists sorted by id, code lists sorted, empty optional
    fields (null, empty lists) left out. Written independently of the importer, from the contract."""
    required_lists = {"scope", "product_types", "specialties", "affiliations"}

    def clean(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {
                k: clean(v, k)
                for k, v in value.items()
                if v is not None and v != "" and not (v == [] and k not in required_lists)
            }
        if isinstance(value, list):
            items = [clean(item) for item in value]
            if key in {"scope", "product_types", "specialties"}:
                return sorted(items)
            if key == "affiliations":
                return sorted(items, key=lambda a: (a["from"], a["organisation"], a.get("until") or "9999"))
            return items
        return value

    document = copy.deepcopy(document)
    for organisation in document.get("organisations") or []:
        organisation.setdefault("hk_invested", False)  # a default, not an empty field: always written
    result: dict[str, Any] = {"format": document["format"]}
    for name, records in document.items():
        if name != "format" and records:
            result[name] = sorted((clean(record) for record in records), key=lambda r: r["id"])
    return clean(result)


def mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(sample())
    change(document)
    return document


def run_cepa(capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None,
             monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    """Runs the `cepa` command in-process: (exit code, stdout, stderr)."""
    if stdin is not None:
        assert monkeypatch is not None
        fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        monkeypatch.setattr("sys.stdin", fake)
    capsys.readouterr()
    # A management command closes every connection when it ends; the test's transaction lives on one.
    try:
        with mock.patch.object(connections, "close_all", lambda: None):
            cli.main(["cepa", *argv])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
