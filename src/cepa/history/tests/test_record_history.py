"""A record's history through the public API and `cepa history`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from cepa.history.diff import FieldChange, field_changes
from cepa.history.services import RecordChange, record_changes
from cepa.interchange.services import import_document
from cepa.interchange.tests.helpers import run_cepa, sample

pytestmark = pytest.mark.django_db
Capture = pytest.CaptureFixture[str]


def two_imports() -> tuple[int, int]:
    first = import_document(actor="test:officer", document=sample(), reason="initial load")
    changed = sample()
    changed["accreditations"][0]["scope"] = ["0701", "0702"]
    changed["accreditations"][0]["events"] = []
    second = import_document(actor="test:hkas", document=changed, reason="scope reduced", channel="api")
    assert first.changeset_id and second.changeset_id
    return first.changeset_id, second.changeset_id


def test_api_lists_the_changes_oldest_first(django_assert_max_num_queries: Any) -> None:
    first, second = two_imports()
    with django_assert_max_num_queries(5):
        response = Client().get("/api/v1/history/HOKLAS%20950")
    assert response.status_code == 200
    body = response.json()
    assert body["record_id"] == "HOKLAS 950"
    summary = [(c["changeset"], c["action"], c["actor"], c["channel"], c["reason"]) for c in body["changes"]]
    assert summary == [
        (first, "create", "test:officer", "import", "initial load"),
        (second, "update", "test:hkas", "api", "scope reduced"),
    ]
    update = body["changes"][1]
    assert update["fields"] == ["events", "scope"]
    assert update["before"]["scope"] == ["0701", "0702", "0915"]
    assert update["after"]["scope"] == ["0701", "0702"]
    assert "events" not in update["after"]
    assert update["at"].endswith("+08:00")


def test_api_filters_by_list_and_answers_404_for_unknown_records() -> None:
    two_imports()
    response = Client().get("/api/v1/history/hk-lab-harbour", {"type": "organisations"})
    assert response.status_code == 200
    assert [c["record_type"] for c in response.json()["changes"]] == ["organisations"]
    response = Client().get("/api/v1/history/hk-lab-harbour", {"type": "agreements"})
    assert response.status_code == 404
    assert response.json() == {
        "code": "NOT_FOUND", "message": "no recorded changes for 'hk-lab-harbour' in agreements",
    }
    assert Client().get("/api/v1/history/nobody").status_code == 404


def test_api_keeps_account_history_private() -> None:
    with transaction.atomic():
        record_changes(actor="test:admin", reason="", channel="cli", changes=[
            RecordChange("accounts.users", "alice", "create", None, {"username": "alice"}),
        ])
    assert Client().get("/api/v1/history/alice").status_code == 404


def test_api_serves_ids_with_slashes() -> None:
    document = {"format": "cepa-registry/1", "organisations": [
        {"id": "a/b", "name": {"en": "Slash Ltd"}, "kind": "laboratory", "seat": "HK"},
    ]}
    import_document(actor="test:officer", document=document)
    response = Client().get("/api/v1/history/a/b")
    assert response.status_code == 200
    assert response.json()["changes"][0]["after"]["name"] == {"en": "Slash Ltd"}


def test_command_prints_who_when_why_and_what_changed(capsys: Capture) -> None:
    first, second = two_imports()
    code, out, err = run_cepa(capsys, "history", "HOKLAS 950")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].endswith(f"  change set {first}  by test:officer via import: initial load")
    assert lines[1] == "  create accreditations HOKLAS 950"
    assert '    id: (absent) -> "HOKLAS 950"' in lines
    update_at = lines.index("  update accreditations HOKLAS 950")
    assert lines[update_at - 1].endswith(f"  change set {second}  by test:hkas via api: scope reduced")
    assert lines[update_at + 1:] == [
        '    events: [{"on": "2026-02-01", "reason": "voluntary", "scope": ["0915"], "status": "suspended"}]'
        " -> (absent)",
        '    scope: ["0701", "0702", "0915"] -> ["0701", "0702"]',
    ]


def test_command_json_and_type_filter(capsys: Capture) -> None:
    two_imports()
    code, out, err = run_cepa(capsys, "history", "HOKLAS 950", "--type", "accreditations", "--json")
    assert (code, err) == (0, "")
    body = json.loads(out)
    assert body["record_type"] == "accreditations"
    assert [c["action"] for c in body["changes"]] == ["create", "update"]


def test_command_exits_2_for_a_record_without_history(capsys: Capture) -> None:
    code, out, err = run_cepa(capsys, "history", "nobody")
    assert (code, out) == (2, "")
    assert err == "cepa history: no recorded changes for 'nobody'\n"


def test_field_changes_by_name() -> None:
    assert field_changes({"a": 1, "b": 2, "c": 3}, {"a": 1, "c": 4, "d": 5}) == [
        FieldChange("b", 2, None), FieldChange("c", 3, 4), FieldChange("d", None, 5),
    ]
    assert field_changes(None, {"a": 1}) == [FieldChange("a", None, 1)]
