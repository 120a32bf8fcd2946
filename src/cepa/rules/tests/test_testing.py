from __future__ import annotations

from dataclasses import replace
from typing import Any

from cepa.rules import facts
from cepa.rules.decision import Decision
from cepa.rules.testing import decide_testing
from cepa.rules.tests.builders import (
    CB_DESIGNATION,
    HOKLAS_901,
    TESTING_AGREEMENT,
    D,
    codes,
    failing,
    reason,
    world,
)

ALL_HOLD = [
    ("PRODUCT_IN_CATALOGUE", True),
    ("ACCREDITED", True),
    ("ACCREDITATION_SCOPE", True),
    ("ACCREDITATION_ACTIVE", True),
    ("AGREEMENT_IN_FORCE", True),
    ("PARTNER_DESIGNATED", True),
]


def ask(snapshot: facts.Snapshot, subject: str = "hk-lab-a", code: str = "0701", on: str = "2026-05-20"):
    return decide_testing(snapshot, subject=subject, product_type=code, on=D(on))


def test_hong_kong_laboratory_allowed_lists_every_condition() -> None:
    decision = ask(world())
    assert decision.allowed is True
    assert codes(decision) == ALL_HOLD
    assert reason(decision, "ACCREDITED").refs == ("HOKLAS 901",)
    assert reason(decision, "AGREEMENT_IN_FORCE").refs == ("AG-0001", "cn-cb-x")
    assert reason(decision, "PARTNER_DESIGNATED").refs == ("cn-cb-x", "CNCA-D-17")


def test_decision_json_shape() -> None:
    out = ask(world()).to_json()
    assert list(out) == ["question", "subject", "product_type", "on", "allowed", "reasons"]
    assert out["question"] == "testing"
    assert out["subject"] == "hk-lab-a"
    assert out["product_type"] == "0701"
    assert out["on"] == "2026-05-20"
    assert out["allowed"] is True
    assert out["reasons"][0] == {
        "code": "PRODUCT_IN_CATALOGUE",
        "holds": True,
        "message": "0701 is in the CCC catalogue on 2026-05-20",
        "basis": "CCC product catalogue (SAMR PN 2023 No.36 and later SAMR notices)",
        "refs": ["0701"],
    }


# --- gates -----------------------------------------------------------------------------------------


def test_gate_certification_body_is_listed_alone() -> None:
    decision = ask(world(), subject="cn-cb-x")
    assert codes(decision) == [("KIND_NOT_ELIGIBLE", False)]
    assert decision.allowed is False
    assert decision.reasons[0].message == (
        "cn-cb-x is a certification body, not a laboratory: only laboratories carry out CCC testing"
    )


def test_gate_overseas_laboratory_is_listed_alone() -> None:
    decision = ask(world(), subject="os-lab")
    assert codes(decision) == [("KIND_NOT_ELIGIBLE", False)]


def test_gate_inspection_body_fails() -> None:
    assert codes(ask(world(), subject="hk-ib")) == [("KIND_NOT_ELIGIBLE", False)]


def test_gate_holds_is_not_listed() -> None:
    assert "KIND_NOT_ELIGIBLE" not in [r.code for r in ask(world()).reasons]


# --- catalogue -------------------------------------------------------------------------------------


def test_product_not_yet_in_catalogue_the_day_before_applications_open() -> None:
    decision = ask(world(), code="0915", on="2023-07-31")
    assert ("PRODUCT_IN_CATALOGUE", False) in codes(decision)
    assert reason(decision, "PRODUCT_IN_CATALOGUE").message == (
        "0915 is not in the CCC catalogue on 2023-07-31: applications for it open on 2023-08-01"
    )


def test_product_in_catalogue_from_the_day_applications_open() -> None:
    assert reason(ask(world(), code="0915", on="2023-08-01"), "PRODUCT_IN_CATALOGUE").holds is True


