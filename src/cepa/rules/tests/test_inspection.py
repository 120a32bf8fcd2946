from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cepa.rules import facts
from cepa.rules.decision import UnknownFact
from cepa.rules.inspection import decide_inspection, decide_inspection_for
from cepa.rules.status import inspector_grade, inspector_status
from cepa.rules.tests.builders import (
    CB_DESIGNATION,
    HKCAS_041,
    INSPECTION_AGREEMENT,
    INSPECTOR,
    D,
    codes,
    failing,
    reason,
    world,
)


def ask(
    snapshot: facts.Snapshot,
    org: str = "hk-cb-b",
    code: str = "0702",
    on: str = "2025-06-01",
    subject: str = "CCAA-0001",
    lang: str = "en",
):
    return decide_inspection(snapshot, subject=subject, org=org, product_type=code, on=D(on), lang=lang)


def with_inspector(**changes: Any) -> facts.Snapshot:
    return world(inspectors=[replace(INSPECTOR, **changes)])


HK_ALL_HOLD = [
    ("PRODUCT_IN_CATALOGUE", True),
    ("REGISTERED", True),
    ("GRADE", True),
    ("SPECIALTY", True),
    ("AFFILIATED", True),
    ("ORG_ACCREDITED", True),
    ("ORG_AGREEMENT", True),
]


def test_hong_kong_body_allowed() -> None:
    decision = ask(world())
    assert codes(decision) == HK_ALL_HOLD
    assert decision.allowed is True
    assert reason(decision, "ORG_ACCREDITED").refs == ("HKCAS 041",)
    assert reason(decision, "ORG_AGREEMENT").refs == ("AG-0002", "cn-cb-x")
    assert reason(decision, "AFFILIATED").refs == ("hk-cb-b",)


def test_json_includes_org_after_subject() -> None:
    out = ask(world()).to_json()
    assert list(out) == ["question", "subject", "org", "product_type", "on", "allowed", "reasons"]
    assert out["org"] == "hk-cb-b"
    assert out["subject"] == "CCAA-0001"


def test_gate_org_not_certification_body_alone() -> None:
    for org in ("hk-lab-a", "hk-ib"):
        decision = ask(world(), org=org)
        assert codes(decision) == [("KIND_NOT_ELIGIBLE", False)]
        assert decision.reasons[0].refs == (org,)
    assert ask(world(), org="hk-ib").reasons[0].basis == (
        "CEPA Implementation Guide (Feb 2025): CCC factory inspection commissioned by certification bodies"
    )


def test_several_inspectors_at_once_decide_as_each_alone() -> None:
    # The organisation's conditions are judged once for them all (decide_inspection_for, as the
    # certificate decision asks for an inspection's inspectors): the same decisions as one by one.
    other = replace(INSPECTOR, id="CCAA-0002", specialties=frozenset({"09"}), affiliations=())
    snapshot = world(inspectors=[INSPECTOR, other])
    for org in ("hk-cb-b", "cn-cb-x", "hk-lab-a"):
        for on in ("2025-06-01", "2019-01-01"):
            together = decide_inspection_for(
                snapshot, subjects=["CCAA-0002", "CCAA-0001"], org=org, product_type="0702", on=D(on)
            )
            alone = [ask(snapshot, org=org, on=on, subject=s) for s in ("CCAA-0002", "CCAA-0001")]
            assert together == alone
            assert [d.to_json() for d in together] == [d.to_json() for d in alone]
    assert not ask(snapshot, subject="CCAA-0002").allowed
    day = D("2025-06-01")
    assert decide_inspection_for(snapshot, subjects=[], org="nobody", product_type="0702", on=day) == []
    with pytest.raises(UnknownFact):
        decide_inspection_for(
            snapshot, subjects=["CCAA-0001", "CCAA-9999"], org="hk-cb-b", product_type="0702", on=day
        )


