"""Contract rev. 2 in the engine: a product type's periods in the catalogue, PRODUCT_IN_CATALOGUE in the
inspection decision, a type listed under several codes (or named by its key) is one type, and the
instrument a reason cites depends on the date asked. Each boundary the day before, on and after."""

from __future__ import annotations

from dataclasses import replace

from cepa.rules import facts
from cepa.rules.decision import Reason
from cepa.rules.designation import decide_designation
from cepa.rules.enquiry import decide_enquiry
from cepa.rules.inspection import decide_inspection
from cepa.rules.testing import decide_testing, decide_testing_for
from cepa.rules.tests.builders import (
    CB_DESIGNATION,
    EOI,
    HKCAS_041,
    HOKLAS_901,
    INSPECTION_AGREEMENT,
    INSPECTOR,
    PLAN,
    TESTING_AGREEMENT,
    D,
    T,
    codes,
    failing,
    reason,
    world,
)


def ask_testing(snapshot: facts.Snapshot, code: str, on: str, subject: str = "hk-lab-a", lang: str = "en"):
    return decide_testing(snapshot, subject=subject, product_type=code, on=D(on), lang=lang)


def catalogue(code: str, on: str, lang: str = "en") -> Reason:
    return reason(ask_testing(world(), code, on, lang=lang), "PRODUCT_IN_CATALOGUE")


# --- periods ---------------------------------------------------------------------------------------


def test_a_type_of_the_first_catalogue_is_in_from_2002_not_2020() -> None:
    before = catalogue("0701", "2002-04-30")
    assert before.holds is False
    assert (
        before.message
        == "0701 is not in the CCC catalogue on 2002-04-30: applications for it open on 2002-05-01"
    )
    assert catalogue("0701", "2002-05-01").holds is True
    assert catalogue("0701", "2019-06-01").holds is True
    assert catalogue("0701", "2020-04-20").holds is True


def test_two_periods_and_the_days_between() -> None:
    assert catalogue("gas-alarms", "2011-09-30").message == (
        "gas-alarms is not in the CCC catalogue on 2011-09-30: applications for it open on 2011-10-01"
    )
    assert catalogue("gas-alarms", "2011-10-01").holds is True
    assert catalogue("gas-alarms", "2018-06-10").holds is True
    removed = catalogue("gas-alarms", "2018-06-11")
    assert removed.holds is False
    assert removed.message == (
        "gas-alarms is not in the CCC catalogue on 2018-06-11: it was removed on 2018-06-11, "
        "and applications for it open again on 2024-10-01"
    )
    assert catalogue("gas-alarms", "2024-09-30").key == "PRODUCT_IN_CATALOGUE.failed.between"
    assert catalogue("gas-alarms", "2024-10-01").holds is True
    assert catalogue("gas-alarms", "2030-01-01").holds is True
    assert catalogue("gas-alarms", "2018-06-11", lang="zh-Hans").message == (
        "gas-alarms于2018-06-11不在CCC目录内：已于2018-06-11移出目录，其申请自2024-10-01起再次受理"
    )


def test_removed_type_after_its_last_period() -> None:
    assert catalogue("0801", "2022-10-10").holds is True
    assert catalogue("0801", "2022-10-11").message == (
        "0801 is not in the CCC catalogue on 2022-10-11: it was removed on 2022-10-11"
    )
    assert catalogue("0801", "2022-10-12").holds is False


def test_for_every_laboratory_the_catalogue_is_judged_on_the_periods_too() -> None:
    decisions = decide_testing_for(
        world(), subjects=["hk-lab-a", "cn-lab-m"], product_type="gas-alarms", on=D("2020-01-01")
    )
    assert [reason(d, "PRODUCT_IN_CATALOGUE").key for d in decisions] == [
        "PRODUCT_IN_CATALOGUE.failed.between"
    ] * 2


# --- citations by date -----------------------------------------------------------------------------

CATALOGUE_2023 = "CCC product catalogue (SAMR PN 2023 No.36 and later SAMR notices)"
CATALOGUE_2020 = "CCC product catalogue (SAMR PN 2020 No.18 and later SAMR notices)"


def test_catalogue_basis_is_the_catalogue_in_force_on_the_date() -> None:
    assert catalogue("0701", "2023-08-10").basis == CATALOGUE_2023
    assert catalogue("0701", "2023-08-09").basis == CATALOGUE_2020
    assert catalogue("0701", "2020-04-21").basis == CATALOGUE_2020
    assert catalogue("0801", "2022-10-11").basis == CATALOGUE_2020