def test_product_in_catalogue_until_the_day_before_removal() -> None:
    assert reason(ask(world(), code="0801", on="2022-10-10"), "PRODUCT_IN_CATALOGUE").holds is True
    removed = reason(ask(world(), code="0801", on="2022-10-11"), "PRODUCT_IN_CATALOGUE")
    assert removed.holds is False
    assert removed.message == "0801 is not in the CCC catalogue on 2022-10-11: it was removed on 2022-10-11"


def test_catalogue_failure_does_not_stop_other_conditions() -> None:
    decision = ask(world(), code="0801", on="2023-01-01")
    assert failing(decision) == ["PRODUCT_IN_CATALOGUE", "ACCREDITATION_SCOPE", "AGREEMENT_IN_FORCE"]


# --- accreditation ---------------------------------------------------------------------------------


def test_not_accredited_before_granted_and_scope_not_listed() -> None:
    snapshot = world(accreditations=[replace(HOKLAS_901, granted=D("2024-03-01"))])
    decision = ask(snapshot, on="2024-02-29")
    assert failing(decision) == ["ACCREDITED"]
    assert [c for c, _ in codes(decision)] == [
        "PRODUCT_IN_CATALOGUE",
        "ACCREDITED",
        "AGREEMENT_IN_FORCE",
        "PARTNER_DESIGNATED",
    ]
    accredited = reason(decision, "ACCREDITED")
    assert accredited.refs == ("HOKLAS 901",)
    assert accredited.message == (
        "hk-lab-a holds no HOKLAS accreditation granted on or before 2024-02-29: HOKLAS 901 is granted only "
        "on 2024-03-01"
    )


def test_accredited_on_the_day_granted() -> None:
    snapshot = world(accreditations=[replace(HOKLAS_901, granted=D("2024-03-01"))])
    assert ask(snapshot, on="2024-03-01").allowed is True


def test_no_accreditation_at_all() -> None:
    decision = ask(world(accreditations=[]))
    assert [c for c, _ in codes(decision)] == [
        "PRODUCT_IN_CATALOGUE",
        "ACCREDITED",
        "AGREEMENT_IN_FORCE",
        "PARTNER_DESIGNATED",
    ]
    assert failing(decision) == ["ACCREDITED"]
    assert reason(decision, "ACCREDITED").refs == ()


def test_other_schemes_do_not_count_as_hoklas() -> None:
    hkcas = replace(HOKLAS_901, id="HKCAS 9", scheme=facts.HKCAS)
    assert failing(ask(world(accreditations=[hkcas]))) == ["ACCREDITED"]


def test_scope_not_covering_lists_scope_but_not_active() -> None:
    decision = ask(world(), code="2401")
    assert [c for c, _ in codes(decision)] == [
        "PRODUCT_IN_CATALOGUE",
        "ACCREDITED",
        "ACCREDITATION_SCOPE",
        "AGREEMENT_IN_FORCE",
    ]
    scope = reason(decision, "ACCREDITATION_SCOPE")
    assert scope.holds is False
    assert scope.refs == ("HOKLAS 901",)
    assert scope.message == "The scope of HOKLAS 901 does not cover 2401"


def suspended_0901(*more: facts.AccreditationEvent) -> facts.Snapshot:
    events = (facts.AccreditationEvent(D("2026-05-01"), facts.SUSPENDED, frozenset({"0901"})), *more)
    return world(accreditations=[replace(HOKLAS_901, events=events)])


def test_suspension_applies_from_its_first_day() -> None:
    assert reason(ask(suspended_0901(), code="0901", on="2026-04-30"), "ACCREDITATION_ACTIVE").holds is True
    decision = ask(suspended_0901(), code="0901", on="2026-05-01")
    assert failing(decision) == ["ACCREDITATION_SUSPENDED"]
    suspended = reason(decision, "ACCREDITATION_SUSPENDED")
    assert suspended.message == "HOKLAS 901 is suspended for 0901 from 2026-05-01"
    assert suspended.basis == "CEPA Implementation Guide (May 2020): HOKLAS accreditation for CCC testing"
    assert suspended.refs == ("HOKLAS 901",)