def test_registration_valid_first_and_last_day() -> None:
    snapshot = with_inspector(registered=D("2025-01-01"), expires=D("2025-06-30"))
    assert reason(ask(snapshot, on="2025-01-01"), "REGISTERED").holds is True
    assert reason(ask(snapshot, on="2025-06-30"), "REGISTERED").holds is True
    before = reason(ask(snapshot, on="2024-12-31"), "REGISTERED")
    assert before.holds is False
    assert before.message == "Registration CCAA-0001 is valid only from 2025-01-01"
    after = reason(ask(snapshot, on="2025-07-01"), "REGISTERED")
    assert after.holds is False
    assert after.message == "Registration CCAA-0001 expired after 2025-06-30"


def test_suspended_inspector_and_reinstatement_day() -> None:
    events = (
        facts.InspectorEvent(D("2025-01-10"), status=facts.SUSPENDED),
        facts.InspectorEvent(D("2025-02-10"), status=facts.ACTIVE),
    )
    snapshot = with_inspector(events=events)
    assert reason(ask(snapshot, on="2025-01-09"), "REGISTERED").holds is True
    suspended = reason(ask(snapshot, on="2025-01-10"), "REGISTERED")
    assert (suspended.holds, suspended.message) == (
        False,
        "Registration CCAA-0001 is suspended from 2025-01-10",
    )
    assert reason(ask(snapshot, on="2025-02-09"), "REGISTERED").holds is False
    assert reason(ask(snapshot, on="2025-02-10"), "REGISTERED").holds is True


def test_cancellation_is_final() -> None:
    events = (
        facts.InspectorEvent(D("2025-01-10"), status=facts.CANCELLED),
        facts.InspectorEvent(D("2025-02-10"), status=facts.ACTIVE),
    )
    snapshot = with_inspector(events=events)
    cancelled = reason(ask(snapshot, on="2025-03-01"), "REGISTERED")
    assert (cancelled.holds, cancelled.message) == (
        False,
        "Registration CCAA-0001 is cancelled from 2025-01-10",
    )


def test_same_day_cancellation_wins() -> None:
    events = (
        facts.InspectorEvent(D("2025-01-10"), status=facts.CANCELLED),
        facts.InspectorEvent(D("2025-01-10"), status=facts.ACTIVE),
    )
    assert inspector_status(replace(INSPECTOR, events=events), D("2025-01-10")) == (
        facts.CANCELLED,
        D("2025-01-10"),
    )


def test_status_defaults_to_active_from_registration() -> None:
    assert inspector_status(INSPECTOR, D("2024-01-01")) == (facts.ACTIVE, D("2023-02-01"))


def test_grade_changes_on_the_event_day_and_grade_only_events_leave_status() -> None:
    events = (
        facts.InspectorEvent(D("2024-01-01"), status=facts.SUSPENDED),
        facts.InspectorEvent(D("2024-02-01"), status=facts.ACTIVE),
        facts.InspectorEvent(D("2025-03-01"), grade="senior"),
    )
    inspector = replace(INSPECTOR, grade=facts.PROVISIONAL, events=events)
    assert inspector_grade(inspector, D("2025-02-28")) == facts.PROVISIONAL
    assert inspector_grade(inspector, D("2025-03-01")) == "senior"
    assert inspector_status(inspector, D("2025-03-01")) == (facts.ACTIVE, D("2024-02-01"))


def test_same_day_grade_events_apply_in_the_given_order() -> None:
    events = (
        facts.InspectorEvent(D("2025-03-01"), grade="senior"),
        facts.InspectorEvent(D("2025-03-01"), grade="inspector"),
    )
    assert inspector_grade(replace(INSPECTOR, events=events), D("2025-03-01")) == "inspector"


def test_provisional_grade_fails() -> None:
    snapshot = with_inspector(grade=facts.PROVISIONAL)
    grade = reason(ask(snapshot), "GRADE")
    assert grade.holds is False
    assert grade.message == (
        "The grade of CCAA-0001 on 2025-06-01 is provisional inspector: a provisional inspector may not "
        "carry out CCC factory inspections"
    )
    promoted = with_inspector(
        grade=facts.PROVISIONAL, events=(facts.InspectorEvent(D("2025-06-01"), grade="inspector"),)
    )
    assert reason(ask(promoted), "GRADE").holds is True


