"""The loaders' fast fact builders build exactly what the dataclass constructors build."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cepa.rules import facts

DAY = dt.date(2026, 1, 2)
LATER = dt.date(2027, 3, 4)
SCOPE = frozenset({"0301"})


def _same(built: object, expected: object) -> None:
    assert type(built) is type(expected)
    assert built == expected
    assert hash(built) == hash(expected)
    assert dataclasses.astuple(built) == dataclasses.astuple(expected)  # type: ignore[call-overload]


def test_organisation_builder_equals_constructor() -> None:
    name = facts.Name("Lab", "實驗室", "实验室")
    _same(
        facts.organisation("O1", "laboratory", "HK", True, name),
        facts.Organisation("O1", "laboratory", "HK", True, name),
    )
    _same(
        facts.organisation("O2", "laboratory", "HK", False, None),
        facts.Organisation("O2", "laboratory", "HK"),
    )


def test_accreditation_builder_equals_constructor() -> None:
    events = (facts.AccreditationEvent(DAY, facts.SUSPENDED, None),)
    _same(
        facts.accreditation("A1", "O1", facts.HOKLAS, DAY, SCOPE, events),
        facts.Accreditation("A1", "O1", facts.HOKLAS, DAY, SCOPE, events),
    )


def test_designation_and_agreement_builders_equal_constructors() -> None:
    _same(
        facts.designation("D1", "O1", "laboratory", SCOPE, DAY, None),
        facts.Designation("D1", "O1", "laboratory", SCOPE, DAY),
    )
    _same(
        facts.agreement("G1", facts.TESTING, "O1", "O2", SCOPE, DAY, LATER, None),
        facts.Agreement("G1", facts.TESTING, "O1", "O2", SCOPE, DAY, LATER),
    )


def test_built_facts_stay_frozen() -> None:
    built = facts.organisation("O1", "laboratory", "HK", False, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.seat = "MAINLAND"  # type: ignore[misc]
