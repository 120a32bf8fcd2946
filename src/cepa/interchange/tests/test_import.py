"""Import and export of cepa-registry/1: the sample, round trips, idempotency, upsert, history."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction

from cepa.bodies.models import Accreditation, AccreditationEvent, AccreditationScope, Organisation
from cepa.designation.models import Plan, PlanStatus
from cepa.history.models import Change, ChangeSet
from cepa.interchange.records import canonical, model_rows, record_of
from cepa.interchange.services import (
    ImportResult,
    ListCounts,
    document_json,
    export_document,
    import_document,
)
from cepa.interchange.tests.helpers import canonical_form, row_counts, sample, sample_text
from cepa.personnel.models import Inspector

pytestmark = pytest.mark.django_db


def changeset_of(result: ImportResult) -> int:
    assert result.changeset_id is not None
    return result.changeset_id


def test_sample_imports_with_one_change_set(actor: str) -> None:
    changesets = ChangeSet.objects.count()
    result = import_document(actor=actor, document=sample_text(), reason="sample")
    assert result.counts["organisations"] == ListCounts(created=4)
    assert result.counts["accreditations"] == ListCounts(created=2)
    assert result.counts["agreements"] == ListCounts(created=2)
    assert result.counts["inspectors"] == ListCounts(created=1)
    assert (result.created, result.updated, result.unchanged) == (12, 0, 0)
    assert ChangeSet.objects.count() == changesets + 1
    changeset = ChangeSet.objects.get(pk=changeset_of(result))
    assert (changeset.actor, changeset.reason, changeset.channel) == (actor, "sample", "import")
    assert changeset.changes.count() == 12
    assert set(changeset.changes.values_list("action", flat=True)) == {"create"}


def test_export_of_the_sample_is_its_canonical_form(actor: str) -> None:
    import_document(actor=actor, document=sample())
    exported = export_document()
    assert exported == canonical_form(sample())
    # Spot checks of the canonical form, independent of the helper.
    harbour = next(o for o in exported["organisations"] if o["id"] == "hk-lab-harbour")
    assert harbour == {
        "id": "hk-lab-harbour",
        "name": {
            "en": "Harbour Product Testing Ltd",
            "zh-Hant": "海港產品測試有限公司",
            "zh-Hans": "海港产品测试有限公司",
        },
        "kind": "laboratory",
        "seat": "HK",
        "hk_invested": False,
    }
    assert [a["id"] for a in exported["accreditations"]] == ["HKCAS 041", "HOKLAS 950"]
    assert "events" not in exported["accreditations"][0]
    assert exported["agreements"][1] == {
        "id": "AGR-2025-003", "kind": "factory_inspection", "party": "hk-cb-lionrock",
        "counterparty": "cn-cb-east", "product_types": ["0701", "0702"], "from": "2025-03-01",
    }
    assert exported["plans"][0]["window"] == {
        "opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00",
    }


def test_export_import_into_an_empty_registry_export_is_identical(actor: str) -> None:
    with transaction.atomic():
        import_document(actor=actor, document=sample())
        first = document_json(export_document())
        transaction.set_rollback(True)
    assert Organisation.objects.count() == 0
    import_document(actor=actor, document=first)
    assert document_json(export_document()) == first


def test_same_document_twice_changes_nothing_and_records_no_change_set(actor: str) -> None:
    import_document(actor=actor, document=sample())
    exported = export_document()
    counts = row_counts()
    result = import_document(actor=actor, document=sample())
    assert result.changeset_id is None
    assert result.counts["organisations"] == ListCounts(unchanged=4)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 12)
    assert row_counts() == counts
    assert export_document() == exported


def test_differently_ordered_codes_and_nulls_are_the_same_record(actor: str) -> None:
    import_document(actor=actor, document=sample())
    again = sample()
    again["agreements"][0]["product_types"].reverse()
    again["agreements"][0].pop("terminated_on")
    again["accreditations"][1].pop("events")
    assert import_document(actor=actor, document=again).changeset_id is None


def test_upsert_replaces_the_whole_record_and_leaves_others(actor: str) -> None:
    import_document(actor=actor, document=sample())
    before = export_document()
    update = {
        "format": "cepa-registry/1",
        "accreditations": [
            {"id": "HOKLAS 950", "organisation": "hk-lab-harbour", "scheme": "HOKLAS",
             "scope": ["0701"], "granted": "2020-09-01"},
        ],
    }
    result = import_document(actor=actor, document=update, reason="scope reduced")
    assert result.counts["accreditations"] == ListCounts(updated=1)
    assert result.counts["organisations"] == ListCounts()
    after = export_document()
    assert after["accreditations"] == [before["accreditations"][0], update["accreditations"][0]]
    for name in before:
        if name != "accreditations":
            assert after[name] == before[name]
    assert list(AccreditationScope.objects.filter(accreditation_id="HOKLAS 950").values_list(
        "product_type", flat=True)) == ["0701"]
    assert AccreditationEvent.objects.filter(accreditation_id="HOKLAS 950").count() == 0
    change = Change.objects.get(changeset_id=changeset_of(result))
    assert (change.record_type, change.record_id, change.action) == ("accreditations", "HOKLAS 950", "update")
    assert change.before == before["accreditations"][1]
    assert change.after == update["accreditations"][0]


def test_references_resolve_against_the_registry(actor: str) -> None:
    organisations = {"format": "cepa-registry/1", "organisations": sample()["organisations"]}
    import_document(actor=actor, document=organisations)
    rest = sample()
    del rest["organisations"]
    result = import_document(actor=actor, document=rest)
    assert result.counts["agreements"] == ListCounts(created=2)
    assert export_document() == canonical_form(sample())


def test_replacing_an_inspector_keeps_personal_data_and_never_exports_it(actor: str) -> None:
    import_document(actor=actor, document=sample())
    Inspector.objects.filter(pk="2024-CCC-HK-0007").update(
        email="wong@example.org", phone="+852 0000 0000", identity_document="A123456(7)"
    )
    changed = sample()
    changed["inspectors"][0]["expires"] = "2027-12-31"
    changed["inspectors"][0]["events"] = [{"on": "2025-03-01", "grade": "senior"}]
    result = import_document(actor=actor, document=changed)
    assert result.counts["inspectors"] == ListCounts(updated=1)
    inspector = Inspector.objects.get(pk="2024-CCC-HK-0007")
    assert (inspector.email, inspector.phone, inspector.identity_document) == (
        "wong@example.org", "+852 0000 0000", "A123456(7)",
    )
    text = document_json(export_document())
    assert "wong@example.org" not in text and "A123456" not in text
    exported = export_document()["inspectors"][0]
    assert exported["expires"] == "2027-12-31"
    assert exported["events"] == [{"on": "2025-03-01", "grade": "senior"}]
    change = Change.objects.get(changeset_id=changeset_of(result))
    assert change.before is not None and change.after is not None
    assert "email" not in change.before and "email" not in change.after


def test_timestamps_without_offset_are_beijing_time_and_export_with_offset(actor: str) -> None:
    document = sample()
    document["plans"][0]["window"] = {"opens": "2026-06-02T09:00", "closes": "2026-06-12T09:00:00Z"}
    document["expressions_of_interest"][0]["submitted"] = "2026-03-20T11:15:00.250000"
    import_document(actor=actor, document=document)
    plan = Plan.objects.get()
    assert plan.opens == datetime(2026, 6, 2, 1, 0, tzinfo=UTC)
    assert plan.status == PlanStatus.PUBLISHED
    exported = export_document()
    assert exported["plans"][0]["window"] == {
        "opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00",
    }
    assert exported["expressions_of_interest"][0]["submitted"] == "2026-03-20T11:15:00.250000+08:00"


def test_draft_plans_are_not_exported_and_a_closed_plan_shows_its_early_close(actor: str) -> None:
    import_document(actor=actor, document=sample())
    Plan.objects.create(
        id="2026-9", year=2026, role="laboratory", product_types=["0701"], status=PlanStatus.DRAFT,
        opens=datetime(2026, 7, 1, 1, 0, tzinfo=UTC), closes=datetime(2026, 7, 10, 9, 0, tzinfo=UTC),
    )
    Plan.objects.filter(pk="2026-1").update(
        status=PlanStatus.CLOSED, closed_early_at=datetime(2026, 6, 5, 4, 0, tzinfo=UTC), close_reason="full",
    )
    exported = export_document()
    assert [p["id"] for p in exported["plans"]] == ["2026-1"]
    assert exported["plans"][0]["window"]["closes"] == "2026-06-05T12:00:00+08:00"
    # Importing the export again changes nothing: the plan stays closed early.
    assert import_document(actor=actor, document=exported).changeset_id is None
    assert Plan.objects.get(pk="2026-1").status == PlanStatus.CLOSED


def test_empty_registry_exports_only_the_format() -> None:
    assert export_document() == {"format": "cepa-registry/1"}


def test_document_json_is_stable_utf8_text(actor: str) -> None:
    import_document(actor=actor, document=sample())
    text = document_json(export_document())
    assert text.startswith('{\n  "format": "cepa-registry/1",\n  "organisations": [\n')
    assert "海港產品測試有限公司" in text
    assert text.endswith("}\n")
    assert document_json(export_document()) == text


def test_record_helpers_agree_with_export(actor: str) -> None:
    import_document(actor=actor, document=sample())
    exported = export_document()
    assert record_of(Accreditation.objects.get(pk="HOKLAS 950")) == exported["accreditations"][1]
    assert record_of(Inspector.objects.get()) == exported["inspectors"][0]
    assert canonical("agreements", sample()["agreements"][0]) == exported["agreements"][0]
    parent, children = model_rows("accreditations", sample()["accreditations"][0])
    assert isinstance(parent, Accreditation) and parent.organisation_id == "hk-lab-harbour"
    assert sorted(type(child).__name__ for child in children) == [
        "AccreditationEvent", "AccreditationScope", "AccreditationScope", "AccreditationScope",
    ]


def test_import_result_counts_every_list(actor: str) -> None:
    result = import_document(actor=actor, document={"format": "cepa-registry/1"})
    assert result == ImportResult(counts={name: ListCounts() for name in result.counts}, changeset_id=None)
    assert list(result.counts) == [
        "organisations", "accreditations", "designations", "agreements", "plans",
        "expressions_of_interest", "inspectors",
    ]


def test_an_actor_is_required() -> None:
    with pytest.raises(ValueError):
        import_document(actor="", document=sample())
    assert Organisation.objects.count() == 0


def _bump(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["organisations"][0]["note"] = "renamed"
    return changed


def test_history_rows_have_before_and_after(actor: str) -> None:
    first = import_document(actor=actor, document=sample())
    second = import_document(actor="test:other", document=_bump(sample()), reason="note added")
    created = Change.objects.get(changeset_id=changeset_of(first), record_id="hk-lab-harbour")
    assert created.before is None
    assert created.after == canonical("organisations", sample()["organisations"][0])
    updated = Change.objects.get(changeset_id=changeset_of(second))
    assert updated.record_type == "organisations"
    assert updated.before is not None and updated.after is not None
    assert "note" not in updated.before
    assert updated.after["note"] == "renamed"
    assert updated.changeset.actor == "test:other"


CONTACT = {
    "website": "https://harbour.example/",
    "email": "ccc@harbour.example",
    "address": {"zh-Hant": "香港九龍海港道 1 號", "en": "1 Harbour Road, Kowloon, Hong Kong"},
    "phone": "+852 2345 6789",
}


def test_contact_details_are_published_as_given_and_round_trip(actor: str) -> None:
    document = sample()
    document["organisations"][0]["contact"] = CONTACT
    document["organisations"][1]["contact"] = {}  # no details: nothing to publish
    with transaction.atomic():
        import_document(actor=actor, document=document)
        exported = export_document()
        first = document_json(exported)
        transaction.set_rollback(True)
    by_id = {o["id"]: o for o in exported["organisations"]}
    harbour, other = by_id[document["organisations"][0]["id"]], by_id[document["organisations"][1]["id"]]
    # In the contract's order: address (en, zh-Hant, zh-Hans), phone, email, website; after the fields.
    assert list(harbour)[-1] == "contact"
    assert list(harbour["contact"].items()) == [
        ("address", {"en": "1 Harbour Road, Kowloon, Hong Kong", "zh-Hant": "香港九龍海港道 1 號"}),
        ("phone", "+852 2345 6789"),
        ("email", "ccc@harbour.example"),
        ("website", "https://harbour.example/"),
    ]
    assert list(harbour["contact"]["address"]) == ["en", "zh-Hant"]
    assert "contact" not in other
    import_document(actor=actor, document=first)
    assert document_json(export_document()) == first
    # The same details in another key order are the same record.
    assert import_document(actor=actor, document=document).changeset_id is None
    # Dropping them replaces the record, and the history keeps the old details.
    document["organisations"][0].pop("contact")
    result = import_document(actor=actor, document=document)
    change = Change.objects.get(changeset_id=changeset_of(result), record_id=harbour["id"])
    assert change.before is not None and change.after is not None
    assert (change.before["contact"]["phone"], "contact" in change.after) == ("+852 2345 6789", False)
    assert Organisation.objects.get(pk=harbour["id"]).contact == {}