def test_specialty_family_or_type() -> None:
    assert reason(ask(world(), code="0702"), "SPECIALTY").message == "The registered specialty 07 covers 0702"
    assert reason(ask(world(), code="0915", org="cn-cb-x", on="2025-08-01"), "SPECIALTY").holds is True
    missing = reason(ask(world(), code="0901", org="cn-cb-x", on="2025-08-01"), "SPECIALTY")
    assert (missing.holds, missing.message) == (False, "No registered specialty (07, 0915) covers 0901")


def test_affiliation_boundaries_and_transfer() -> None:
    # hk-cb-b until 2025-06-30, cn-cb-x from 2025-07-01
    assert reason(ask(with_inspector(expires=D("2027-01-01")), on="2025-06-30"), "AFFILIATED").holds is True
    after = reason(ask(with_inspector(expires=D("2027-01-01")), on="2025-07-01"), "AFFILIATED")
    assert (after.holds, after.message) == (False, "CCAA-0001 is not affiliated with hk-cb-b on 2025-07-01")
    assert reason(ask(world(), org="cn-cb-x", on="2025-07-01"), "AFFILIATED").holds is True


def test_org_not_accredited() -> None:
    decision = ask(world(accreditations=[]))
    assert failing(decision) == ["ORG_ACCREDITED"]
    assert (
        reason(decision, "ORG_ACCREDITED").message
        == "hk-cb-b holds no HKCAS accreditation covering 0702 on 2025-06-01"
    )


def test_org_accreditation_suspended_keeps_code_org_accredited() -> None:
    events = (facts.AccreditationEvent(D("2025-05-01"), facts.SUSPENDED, frozenset({"0702"})),)
    decision = ask(world(accreditations=[replace(HKCAS_041, events=events)]))
    assert failing(decision) == ["ORG_ACCREDITED"]
    accredited = reason(decision, "ORG_ACCREDITED")
    assert accredited.refs == ("HKCAS 041",)
    assert accredited.message == (
        "hk-cb-b holds no HKCAS accreditation active for 0702 on 2025-06-01: HKCAS 041 is suspended for it "
        "from 2025-05-01"
    )
    assert ask(world(accreditations=[replace(HKCAS_041, events=events)]), code="0701").allowed is True


def test_org_accreditation_must_be_hkcas_and_granted() -> None:
    hoklas = replace(HKCAS_041, scheme=facts.HOKLAS)
    assert failing(ask(world(accreditations=[hoklas]))) == ["ORG_ACCREDITED"]
    assert failing(ask(world(), on="2023-12-31")) == ["ORG_ACCREDITED", "ORG_AGREEMENT"]
    assert reason(ask(world(), on="2024-01-01"), "ORG_ACCREDITED").holds is True


def test_org_agreement_before_it_starts() -> None:
    decision = ask(world(), on="2025-02-28")
    assert failing(decision) == ["ORG_AGREEMENT"]
    assert reason(decision, "ORG_AGREEMENT").refs == ("AG-0002",)
    assert ask(world(), on="2025-03-01").allowed is True


def test_org_agreement_needs_a_designated_counterparty() -> None:
    assert failing(ask(world(designations=[]))) == ["ORG_AGREEMENT"]
    lab_role = replace(CB_DESIGNATION, role=facts.LABORATORY)
    assert failing(ask(world(designations=[lab_role]))) == ["ORG_AGREEMENT"]


def test_org_agreement_must_be_factory_inspection() -> None:
    sampling = replace(INSPECTION_AGREEMENT, kind="sampling")
    assert failing(ask(world(agreements=[sampling]))) == ["ORG_AGREEMENT"]


