"""The acceptance sample: import registry-sample.json, then every expected case through `cepa`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cepa.cli import main
from cepa.interchange.services import import_document

# The project's own copies of the contract's samples (.ci/run checks they match the shared ones).
EXPECTED = Path(__file__).resolve().parent / "data" / "expected-sample.json"
REGISTRIES = Path(__file__).resolve().parents[2] / "interchange" / "tests" / "data"
# A more specific code may stand for the contract's general one (expected-sample.json, "notes").
STANDS_FOR = {
    "ACCREDITATION_SUSPENDED": "ACCREDITATION_ACTIVE",
    "ACCREDITATION_WITHDRAWN": "ACCREDITATION_ACTIVE",
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("keep_connections"),
]


def cases() -> list[dict[str, Any]]:
    return list(json.loads(EXPECTED.read_text(encoding="utf-8"))["cases"])


@pytest.fixture
def sample_registry() -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    document = (REGISTRIES / expected["registry"]).read_text(encoding="utf-8")
    import_document(actor="test:acceptance", document=document, reason="acceptance sample")


@pytest.mark.usefixtures("sample_registry")
@pytest.mark.parametrize("case", cases(), ids=lambda case: " ".join(case["argv"][1:]))
def test_sample_case(case: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code: int | str | None = 0
    try:
        main(["cepa", *case["argv"]])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert captured.err == ""
    decision = json.loads(captured.out)
    question = case["argv"][1]
    refused = not case["allowed"] and question != "enquiry"
    assert code == (1 if refused else 0)
    assert decision["allowed"] is case["allowed"]
    failing = {STANDS_FOR.get(r["code"], r["code"]) for r in decision["reasons"] if not r["holds"]}
    assert failing == set(case.get("failing", []))
    if "route" in case:
        assert decision["route"] == case["route"]
    if "sector" in case:
        assert decision["sector"] == case["sector"]