def test_before_the_2020_table_the_basis_is_the_instrument_of_the_period() -> None:
    assert (
        catalogue("0701", "2020-04-20").basis == "CCC product catalogue: AQSIQ/CNCA Public Notice 2001 No.33"
    )
    assert (
        catalogue("0701", "2002-05-01").basis == "CCC product catalogue: AQSIQ/CNCA Public Notice 2001 No.33"
    )
    # not yet in: the instrument that brings it in; removed: the one that took it out
    assert (
        catalogue("0701", "2002-04-30").basis == "CCC product catalogue: AQSIQ/CNCA Public Notice 2001 No.33"
    )
    assert (
        catalogue("gas-alarms", "2019-01-01").basis == "CCC product catalogue: SAMR Public Notice 2022 No.34"
    )
    assert catalogue("0701", "2019-01-01", lang="zh-Hant").basis == (
        "《強制性產品認證目錄》：AQSIQ/CNCA Public Notice 2001 No.33"
    )


def test_a_period_without_a_known_instrument_cites_the_first_catalogue() -> None:
    bare = facts.ProductType("0701", ("0701",), (facts.CataloguePeriod(D("2002-05-01")),))
    decision = ask_testing(world(catalogue=[bare]), "0701", "2010-01-01")
    assert reason(decision, "PRODUCT_IN_CATALOGUE").basis == (
        "CCC product catalogue (AQSIQ/CNCA PN 2001 No.33 and later notices)"
    )


def inspect(snapshot: facts.Snapshot, on: str, org: str = "hk-cb-b", code: str = "0702"):
    return decide_inspection(snapshot, subject="CCAA-0001", org=org, product_type=code, on=D(on))


def test_factory_inspection_agreements_were_approved_before_1_march_2025_and_filed_from_it() -> None:
    long_registration = world(inspectors=[replace(INSPECTOR, expires=D("2027-01-31"))])
    before = inspect(long_registration, "2025-02-28")
    assert reason(before, "ORG_AGREEMENT").basis == (
        "CEPA Implementation Guide (May 2020): factory inspection agreement with a designated CCC "
        "certification body (approval)"
    )
    assert reason(before, "ORG_ACCREDITED").basis.startswith("CEPA Implementation Guide (May 2020)")
    on = inspect(long_registration, "2025-03-01")
    assert reason(on, "ORG_AGREEMENT").basis == (
        "CEPA Implementation Guide (Feb 2025): factory inspection agreement with a designated CCC "
        "certification body (filing)"
    )
    assert reason(on, "ORG_ACCREDITED").basis.startswith("CEPA Implementation Guide (Feb 2025)")
    assert reason(inspect(long_registration, "2025-03-02"), "ORG_AGREEMENT").basis.endswith("(filing)")
    gate = inspect(long_registration, "2025-02-28", org="hk-ib")
    assert gate.reasons[0].basis.startswith("CEPA Implementation Guide (May 2020)")


# --- the inspection decision checks the catalogue ---------------------------------------------------


def removed_type_world() -> facts.Snapshot:
    inspector = replace(
        INSPECTOR,
        specialties=frozenset({"08"}),
        registered=D("2022-01-01"),
        affiliations=(facts.Affiliation("cn-cb-x", D("2022-01-01")),),
    )
    designation = replace(CB_DESIGNATION, product_types=frozenset({"0801"}))
    return world(inspectors=[inspector], designations=[designation])


def test_inspection_of_a_type_removed_by_samr_pn_2022_34() -> None:
    snapshot = removed_type_world()
    day_before = inspect(snapshot, "2022-10-10", org="cn-cb-x", code="0801")
    assert day_before.allowed is True
    assert codes(day_before)[0] == ("PRODUCT_IN_CATALOGUE", True)
    on_removal = inspect(snapshot, "2022-10-11", org="cn-cb-x", code="0801")
    assert on_removal.allowed is False
    assert failing(on_removal) == ["PRODUCT_IN_CATALOGUE"]
    assert failing(inspect(snapshot, "2022-10-12", org="cn-cb-x", code="0801")) == ["PRODUCT_IN_CATALOGUE"]


def test_inspection_catalogue_condition_comes_after_the_gate_and_before_registered() -> None:
    assert codes(inspect(world(), "2025-06-01", org="hk-ib")) == [("KIND_NOT_ELIGIBLE", False)]
    listed = [c for c, _ in codes(inspect(world(), "2025-06-01"))]
    assert listed[:2] == ["PRODUCT_IN_CATALOGUE", "REGISTERED"]


def test_inspection_before_a_type_comes_in() -> None:
    snapshot = world(designations=[replace(CB_DESIGNATION, valid_from=D("2018-01-01"))])
    decision = inspect(snapshot, "2023-07-31", org="cn-cb-x", code="0915")
    assert reason(decision, "PRODUCT_IN_CATALOGUE").holds is False
    assert reason(inspect(snapshot, "2023-08-01", org="cn-cb-x", code="0915"), "PRODUCT_IN_CATALOGUE").holds


# --- a type listed under several codes is one type -------------------------------------------------