def test_mainland_certification_body() -> None:
    decision = ask(world(), org="cn-cb-x", on="2025-08-01")
    assert codes(decision) == [
        ("PRODUCT_IN_CATALOGUE", True),
        ("REGISTERED", True),
        ("GRADE", True),
        ("SPECIALTY", True),
        ("AFFILIATED", True),
        ("ORG_DESIGNATED", True),
    ]
    assert reason(decision, "ORG_DESIGNATED").refs == ("CNCA-D-17",)
    refused = ask(world(designations=[]), org="cn-cb-x", on="2025-08-01")
    assert failing(refused) == ["ORG_DESIGNATED"]


def test_overseas_certification_body_has_no_org_condition() -> None:
    inspector = replace(INSPECTOR, affiliations=(facts.Affiliation("os-cb", D("2023-02-01")),))
    decision = ask(world(inspectors=[inspector]), org="os-cb")
    assert [c for c, _ in codes(decision)] == [
        "PRODUCT_IN_CATALOGUE", "REGISTERED", "GRADE", "SPECIALTY", "AFFILIATED"
    ]


def test_every_failure_listed_together() -> None:
    inspector = replace(
        INSPECTOR,
        grade=facts.PROVISIONAL,
        specialties=frozenset({"09"}),
        affiliations=(),
        events=(facts.InspectorEvent(D("2025-01-01"), status=facts.SUSPENDED),),
    )
    decision = ask(world(inspectors=[inspector], accreditations=[], agreements=[]))
    assert failing(decision) == [
        "REGISTERED",
        "GRADE",
        "SPECIALTY",
        "AFFILIATED",
        "ORG_ACCREDITED",
        "ORG_AGREEMENT",
    ]


def test_unknown_inspector_raises() -> None:
    with pytest.raises(UnknownFact) as error:
        ask(world(), subject="nobody")
    assert error.value.field == "subject"


def test_chinese_messages() -> None:
    decision = ask(world(), lang="zh-Hant")
    assert reason(decision, "GRADE").message == "CCAA-0001於2025-06-01的級別為檢查員"
    assert reason(decision, "AFFILIATED").message == "CCAA-0001於2025-06-01隸屬hk-cb-b"


def test_org_accredited_picks_active_then_suspended_then_first_of_several() -> None:
    def held(status: str, on: str = "2025-05-01") -> tuple[facts.AccreditationEvent, ...]:
        return (facts.AccreditationEvent(D(on), status, None),)

    withdrawn = replace(HKCAS_041, id="HKCAS 041", events=held(facts.WITHDRAWN))
    suspended = replace(HKCAS_041, id="HKCAS 052", events=held(facts.SUSPENDED, "2025-04-01"))
    active = replace(HKCAS_041, id="HKCAS 063")
    # Withdrawn, then suspended (both covering): the suspended one is named, with its own day.
    accredited = reason(ask(world(accreditations=[withdrawn, suspended])), "ORG_ACCREDITED")
    assert (accredited.holds, accredited.refs) == (False, ("HKCAS 052",))
    assert accredited.message == (
        "hk-cb-b holds no HKCAS accreditation active for 0702 on 2025-06-01: HKCAS 052 is suspended for it "
        "from 2025-04-01"
    )
    # Withdrawn alone: named as withdrawn.
    accredited = reason(ask(world(accreditations=[withdrawn])), "ORG_ACCREDITED")
    assert (accredited.holds, accredited.refs) == (False, ("HKCAS 041",))
    assert accredited.message.endswith("HKCAS 041 is withdrawn for it from 2025-05-01")
    # An active one after inactive ones holds, naming it.
    accredited = reason(ask(world(accreditations=[withdrawn, suspended, active])), "ORG_ACCREDITED")
    assert (accredited.holds, accredited.refs) == (True, ("HKCAS 063",))
    # Not yet granted on the day: none covering, whatever their events.
    later = replace(active, granted=D("2025-07-01"))
    assert reason(ask(world(accreditations=[later])), "ORG_ACCREDITED").refs == ()
