"""Loading the shipped reference data: idempotent, recorded, all-or-nothing, part of migrate and flush."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cepa.catalogue.models import ProductType, ProductTypeChange, ReferenceDataRelease, RoutineScopeEntry
from cepa.catalogue.reference_data import DATA_DIR, ReferenceDataError, files_checksum
from cepa.catalogue.services import load_reference_data
from cepa.history.models import Change, ChangeSet

pytestmark = pytest.mark.django_db


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(data_dir: Path, name: str, change: Any) -> None:
    path = data_dir / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document[name])
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def snapshot() -> tuple[int, int, list[tuple[Any, ...]]]:
    fields = ("key", "name_en", "route", "applications_from")
    rows = list(ProductType.objects.order_by("key").values_list(*fields))
    return ChangeSet.objects.count(), Change.objects.count(), rows


def test_migrate_left_the_catalogue_loaded() -> None:
    release = ReferenceDataRelease.objects.get(name="catalogue")
    assert release.checksum == files_checksum()
    first = ChangeSet.objects.get(changes__record_type="catalogue.product_types", changes__record_id="0701")
    assert first.actor == "system:migrate"
    assert Change.objects.filter(record_type="catalogue.product_types", action="create").count() == 116


def test_a_second_load_writes_nothing() -> None:
    before = snapshot()
    loaded_at = ReferenceDataRelease.objects.get().loaded_at
    assert load_reference_data(actor="test:loader") is False
    assert snapshot() == before
    assert ReferenceDataRelease.objects.get().loaded_at == loaded_at


def test_migrate_again_writes_nothing() -> None:
    before = snapshot()
    call_command("migrate", verbosity=0, skip_checks=True)
    assert snapshot() == before


def test_the_load_command_reports_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot()
    call_command("load-reference-data")
    assert "nothing written" in capsys.readouterr().out
    assert snapshot() == before


def test_changed_files_update_create_and_delete_with_history(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)

    def change_types(rows: list[dict[str, Any]]) -> None:
        row = next(r for r in rows if r["key"] == "0702")
        row["name_en"] = "Electric fans (all kinds)"
        row["versions"] = ["SAMR-2023-36"]
        rows.remove(next(r for r in rows if r["key"] == "gas-emergency-shutoff-valves"))

    edit(data_dir, "product_types", change_types)
    edit(data_dir, "changes", lambda rows: rows.remove(
        next(r for r in rows if r["product_type"] == "gas-emergency-shutoff-valves")))
    sets_before = ChangeSet.objects.count()

    assert load_reference_data(actor="test:loader", data_dir=data_dir) is True

    fans = ProductType.objects.get(key="0702")
    assert fans.name_en == "Electric fans (all kinds)"
    assert list(fans.versions.values_list("key", flat=True)) == ["SAMR-2023-36"]
    assert not ProductType.objects.filter(key="gas-emergency-shutoff-valves").exists()
    assert ChangeSet.objects.count() == sets_before + 1
    changeset = ChangeSet.objects.latest("id")
    assert (changeset.actor, changeset.channel) == ("test:loader", "system")
    recorded = sorted(changeset.changes.values_list("record_type", "record_id", "action"))
    assert recorded == [
        ("catalogue.changes", "gas-emergency-shutoff-valves-added", "delete"),
        ("catalogue.product_types", "0702", "update"),
        ("catalogue.product_types", "gas-emergency-shutoff-valves", "delete"),
    ]
    update = changeset.changes.get(record_id="0702")
    assert update.before is not None and update.after is not None
    assert update.before["name_en"] == "Electric fans"
    assert update.after["name_en"] == "Electric fans (all kinds)"
    assert update.before["versions"] == ["SAMR-2020-18", "SAMR-2023-36"]
    assert ReferenceDataRelease.objects.get().checksum == files_checksum(data_dir)

    # Back to the shipped files: everything returns, again recorded.
    assert load_reference_data(actor="test:loader") is True
    assert ProductType.objects.get(key="0702").name_en == "Electric fans"
    assert ProductType.objects.filter(key="gas-emergency-shutoff-valves").exists()
    assert ProductTypeChange.objects.filter(key="gas-emergency-shutoff-valves-added").exists()


def test_invalid_files_write_nothing_and_name_the_problem(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)

    def break_types(rows: list[dict[str, Any]]) -> None:
        rows[0]["route"] = "by_magic"
        rows[1]["category"] = "nowhere"
        rows[2]["code"] = "0101"
        rows[3]["colour"] = "red"
        rows[4]["source"] = ""
        rows[5]["applications_from"] = "2020-02-30"

    edit(data_dir, "product_types", break_types)
    before = snapshot()
    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(actor="test:loader", data_dir=data_dir)
    assert error.value.errors == [
        "product_types.json /product_types/0/route: 'by_magic' is not a route",
        "product_types.json /product_types/3/colour: field not allowed",
        "product_types.json /product_types/4/source: must not be empty",
        "product_types.json /product_types/5/applications_from: '2020-02-30' is not a date YYYY-MM-DD",
    ]
    assert snapshot() == before


def test_broken_references_and_duplicate_codes_are_refused(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)

    def break_types(rows: list[dict[str, Any]]) -> None:
        rows[1]["category"] = "nowhere"
        rows[2]["code"] = "0101"

    edit(data_dir, "product_types", break_types)
    before = snapshot()
    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(actor="test:loader", data_dir=data_dir)
    assert error.value.errors == [
        "product_types.json /product_types/1/category: unknown categories 'nowhere'",
        "product_types.json /product_types/2: code 0101 of '0105' is also held by '0101'",
    ]
    assert snapshot() == before


def test_an_actor_is_required() -> None:
    with pytest.raises(ValueError, match="actor"):
        load_reference_data(actor=" ")


@pytest.mark.django_db(transaction=True)
def test_flush_loads_the_catalogue_again() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert ProductType.objects.count() == 116
    assert RoutineScopeEntry.objects.exists()
    changeset = ChangeSet.objects.get()
    assert changeset.actor == "system:flush"