def test_suspension_ends_on_the_day_of_the_active_event() -> None:
    snapshot = suspended_0901(facts.AccreditationEvent(D("2026-08-01"), facts.ACTIVE, frozenset({"0901"})))
    assert failing(ask(snapshot, code="0901", on="2026-07-31")) == ["ACCREDITATION_SUSPENDED"]
    assert ask(snapshot, code="0901", on="2026-08-01").allowed is True


def test_partial_scope_event_leaves_other_types_active() -> None:
    decision = ask(suspended_0901(), code="0701", on="2026-06-01")
    assert decision.allowed is True


def test_event_without_scope_covers_the_whole_accreditation() -> None:
    snapshot = world(
        accreditations=[
            replace(HOKLAS_901, events=(facts.AccreditationEvent(D("2026-05-01"), facts.SUSPENDED),))
        ]
    )
    assert failing(ask(snapshot, code="0701", on="2026-05-01")) == ["ACCREDITATION_SUSPENDED"]


def test_withdrawn_code_and_message() -> None:
    events = (facts.AccreditationEvent(D("2026-05-01"), facts.WITHDRAWN, frozenset({"0901"})),)
    decision = ask(world(accreditations=[replace(HOKLAS_901, events=events)]), code="0901", on="2026-05-01")
    assert failing(decision) == ["ACCREDITATION_WITHDRAWN"]
    assert (
        reason(decision, "ACCREDITATION_WITHDRAWN").message
        == "HOKLAS 901 is withdrawn for 0901 from 2026-05-01"
    )


def test_withdrawal_is_final() -> None:
    events = (
        facts.AccreditationEvent(D("2026-05-01"), facts.WITHDRAWN),
        facts.AccreditationEvent(D("2026-06-01"), facts.ACTIVE),
        facts.AccreditationEvent(D("2026-07-01"), facts.SUSPENDED),
    )
    snapshot = world(accreditations=[replace(HOKLAS_901, events=events)])
    for day in ("2026-06-01", "2026-07-15", "2027-12-31"):
        decision = ask(snapshot, on=day)
        assert failing(decision) == ["ACCREDITATION_WITHDRAWN"]
        assert reason(decision, "ACCREDITATION_WITHDRAWN").message.endswith("from 2026-05-01")


def test_same_day_events_withdrawn_over_suspended_over_active_whatever_the_given_order() -> None:
    day = D("2026-05-01")
    for events, expected in [
        (
            (facts.AccreditationEvent(day, facts.SUSPENDED), facts.AccreditationEvent(day, facts.ACTIVE)),
            "ACCREDITATION_SUSPENDED",
        ),
        (
            (facts.AccreditationEvent(day, facts.ACTIVE), facts.AccreditationEvent(day, facts.SUSPENDED)),
            "ACCREDITATION_SUSPENDED",
        ),
        (
            (facts.AccreditationEvent(day, facts.WITHDRAWN), facts.AccreditationEvent(day, facts.SUSPENDED)),
            "ACCREDITATION_WITHDRAWN",
        ),
        (
            (facts.AccreditationEvent(day, facts.ACTIVE), facts.AccreditationEvent(day, facts.WITHDRAWN)),
            "ACCREDITATION_WITHDRAWN",
        ),
    ]:
        snapshot = world(accreditations=[replace(HOKLAS_901, events=events)])
        assert failing(ask(snapshot, on="2026-05-01")) == [expected]


def test_same_day_partial_suspension_and_whole_reactivation() -> None:
    day = D("2026-05-01")
    events = (
        facts.AccreditationEvent(day, facts.SUSPENDED, frozenset({"0701"})),
        facts.AccreditationEvent(day, facts.ACTIVE),
    )
    snapshot = world(accreditations=[replace(HOKLAS_901, events=events)])
    assert failing(ask(snapshot, code="0701", on="2026-05-01")) == ["ACCREDITATION_SUSPENDED"]
    assert ask(snapshot, code="0702", on="2026-05-01").allowed is True


