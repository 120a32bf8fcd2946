from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cepa.history.models import AppendOnlyError, Change, ChangeSet
from cepa.history.services import RecordChange, record_changes

pytestmark = pytest.mark.django_db


def write_one() -> ChangeSet:
    with transaction.atomic():
        changeset = record_changes(
            actor="test:officer",
            reason="first entry",
            channel="cli",
            changes=[RecordChange("organisations", "hk-lab-a", "create", None, {"id": "hk-lab-a"})],
        )
    assert changeset is not None
    return changeset


def test_record_changes_writes_changeset_and_rows() -> None:
    changeset = write_one()
    rows = list(Change.objects.filter(changeset=changeset).values_list("record_type", "record_id", "action"))
    assert rows == [("organisations", "hk-lab-a", "create")]
    assert changeset.actor == "test:officer"
    assert changeset.reason == "first entry"


def test_record_changes_requires_an_actor() -> None:
    change = RecordChange("organisations", "x", "create", None, {})
    changesets = ChangeSet.objects.count()  # the reference data loaded by migrate has its own
    with pytest.raises(ValueError), transaction.atomic():
        record_changes(actor="", reason="", channel="cli", changes=[change])
    assert ChangeSet.objects.count() == changesets


def test_application_cannot_update_or_delete_rows() -> None:
    changeset = write_one()
    change = Change.objects.get(changeset=changeset)
    change.action = "delete"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        Change.objects.filter(pk=change.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        ChangeSet.objects.all().delete()
    assert Change.objects.get(pk=change.pk).action == "create"


@pytest.mark.django_db(transaction=True)
def test_database_trigger_refuses_raw_update_and_delete() -> None:
    changeset = write_one()
    actions = list(Change.objects.values_list("action", flat=True))
    changesets = ChangeSet.objects.count()
    for statement in (
        "UPDATE history_change SET action = 'delete'",
        "DELETE FROM history_change",
        f"DELETE FROM history_changeset WHERE id = {changeset.pk}",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert list(Change.objects.values_list("action", flat=True)) == actions
    assert ChangeSet.objects.count() == changesets


@pytest.mark.django_db(transaction=True)
def test_record_changes_outside_a_transaction_is_refused() -> None:
    change = RecordChange("organisations", "x", "create", None, {})
    changesets = ChangeSet.objects.count()
    with pytest.raises(RuntimeError):
        record_changes(actor="a", reason="", channel="cli", changes=[change])
    assert ChangeSet.objects.count() == changesets