def bundled_world() -> facts.Snapshot:
    """Records about the type 0807/0907, named (as the loader names them) by its key, 0807."""
    key = frozenset({"0807"})
    return world(
        accreditations=[replace(HOKLAS_901, scope=key), replace(HKCAS_041, scope=key)],
        designations=[replace(CB_DESIGNATION, product_types=key)],
        agreements=[
            replace(TESTING_AGREEMENT, product_types=key),
            replace(INSPECTION_AGREEMENT, product_types=key),
        ],
        plans=[replace(PLAN, product_types=key)],
        expressions_of_interest=[replace(EOI, product_types=key)],
    )


def test_testing_under_either_code_is_the_same_decision_echoing_the_code_asked() -> None:
    by_main = ask_testing(bundled_world(), "0807", "2026-05-20")
    by_bundled = ask_testing(bundled_world(), "0907", "2026-05-20")
    assert by_main.allowed is by_bundled.allowed is True
    assert codes(by_main) == codes(by_bundled)
    assert by_bundled.product_type == "0907"
    assert by_bundled.to_json()["product_type"] == "0907"
    assert reason(by_bundled, "ACCREDITATION_SCOPE").message == "The scope of HOKLAS 901 covers 0907"
    assert reason(by_bundled, "PRODUCT_IN_CATALOGUE").refs == ("0907",)


def test_testing_for_every_laboratory_under_a_bundled_code() -> None:
    (decision,) = decide_testing_for(
        bundled_world(), subjects=["hk-lab-a"], product_type="0907", on=D("2026-05-20")
    )
    assert decision.allowed is True
    assert decision.product_type == "0907"


def test_accreditation_events_about_the_type_count_under_either_code() -> None:
    suspended = facts.AccreditationEvent(D("2026-05-01"), facts.SUSPENDED, frozenset({"0807"}))
    snapshot = replace(
        bundled_world(),
        accreditations={
            "hk-lab-a": (replace(HOKLAS_901, scope=frozenset({"0807"}), events=(suspended,)),),
        },
    )
    assert failing(ask_testing(snapshot, "0907", "2026-05-01")) == ["ACCREDITATION_SUSPENDED"]
    assert ask_testing(snapshot, "0907", "2026-04-30").allowed is True


def test_inspection_and_specialty_families_of_a_bundled_type() -> None:
    for specialty in ("08", "09", "0807", "0907"):
        inspector = replace(INSPECTOR, specialties=frozenset({specialty}), expires=D("2027-01-31"))
        snapshot = replace(bundled_world(), inspectors={inspector.id: inspector})
        for code in ("0807", "0907"):
            decision = inspect(snapshot, "2025-06-01", code=code)
            assert decision.allowed is True, (specialty, code, failing(decision))
            assert (
                reason(decision, "SPECIALTY").message == f"The registered specialty {specialty} covers {code}"
            )
    other = replace(INSPECTOR, specialties=frozenset({"07"}), expires=D("2027-01-31"))
    snapshot = replace(bundled_world(), inspectors={other.id: other})
    assert failing(inspect(snapshot, "2025-06-01", code="0907")) == ["SPECIALTY"]


def test_no_family_covers_a_type_without_a_code() -> None:
    snapshot = world(inspectors=[replace(INSPECTOR, specialties=frozenset({"ga", "07"}))])
    assert reason(inspect(snapshot, "2025-06-01", code="gas-alarms"), "SPECIALTY").holds is False
    by_key = world(inspectors=[replace(INSPECTOR, specialties=frozenset({"gas-alarms"}))])
    assert reason(inspect(by_key, "2025-06-01", code="gas-alarms"), "SPECIALTY").holds is True


def test_designation_plan_and_interest_under_either_code() -> None:
    for code in ("0807", "0907"):
        decision = decide_designation(
            bundled_world(), subject="cn-lab-m", product_type=code, at=T("2026-06-20T10:00:00+08:00")
        )
        assert decision.allowed is True
        assert decision.plan == "2026-1"
        assert decision.product_type == code
        assert reason(decision, "EXPRESSION_OF_INTEREST").refs == ("EOI-7",)


def test_routine_scope_by_key_under_either_code() -> None:
    snapshot = replace(world(routine_scope=[facts.RoutineScopeEntry("0807", D("2017-09-29"))]))
    for code in ("0807", "0907"):
        decision = decide_designation(
            snapshot, subject="cn-lab-m", product_type=code, at=T("2026-06-20T10:00")
        )
        assert decision.route == "routine"
        assert reason(decision, "ROUTINE_SCOPE").message.startswith(
            f"{code} is in the routine designation scope"
        )


def test_enquiry_under_a_bundled_code_or_a_key() -> None:
    assert decide_enquiry(world(), product_type="0907").sector == "electrical_electronic"
    assert decide_enquiry(world(), product_type="gas-alarms").product_type == "gas-alarms"


def test_snapshot_names_every_code_and_key_of_a_type() -> None:
    snapshot = world()
    assert snapshot.key_of("0907") == snapshot.key_of("0807") == "0807"
    assert snapshot.key_of("gas-alarms") == "gas-alarms"
    assert snapshot.key_of("9999") == "9999"
    assert {"0807", "0907", "gas-alarms"} <= snapshot.known_codes