def test_a_second_active_accreditation_satisfies_active() -> None:
    events = (facts.AccreditationEvent(D("2026-05-01"), facts.SUSPENDED),)
    other = facts.Accreditation("HOKLAS 999", "hk-lab-a", facts.HOKLAS, D("2020-01-01"), frozenset({"0701"}))
    snapshot = world(accreditations=[replace(HOKLAS_901, events=events), other])
    decision = ask(snapshot, on="2026-06-01")
    assert decision.allowed is True
    assert reason(decision, "ACCREDITED").refs == ("HOKLAS 999",)
    assert reason(decision, "ACCREDITATION_ACTIVE").refs == ("HOKLAS 999",)


def test_suspended_is_named_before_withdrawn() -> None:
    withdrawn = replace(HOKLAS_901, events=(facts.AccreditationEvent(D("2026-01-01"), facts.WITHDRAWN),))
    suspended = facts.Accreditation(
        "HOKLAS 999",
        "hk-lab-a",
        facts.HOKLAS,
        D("2020-01-01"),
        frozenset({"0701"}),
        (facts.AccreditationEvent(D("2026-02-01"), facts.SUSPENDED),),
    )
    decision = ask(world(accreditations=[withdrawn, suspended]))
    assert failing(decision) == ["ACCREDITATION_SUSPENDED"]
    assert reason(decision, "ACCREDITATION_SUSPENDED").refs == ("HOKLAS 999",)


# --- agreements ------------------------------------------------------------------------------------


def with_agreement(**changes: Any) -> facts.Snapshot:
    return world(agreements=[replace(TESTING_AGREEMENT, **changes)])


def test_agreement_in_force_on_its_first_and_last_day() -> None:
    assert ask(world(), on="2021-01-01").allowed is True
    assert ask(world(), on="2027-12-31").allowed is True
    assert failing(ask(world(), on="2020-12-31")) == ["AGREEMENT_IN_FORCE"]
    assert failing(ask(world(), on="2028-01-01")) == ["AGREEMENT_IN_FORCE"]


def test_lapsed_agreement_is_named_and_partner_not_listed() -> None:
    decision = ask(world(), on="2028-01-01")
    assert [c for c, _ in codes(decision)] == [
        "PRODUCT_IN_CATALOGUE",
        "ACCREDITED",
        "ACCREDITATION_SCOPE",
        "ACCREDITATION_ACTIVE",
        "AGREEMENT_IN_FORCE",
    ]
    agreement = reason(decision, "AGREEMENT_IN_FORCE")
    assert agreement.refs == ("AG-0001",)
    assert agreement.message == (
        "hk-lab-a is party to no testing agreement covering 0701 in force on 2028-01-01 (AG-0001 not in "
        "force on that day)"
    )


def test_open_ended_agreement() -> None:
    assert ask(with_agreement(valid_until=None), on="2040-01-01").allowed is True


def test_terminated_on_is_the_first_day_not_in_force() -> None:
    snapshot = with_agreement(terminated_on=D("2026-03-01"))
    assert ask(snapshot, on="2026-02-28").allowed is True
    assert failing(ask(snapshot, on="2026-03-01")) == ["AGREEMENT_IN_FORCE"]


def test_agreement_must_cover_the_product_type() -> None:
    snapshot = with_agreement(product_types=frozenset({"0702"}))
    decision = ask(snapshot, code="0701")
    assert failing(decision) == ["AGREEMENT_IN_FORCE"]
    assert reason(decision, "AGREEMENT_IN_FORCE").refs == ()


def test_only_testing_agreements_count() -> None:
    assert failing(ask(with_agreement(kind="sampling"))) == ["AGREEMENT_IN_FORCE"]
    assert failing(ask(with_agreement(kind=facts.FACTORY_INSPECTION))) == ["AGREEMENT_IN_FORCE"]


def test_laboratory_must_be_the_party() -> None:
    swapped = replace(TESTING_AGREEMENT, party="cn-cb-x", counterparty="hk-lab-a")
    assert failing(ask(world(agreements=[swapped]))) == ["AGREEMENT_IN_FORCE"]


def test_partner_not_designated() -> None:
    decision = ask(world(designations=[]))
    assert failing(decision) == ["PARTNER_DESIGNATED"]
    partner = reason(decision, "PARTNER_DESIGNATED")
    assert partner.refs == ("cn-cb-x",)
    assert partner.message == "cn-cb-x is not designated as a CCC certification body for 0701 on 2026-05-20"


