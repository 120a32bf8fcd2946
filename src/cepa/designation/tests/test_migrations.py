"""The data migration of contract rev. 2: designations made by approved applications are in force from
the day of approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cepa.bodies.models import Designation
from cepa.designation.models import Application
from cepa.history.models import Change

BEFORE = ("designation", "0003_objection_status_label")
AFTER = ("designation", "0004_designation_in_force_on_approval")
REASON = "contract rev. 2: CNCA's designation decisions take effect on publication"


def _targets(designation: tuple[str, str]) -> list[tuple[str, str]]:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [node for node in leaves if node[0] != "designation"] + [designation]


@pytest.fixture
def back_to_the_latest_migrations() -> Iterator[None]:
    """The database ends fully migrated, whatever the test did: later tests (and the flush that reloads
    the catalogue) need every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_designations_already_made_start_on_the_day_of_approval() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(_targets(BEFORE))
    old = executor.loader.project_state(_targets(BEFORE)).apps
    old.get_model("bodies", "Organisation").objects.create(
        id="cn-lab-x", name_en="X Laboratory", kind="laboratory", seat="MAINLAND"
    )
    designation = old.get_model("bodies", "Designation").objects.create(
        id="CNCA-APPLICATION-1",
        organisation_id="cn-lab-x",
        role="laboratory",
        valid_from=dt.date(2026, 10, 23),
        basis="CNCA designation approved 2026-09-24 on application 1",
    )
    old.get_model("bodies", "DesignationScope").objects.create(designation=designation, product_type="0915")
    approved = dict(
        organisation_id="cn-lab-x",
        product_types=["0915"],
        status="approved",
        route="routine",
        created=dt.datetime(2026, 9, 10, 2, 0, tzinfo=dt.UTC),
        objection_period_ends=dt.date(2026, 10, 22),
        designation_from=dt.date(2026, 10, 23),
    )
    Old = old.get_model("designation", "Application")
    # Approved at 16:00 Beijing time on 24 September (08:00 UTC); and one late in the evening, whose
    # Beijing date is the next day's UTC date.
    Old.objects.create(
        pk=1, designation=designation, decided=dt.datetime(2026, 9, 24, 8, 0, tzinfo=dt.UTC), **approved
    )
    Old.objects.create(
        pk=2,
        decided=dt.datetime(2026, 9, 24, 17, 0, tzinfo=dt.UTC),
        designation_cancelled=dt.datetime(2026, 10, 9, 2, 0, tzinfo=dt.UTC),
        **approved,
    )
    Old.objects.create(
        pk=3,
        organisation_id="cn-lab-x",
        product_types=["0915"],
        status="under_review",
        route="routine",
        created=dt.datetime(2026, 9, 10, 2, 0, tzinfo=dt.UTC),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(_targets(AFTER))

    assert [
        (a.pk, a.designation_from, a.objection_period_ends) for a in Application.objects.order_by("pk")
    ] == [
        (1, dt.date(2026, 9, 24), dt.date(2026, 10, 22)),
        (2, dt.date(2026, 9, 25), dt.date(2026, 10, 22)),
        (3, None, None),
    ]
    assert Designation.objects.get(pk="CNCA-APPLICATION-1").valid_from == dt.date(2026, 9, 24)
    moves = Change.objects.filter(changeset__reason=REASON).order_by("pk")
    start = {"designations": "from", "designation.applications": "designation_from"}
    assert [
        (c.record_type, c.record_id, c.action, c.before[start[c.record_type]], c.after[start[c.record_type]])
        for c in moves
    ] == [
        ("designation.applications", "1", "update", "2026-10-23", "2026-09-24"),
        ("designations", "CNCA-APPLICATION-1", "update", "2026-10-23", "2026-09-24"),
        ("designation.applications", "2", "update", "2026-10-23", "2026-09-25"),
    ]
    assert moves[1].after == {
        "id": "CNCA-APPLICATION-1",
        "organisation": "cn-lab-x",
        "role": "laboratory",
        "product_types": ["0915"],
        "from": "2026-09-24",
        "basis": "CNCA designation approved 2026-09-24 on application 1",
    }
    events = {a.pk: list(a.events.values_list("event", "reason")) for a in Application.objects.all()}
    assert events[1] == [
        ("designation_start_moved", f"{REASON}: designation in force from 2026-09-24, not 2026-10-23")
    ]
    assert events[2] == [
        (
            "designation_start_moved",
            f"{REASON}: designation in force from 2026-09-25, not 2026-10-23 (its designation was removed "
            "on an upheld objection before and is not restored)",
        )
    ]
    assert events[3] == []
