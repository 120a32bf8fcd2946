"""The loaders' fast fact builders build exactly what the dataclass constructors build."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

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


def _same_groups(built: Mapping[str, tuple[object, ...]], expected: Mapping[str, tuple[object, ...]]) -> None:
    assert list(built) == list(expected)
    for key, group in built.items():
        assert type(group) is tuple
        assert len(group) == len(expected[key])
        for one, other in zip(group, expected[key], strict=True):
            _same(one, other)


def test_bulk_builders_equal_the_constructors_grouped_as_snapshot_of() -> None:
    def day(text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    organisation_rows = [("O1", "laboratory", "HK", 1, "n", "", ""), ("O2", "laboratory", "MAINLAND", 0)]
    index = facts.organisation_index(organisation_rows)
    assert list(index) == ["O1", "O2"]
    _same(index["O1"], facts.Organisation("O1", "laboratory", "HK", True))
    _same(index["O2"], facts.Organisation("O2", "laboratory", "MAINLAND", False))

    events = {"A3": [facts.AccreditationEvent(DAY, facts.SUSPENDED, SCOPE)]}
    # O1's two accreditations come out of id order (a collation may do that): sorted as Snapshot.of does.
    rows = [("A3", "O1", DAY, True), ("A1", "O2", "2026-01-02", False), ("A2", "O1", LATER, False)]
    nothing: frozenset[str] = frozenset()
    expected = [
        facts.Accreditation("A3", "O1", facts.HOKLAS, DAY, SCOPE, tuple(events["A3"])),
        facts.Accreditation("A1", "O2", facts.HOKLAS, DAY, nothing),
        facts.Accreditation("A2", "O1", facts.HOKLAS, LATER, nothing),
    ]
    _same_groups(
        facts.accreditations_by_organisation(rows, facts.HOKLAS, SCOPE, nothing, events, day),
        dict(facts.Snapshot.of(accreditations=expected).accreditations),
    )

    agreement_rows = [
        ("G2", facts.TESTING, "O1", "C1", DAY, None, "2027-03-04"),
        ("G1", facts.TESTING, "O1", "C2", "2026-01-02", LATER, None),
    ]
    agreements = [
        facts.Agreement("G2", facts.TESTING, "O1", "C1", SCOPE, DAY, None, LATER),
        facts.Agreement("G1", facts.TESTING, "O1", "C2", SCOPE, DAY, LATER, None),
    ]
    _same_groups(
        facts.agreements_by_party(agreement_rows, SCOPE, day),
        dict(facts.Snapshot.of(agreements=agreements).agreements),
    )

    designation_rows = [
        ("D1", "O2", "laboratory", DAY, "2027-03-04"),
        ("D2", "C1", "certification_body", DAY, None),
    ]
    designations = [
        facts.Designation("D1", "O2", "laboratory", SCOPE, DAY, LATER),
        facts.Designation("D2", "C1", "certification_body", SCOPE, DAY, None),
    ]
    _same_groups(
        facts.designations_by_organisation(designation_rows, SCOPE, day),
        dict(facts.Snapshot.of(designations=designations).designations),
    )
    # Built through the open twin, they are frozen facts all the same.
    with pytest.raises(dataclasses.FrozenInstanceError):
        index["O1"].seat = "MAINLAND"  # type: ignore[misc]


def test_certificate_chain_builders_equal_constructors() -> None:
    affiliations = (facts.Affiliation("O1", DAY, LATER),)
    _same(facts.affiliation("O1", DAY, LATER), affiliations[0])
    _same(facts.affiliation("O2", DAY, None), facts.Affiliation("O2", DAY))
    events = (facts.InspectorEvent(LATER, "suspended", ""),)
    name = facts.Name("Chan", "陳", "陈")
    _same(
        facts.inspector("I1", "A", SCOPE, DAY, LATER, affiliations, events, name),
        facts.Inspector("I1", "A", SCOPE, DAY, LATER, affiliations, events, name),
    )
    _same(
        facts.inspector("I2", "B", frozenset(), DAY, LATER, (), (), None),
        facts.Inspector("I2", "B", frozenset(), DAY, LATER),
    )
    report = facts.report("R1", "O1", "0301", DAY, "B1")
    _same(report, facts.TestReport("R1", "O1", "0301", DAY, "B1"))
    inspection = facts.factory_inspection("F1", "B2", "B1", ("I1", "I2"), "0301", DAY)
    _same(inspection, facts.FactoryInspection("F1", "B2", "B1", ("I1", "I2"), "0301", DAY))
    certificate_events = (facts.CertificateEvent(LATER, "revoked"),)
    _same(facts.certificate_event(LATER, "revoked"), certificate_events[0])
    _same(
        facts.certificate("C1", "0301", "B1", DAY, LATER, (report,), (inspection,), certificate_events, name),
        facts.Certificate("C1", "0301", "B1", DAY, LATER, (report,), (inspection,), certificate_events, name),
    )
    _same(
        facts.certificate("C2", "0301", "B1", DAY, LATER, (), (), (), None),
        facts.Certificate("C2", "0301", "B1", DAY, LATER),
    )


def test_snapshot_of_sets_every_field_as_the_constructor() -> None:
    organisation = facts.Organisation("O1", "laboratory", "HK", False)
    inspector = facts.Inspector("I1", "A", SCOPE, DAY, LATER)
    certificate = facts.Certificate("C1", "0301", "O1", DAY, LATER)
    built = facts.Snapshot.of(
        organisations=[organisation], inspectors=[inspector], certificates=[certificate]
    )
    expected = facts.Snapshot(
        organisations={"O1": organisation},
        inspectors={"I1": inspector},
        certificates={"C1": certificate},
    )
    assert type(built) is facts.Snapshot
    assert built == expected
    assert set(vars(built)) == {field.name for field in dataclasses.fields(facts.Snapshot)}
    assert facts.Snapshot.of() == facts.Snapshot()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.organisations = {}  # type: ignore[misc]