def test_partner_designation_range_inclusive() -> None:
    snapshot = world(
        designations=[replace(CB_DESIGNATION, valid_from=D("2026-05-20"), valid_until=D("2026-05-21"))]
    )
    assert ask(snapshot, on="2026-05-20").allowed is True
    assert ask(snapshot, on="2026-05-21").allowed is True
    assert failing(ask(snapshot, on="2026-05-19")) == ["PARTNER_DESIGNATED"]
    assert failing(ask(snapshot, on="2026-05-22")) == ["PARTNER_DESIGNATED"]


def test_partner_designated_as_laboratory_does_not_count() -> None:
    snapshot = world(designations=[replace(CB_DESIGNATION, role=facts.LABORATORY)])
    assert failing(ask(snapshot)) == ["PARTNER_DESIGNATED"]


def test_agreement_with_a_designated_partner_is_the_one_named() -> None:
    undesignated = replace(TESTING_AGREEMENT, id="AG-0000", counterparty="cn-cb-y")
    decision = ask(world(agreements=[undesignated, TESTING_AGREEMENT]))
    assert decision.allowed is True
    assert reason(decision, "AGREEMENT_IN_FORCE").refs == ("AG-0001", "cn-cb-x")


def test_ties_go_to_the_smallest_agreement_id() -> None:
    twin = replace(TESTING_AGREEMENT, id="AG-0000")
    decision = ask(world(agreements=[TESTING_AGREEMENT, twin]))
    assert reason(decision, "AGREEMENT_IN_FORCE").refs == ("AG-0000", "cn-cb-x")


# --- Mainland laboratory ---------------------------------------------------------------------------


def test_mainland_laboratory_designated() -> None:
    designation = facts.Designation(
        "CNCA-L-1", "cn-lab-m", facts.LABORATORY, frozenset({"0701"}), D("2020-01-01"), D("2026-05-20")
    )
    decision = ask(world(designations=[designation]), subject="cn-lab-m", on="2026-05-20")
    assert codes(decision) == [("PRODUCT_IN_CATALOGUE", True), ("DESIGNATED", True)]
    assert reason(decision, "DESIGNATED").refs == ("CNCA-L-1",)
    after = ask(world(designations=[designation]), subject="cn-lab-m", on="2026-05-21")
    assert codes(after) == [("PRODUCT_IN_CATALOGUE", True), ("DESIGNATED", False)]


def test_mainland_laboratory_designated_as_certification_body_does_not_count() -> None:
    designation = facts.Designation(
        "CNCA-X", "cn-lab-m", facts.CERTIFICATION_BODY, frozenset({"0701"}), D("2020-01-01")
    )
    decision = ask(world(designations=[designation]), subject="cn-lab-m")
    assert failing(decision) == ["DESIGNATED"]


def test_messages_in_chinese() -> None:
    decision = decide_testing(
        suspended_0901(), subject="hk-lab-a", product_type="0901", on=D("2026-05-01"), lang="zh-Hant"
    )
    suspended = reason(decision, "ACCREDITATION_SUSPENDED")
    assert suspended.message == "HOKLAS 901就0901自2026-05-01起暫停"
    assert suspended.basis == "《CEPA實施指南》（2020年5月）：香港認可處HOKLAS認可的CCC檢測能力"
    simplified = decide_testing(
        world(), subject="cn-cb-x", product_type="0701", on=D("2026-05-01"), lang="zh-Hans"
    )
    assert simplified.reasons[0].message == "cn-cb-x是认证机构，并非实验室：只有实验室可承担CCC检测"


def test_testing_decisions_equal_those_built_by_the_dataclass() -> None:
    decision = ask(world())
    built = Decision("testing", "0701", decision.reasons, "hk-lab-a", None, D("2026-05-20"), None, "en")
    assert decision == built
    assert repr(decision) == repr(built)
    assert decision.to_json() == built.to_json()
