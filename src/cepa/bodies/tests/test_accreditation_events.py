"""HKAS records a status change of an accreditation, whole or part of its scope (cepa.bodies.services):
validated like an imported event, final withdrawals kept final, and recorded in the history with the
record before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cepa.bodies.models import AccreditationEvent
from cepa.bodies.services import record_accreditation_event
from cepa.errors import Conflict, InvalidInput, NotAllowed
from cepa.history.models import Change
from cepa.testing import factories
from cepa.testing.personas import cnca_officer, hkas_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hkas() -> Any:
    factories.organisation("hk-lab-a", "laboratory", "HK")
    factories.accreditation("HOKLAS 1", "hk-lab-a", "HOKLAS", "2020-01-01", scope=["0701", "0702"])
    return hkas_officer().user


def suspend(user: Any, **changes: Any) -> AccreditationEvent:
    options: dict[str, Any] = {
        "actor": "user:hkas",
        "user": user,
        "accreditation_id": "HOKLAS 1",
        "status": "suspended",
        "on": dt.date(2026, 5, 1),
        "scope": ["0702"],
        "reason": "Proficiency test failed",
        "channel": "web",
        **changes,
    }
    return record_accreditation_event(**options)


def test_part_of_the_scope_is_suspended_and_the_history_keeps_before_and_after(hkas: Any) -> None:
    event = suspend(hkas)
    assert (event.position, event.status, event.scope, event.on) == (
        0,
        "suspended",
        ["0702"],
        dt.date(2026, 5, 1),
    )
    change = Change.objects.get(record_type="accreditations", record_id="HOKLAS 1", action="update")
    before, after = change.before or {}, change.after or {}
    assert before.get("events", []) == []
    assert after["events"] == [
        {"on": "2026-05-01", "status": "suspended", "scope": ["0702"], "reason": "Proficiency test failed"}
    ]
    assert (change.changeset.actor, change.changeset.channel, change.changeset.reason) == (
        "user:hkas",
        "web",
        "Proficiency test failed",
    )


def test_the_same_status_again_is_a_conflict(hkas: Any) -> None:
    suspend(hkas)
    with pytest.raises(Conflict):
        suspend(hkas, on=dt.date(2026, 6, 1))
    assert AccreditationEvent.objects.count() == 1


def test_withdrawal_is_final(hkas: Any) -> None:
    suspend(hkas, status="withdrawn", scope=None)
    with pytest.raises(Conflict):
        suspend(hkas, status="active", on=dt.date(2026, 6, 1), scope=["0701"])
    assert AccreditationEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on": dt.date(2019, 12, 31)}, "on"),
        ({"on": "1 May 2026"}, "on"),
        ({"scope": ["0901"]}, "scope"),
        ({"scope": []}, "scope"),
        ({"status": "revoked"}, "status"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(hkas: Any, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        suspend(hkas, **changes)
    assert refused.value.field == field
    assert AccreditationEvent.objects.count() == 0
    assert not Change.objects.filter(record_type="accreditations", action="update").exists()


def test_an_event_before_the_latest_is_refused(hkas: Any) -> None:
    suspend(hkas)
    with pytest.raises(InvalidInput) as refused:
        suspend(hkas, status="active", on=dt.date(2026, 4, 1))
    assert refused.value.errors == {"on": "must not be before the latest event (2026-05-01)"}
    assert AccreditationEvent.objects.count() == 1


def test_only_hkas_officers_may(hkas: Any) -> None:
    with pytest.raises(NotAllowed):
        suspend(cnca_officer().user)
    assert AccreditationEvent.objects.count() == 0
