"""The `certificate` decision (contract §2, rev. 2): every condition and notice at its boundaries, and
the status rules of §1."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cepa.rules import facts
from cepa.rules.certificate import decide_certificate
from cepa.rules.decision import UnknownFact
from cepa.rules.status import certificate_status
from cepa.rules.tests.builders import (
    CB_DESIGNATION,
    HKCAS_041,
    HOKLAS_901,
    INSPECTION_AGREEMENT,
    INSPECTOR,
    TESTING_AGREEMENT,
    D,
    codes,
    reason,
    world,
)

NUMBER = "2025570701000123"
REPORT = facts.TestReport("HV-1", "hk-lab-a", "0701", D("2025-05-01"), "cn-cb-x")
INSPECTION = facts.FactoryInspection("FI-1", "hk-cb-b", "cn-cb-x", ("CCAA-0001",), "0701", D("2025-05-15"))
CERTIFICATE = facts.Certificate(
    NUMBER,
    "0701",
    "cn-cb-x",
    D("2025-06-01"),
    D("2030-05-31"),
    test_reports=(REPORT,),
    factory_inspections=(INSPECTION,),
)
ALL_HOLD = [
    ("CERTIFICATE_VALID", True),
    ("PRODUCT_IN_CATALOGUE", True),
    ("ISSUER_DESIGNATED", True),
    ("CHAIN_BEFORE_ISSUE", True),
    ("REPORTS_ELIGIBLE", True),
    ("REPORTS_FOR_ISSUER", True),
    ("INSPECTORS_ELIGIBLE", True),
    ("INSPECTION_FOR_ISSUER", True),
]


def snapshot(certificate: facts.Certificate = CERTIFICATE, **changes: Any) -> facts.Snapshot:
    return world(certificates=[certificate], **changes)


def ask(snap: facts.Snapshot, on: str, lang: str = "en", subject: str = NUMBER):
    return decide_certificate(snap, subject=subject, on=D(on), lang=lang)


def cert(**changes: Any) -> facts.Certificate:
    return replace(CERTIFICATE, **changes)


def notices(decision: Any) -> list[tuple[str, list[str]]]:
    return [(n.code, list(n.refs)) for n in decision.notices]


# --- everything holds ---------------------------------------------------------------------------------


def test_a_sound_certificate_lists_every_condition_in_order_with_its_refs() -> None:
    decision = ask(snapshot(), "2025-06-01")
    assert codes(decision) == ALL_HOLD
    assert decision.allowed is True
    assert decision.status == "valid"
    assert decision.notices == ()
    assert [list(r.refs) for r in decision.reasons] == [
        [NUMBER],
        ["0701"],
        ["CNCA-D-17"],
        ["HV-1", "FI-1"],
        ["HV-1"],
        ["HV-1"],
        ["FI-1"],
        ["FI-1"],
    ]
    out = decision.to_json()
    assert list(out) == [
        "question",
        "subject",
        "product_type",
        "on",
        "allowed",
        "status",
        "reasons",
        "notices",
    ]
    assert out["question"] == "certificate"
    assert out["subject"] == NUMBER
    assert out["product_type"] == "0701"
    assert out["on"] == "2025-06-01"
    assert out["notices"] == []
    assert out["reasons"][0]["message"] == (
        f"Certificate {NUMBER} is valid on 2025-06-01 (issued 2025-06-01, expires 2030-05-31)"
    )
    assert out["reasons"][2]["basis"] == "CCC bodies measures: designation of CCC certification bodies"


def test_without_inspections_the_inspection_conditions_are_not_listed() -> None:
    decision = ask(snapshot(cert(factory_inspections=())), "2025-06-01")
    assert codes(decision) == ALL_HOLD[:6]
    assert list(reason(decision, "CHAIN_BEFORE_ISSUE").refs) == ["HV-1"]


def test_messages_come_in_each_language() -> None:
    hant = ask(snapshot(), "2025-06-01", "zh-Hant").to_json()
    hans = ask(snapshot(), "2025-06-01", "zh-Hans").to_json()
    assert hant["reasons"][0]["message"] == f"證書{NUMBER}於2025-06-01有效（2025-06-01發出，2030-05-31屆滿）"
    assert hans["reasons"][0]["message"] == f"证书{NUMBER}于2025-06-01有效（2025-06-01颁发，2030-05-31到期）"
    assert hans["reasons"][0]["basis"].startswith("《强制性产品认证管理规定》")


def test_an_unknown_certificate_is_an_unknown_fact() -> None:
    with pytest.raises(UnknownFact) as caught:
        ask(snapshot(), "2025-06-01", subject="2025570701999999")
    assert caught.value.field == "subject"


# --- status (§1) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "status", "holds"),
    [
        ("2025-05-31", "not_yet_valid", False),
        ("2025-06-01", "valid", True),
        ("2030-05-31", "valid", True),
        ("2030-06-01", "expired", False),
    ],
)
def test_validity_runs_from_issued_through_expires(on: str, status: str, holds: bool) -> None:
    decision = ask(snapshot(), on)
    assert decision.status == status
    assert reason(decision, "CERTIFICATE_VALID").holds is holds
    assert list(reason(decision, "CERTIFICATE_VALID").refs) == [NUMBER]


def test_not_yet_valid_and_expired_messages() -> None:
    early = reason(ask(snapshot(), "2025-05-31"), "CERTIFICATE_VALID")
    assert (
        early.message == f"Certificate {NUMBER} is not yet valid on 2025-05-31: it was issued on 2025-06-01"
    )
    late = reason(ask(snapshot(), "2030-06-01"), "CERTIFICATE_VALID")
    assert late.message == f"Certificate {NUMBER} has expired on 2030-06-01: it was valid through 2030-05-31"


def events(*pairs: tuple[str, str]) -> tuple[facts.CertificateEvent, ...]:
    return tuple(facts.CertificateEvent(D(on), status) for on, status in pairs)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        ("2026-01-09", "valid"),
        ("2026-01-10", "suspended"),
        ("2026-01-31", "suspended"),
        ("2026-02-01", "valid"),
    ],
)
def test_events_set_the_status_from_their_day(on: str, status: str) -> None:
    certificate = cert(events=events(("2026-01-10", "suspended"), ("2026-02-01", "valid")))
    assert certificate_status(certificate, D(on))[0] == status
    decision = ask(snapshot(certificate), on)
    assert decision.status == status
    assert reason(decision, "CERTIFICATE_VALID").holds is (status == "valid")


def test_suspension_message_names_its_day() -> None:
    certificate = cert(events=events(("2026-01-10", "suspended")))
    found = reason(ask(snapshot(certificate), "2026-03-01"), "CERTIFICATE_VALID")
    assert (found.holds, found.message) == (False, f"Certificate {NUMBER} is suspended from 2026-01-10")


@pytest.mark.parametrize(
    ("same_day", "status"),
    [
        (("valid", "suspended"), "suspended"),
        (("suspended", "cancelled"), "cancelled"),
        (("cancelled", "revoked"), "revoked"),
        (("valid", "revoked", "suspended", "cancelled"), "revoked"),
    ],
)
def test_of_several_events_on_one_day_the_first_in_order_revoked_cancelled_suspended_valid_counts(
    same_day: tuple[str, ...], status: str
) -> None:
    certificate = cert(events=events(*[("2026-01-10", s) for s in same_day]))
    assert certificate_status(certificate, D("2026-01-10")) == (status, D("2026-01-10"))


@pytest.mark.parametrize("final", ["revoked", "cancelled"])
def test_after_revoked_or_cancelled_no_later_event_has_effect(final: str) -> None:
    certificate = cert(
        events=events(("2026-01-10", final), ("2026-02-01", "valid"), ("2026-03-01", "suspended"))
    )
    assert certificate_status(certificate, D("2026-02-01")) == (final, D("2026-01-10"))
    assert certificate_status(certificate, D("2026-03-01")) == (final, D("2026-01-10"))
    found = reason(ask(snapshot(certificate), "2026-02-15"), "CERTIFICATE_VALID")
    assert found.message == f"Certificate {NUMBER} was {final} on 2026-01-10"


def test_outside_its_dates_the_events_do_not_count() -> None:
    certificate = cert(events=events(("2025-06-01", "revoked")))
    assert certificate_status(certificate, D("2025-05-31"))[0] == "not_yet_valid"
    assert certificate_status(certificate, D("2030-06-01"))[0] == "expired"
    assert certificate_status(certificate, D("2025-06-01"))[0] == "revoked"


# --- PRODUCT_IN_CATALOGUE -----------------------------------------------------------------------------


def removed_type_world() -> facts.Snapshot:
    """0801 leaves the catalogue after 2022-10-10; everything else about it holds."""
    report = replace(REPORT, product_type="0801", issued=D("2020-05-01"))
    certificate = cert(
        id="2020570801000001",
        product_type="0801",
        issued=D("2020-06-01"),
        expires=D("2025-05-31"),
        test_reports=(report,),
        factory_inspections=(),
    )
    return world(
        certificates=[certificate],
        accreditations=[replace(HOKLAS_901, scope=HOKLAS_901.scope | {"0801"})],
        designations=[replace(CB_DESIGNATION, product_types=CB_DESIGNATION.product_types | {"0801"})],
        agreements=[
            replace(
                TESTING_AGREEMENT,
                product_types=TESTING_AGREEMENT.product_types | {"0801"},
                valid_from=D("2020-01-01"),
            )
        ],
    )


@pytest.mark.parametrize(("on", "holds"), [("2022-10-10", True), ("2022-10-11", False)])
def test_the_product_type_must_be_in_the_catalogue_on_the_date(on: str, holds: bool) -> None:
    decision = decide_certificate(removed_type_world(), subject="2020570801000001", on=D(on))
    assert reason(decision, "PRODUCT_IN_CATALOGUE").holds is holds
    assert decision.allowed is holds
    # The laboratory is refused on that day only for the catalogue: that is a condition, not a notice.
    assert decision.notices == ()


# --- ISSUER_DESIGNATED and its notice -----------------------------------------------------------------


@pytest.mark.parametrize(("start", "holds"), [("2025-06-01", True), ("2025-06-02", False)])
def test_the_issuer_must_be_designated_on_the_day_of_issue(start: str, holds: bool) -> None:
    designation = replace(CB_DESIGNATION, valid_from=D(start))
    decision = ask(snapshot(designations=[designation]), "2025-06-01")
    found = reason(decision, "ISSUER_DESIGNATED")
    assert found.holds is holds
    assert list(found.refs) == (["CNCA-D-17"] if holds else ["cn-cb-x"])


def test_issuer_designated_names_the_smallest_designation_id() -> None:
    second = replace(CB_DESIGNATION, id="CNCA-D-05", valid_from=D("2024-01-01"))
    decision = ask(snapshot(designations=[CB_DESIGNATION, second]), "2025-06-01")
    assert list(reason(decision, "ISSUER_DESIGNATED").refs) == ["CNCA-D-05"]


def test_a_designation_ended_after_issue_gives_notices_in_order_issuer_reports_inspections() -> None:
    ended = replace(CB_DESIGNATION, valid_until=D("2025-09-30"))
    snap = snapshot(designations=[ended])
    on_last_day = ask(snap, "2025-06-30")
    assert on_last_day.notices == ()
    after = ask(snap, "2025-10-01")
    assert codes(after) == ALL_HOLD  # notices never change the conditions
    assert after.allowed is True
    assert notices(after) == [
        ("ISSUER_NO_LONGER_DESIGNATED", ["cn-cb-x"]),
        ("LABORATORY_NO_LONGER_ELIGIBLE", ["HV-1", "hk-lab-a"]),
        ("INSPECTOR_NO_LONGER_ELIGIBLE", ["FI-1", "CCAA-0001"]),
    ]
    assert after.notices[0].message == (
        "cn-cb-x is no longer designated as a CCC certification body for 0701 on 2025-10-01 "
        "(it was under CNCA-D-17 when it issued the certificate)"
    )
    assert after.notices[1].message == (
        "hk-lab-a, which made test report HV-1, is no longer eligible to test 0701 on 2025-10-01 "
        "(PARTNER_DESIGNATED)"
    )
    assert after.to_json()["notices"][0] == {
        "code": "ISSUER_NO_LONGER_DESIGNATED",
        "message": after.notices[0].message,
        "refs": ["cn-cb-x"],
    }


def test_the_last_day_of_a_designation_gives_no_notice() -> None:
    ended = replace(CB_DESIGNATION, valid_until=D("2025-09-30"))
    snap = snapshot(cert(factory_inspections=()), designations=[ended])
    assert ask(snap, "2025-09-30").notices == ()
    assert [n.code for n in ask(snap, "2025-10-01").notices] == [
        "ISSUER_NO_LONGER_DESIGNATED",
        "LABORATORY_NO_LONGER_ELIGIBLE",
    ]


def test_an_issuer_not_designated_at_issue_gives_no_notice_its_condition_fails() -> None:
    late = replace(CB_DESIGNATION, valid_from=D("2025-06-02"), valid_until=D("2025-07-01"))
    decision = ask(
        snapshot(
            cert(test_reports=(replace(REPORT, laboratory="cn-lab-m"),), factory_inspections=()),
            designations=[late],
        ),
        "2025-08-01",
    )
    assert reason(decision, "ISSUER_DESIGNATED").holds is False
    assert [n.code for n in decision.notices] == []


# --- CHAIN_BEFORE_ISSUE -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report_day", "inspection_day", "holds", "refs"),
    [
        ("2025-06-01", "2025-06-01", True, ["HV-1", "FI-1"]),
        ("2025-06-02", "2025-06-01", False, ["HV-1"]),
        ("2025-06-01", "2025-06-02", False, ["FI-1"]),
        ("2025-06-02", "2025-06-03", False, ["HV-1", "FI-1"]),
    ],
)
def test_every_report_and_inspection_is_dated_on_or_before_issue(
    report_day: str, inspection_day: str, holds: bool, refs: list[str]
) -> None:
    certificate = cert(
        test_reports=(replace(REPORT, issued=D(report_day)),),
        factory_inspections=(replace(INSPECTION, on=D(inspection_day)),),
    )
    found = reason(ask(snapshot(certificate), "2025-07-01"), "CHAIN_BEFORE_ISSUE")
    assert (found.holds, list(found.refs)) == (holds, refs)


def test_chain_before_issue_message_names_the_late_links() -> None:
    certificate = cert(test_reports=(replace(REPORT, issued=D("2025-06-02")),))
    found = reason(ask(snapshot(certificate), "2025-07-01"), "CHAIN_BEFORE_ISSUE")
    assert (
        found.message == f"Dated after 2025-06-01, the day certificate {NUMBER} was issued: HV-1 (2025-06-02)"
    )


# --- REPORTS_ELIGIBLE and LABORATORY_NO_LONGER_ELIGIBLE -----------------------------------------------


def suspended_from(day: str) -> facts.Accreditation:
    return replace(HOKLAS_901, events=(facts.AccreditationEvent(D(day), "suspended", None),))


@pytest.mark.parametrize(("suspension", "holds"), [("2025-05-01", False), ("2025-05-02", True)])
def test_each_reports_laboratory_must_be_allowed_to_test_on_the_reports_day(
    suspension: str, holds: bool
) -> None:
    snap = snapshot(accreditations=[suspended_from(suspension), HKCAS_041])
    decision = ask(snap, "2025-06-01")
    found = reason(decision, "REPORTS_ELIGIBLE")
    assert (found.holds, list(found.refs)) == (holds, ["HV-1"])
    if not holds:
        assert found.message == (
            "Not eligible to test 0701 on the day of the report: HV-1 (hk-lab-a on 2025-05-01: "
            "ACCREDITATION_SUSPENDED)"
        )
        assert decision.notices == ()  # not eligible when made: no notice


def test_reports_eligible_names_only_the_failing_reports_in_order() -> None:
    good = replace(REPORT, id="HV-0", laboratory="cn-lab-m")
    certificate = cert(test_reports=(REPORT, good, replace(REPORT, id="HV-2")))
    snap = snapshot(
        certificate, accreditations=[suspended_from("2025-04-01"), HKCAS_041], designations=[CB_DESIGNATION]
    )
    assert list(reason(ask(snap, "2025-06-01"), "REPORTS_ELIGIBLE").refs) == ["HV-1", "HV-0", "HV-2"]
    lab_designation = facts.Designation(
        "CNCA-L-1", "cn-lab-m", facts.LABORATORY, frozenset({"0701"}), D("2020-01-01")
    )
    snap = snapshot(
        certificate,
        accreditations=[suspended_from("2025-04-01"), HKCAS_041],
        designations=[CB_DESIGNATION, lab_designation],
    )
    assert list(reason(ask(snap, "2025-06-01"), "REPORTS_ELIGIBLE").refs) == ["HV-1", "HV-2"]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2025-05-31", []),  # before issued: no notices at all
        ("2025-06-01", [("LABORATORY_NO_LONGER_ELIGIBLE", ["HV-1", "hk-lab-a"])]),
    ],
)
def test_a_laboratory_suspended_after_its_report_gives_a_notice_from_the_day_of_issue(
    on: str, expected: list[Any]
) -> None:
    snap = snapshot(cert(factory_inspections=()), accreditations=[suspended_from("2025-05-20"), HKCAS_041])
    decision = ask(snap, on)
    assert notices(decision) == expected
    assert reason(decision, "REPORTS_ELIGIBLE").holds is True


def test_notices_are_given_whatever_the_status() -> None:
    certificate = cert(factory_inspections=(), events=events(("2025-07-01", "revoked")))
    snap = snapshot(certificate, accreditations=[suspended_from("2025-08-01"), HKCAS_041])
    decision = ask(snap, "2030-06-01")
    assert decision.status == "expired"
    assert notices(decision) == [("LABORATORY_NO_LONGER_ELIGIBLE", ["HV-1", "hk-lab-a"])]
    assert decision.allowed is False


# --- REPORTS_FOR_ISSUER -------------------------------------------------------------------------------


def test_a_report_made_for_another_body_fails_reports_for_issuer() -> None:
    certificate = cert(test_reports=(replace(REPORT, certification_body="cn-cb-y"),))
    found = reason(ask(snapshot(certificate), "2025-06-01"), "REPORTS_FOR_ISSUER")
    assert (found.holds, list(found.refs)) == (False, ["HV-1"])
    assert found.message == "Not made for cn-cb-x: HV-1 was made for cn-cb-y"


@pytest.mark.parametrize(("terminated_on", "holds"), [("2025-05-01", False), ("2025-05-02", True)])
def test_a_hong_kong_laboratory_needs_a_testing_agreement_with_the_issuer_on_the_reports_day(
    terminated_on: str, holds: bool
) -> None:
    agreement = replace(TESTING_AGREEMENT, terminated_on=D(terminated_on))
    snap = snapshot(agreements=[agreement, INSPECTION_AGREEMENT])
    found = reason(ask(snap, "2025-06-01"), "REPORTS_FOR_ISSUER")
    assert (found.holds, list(found.refs)) == (holds, ["HV-1"])


def test_an_agreement_with_another_body_does_not_serve_the_issuer() -> None:
    other = replace(TESTING_AGREEMENT, counterparty="cn-cb-y")
    y_designation = replace(CB_DESIGNATION, id="CNCA-D-18", organisation="cn-cb-y")
    snap = snapshot(agreements=[other, INSPECTION_AGREEMENT], designations=[CB_DESIGNATION, y_designation])
    decision = ask(snap, "2025-06-01")
    assert reason(decision, "REPORTS_ELIGIBLE").holds is True
    found = reason(decision, "REPORTS_FOR_ISSUER")
    assert found.holds is False
    assert found.message == (
        "Not made for cn-cb-x: HV-1: hk-lab-a had no testing agreement with cn-cb-x covering 0701 in force "
        "on 2025-05-01"
    )


def test_a_mainland_laboratory_needs_no_agreement() -> None:
    certificate = cert(test_reports=(replace(REPORT, laboratory="cn-lab-m"),))
    found = reason(ask(snapshot(certificate), "2025-06-01"), "REPORTS_FOR_ISSUER")
    assert (found.holds, list(found.refs)) == (True, ["HV-1"])


# --- INSPECTORS_ELIGIBLE and INSPECTOR_NO_LONGER_ELIGIBLE ---------------------------------------------


@pytest.mark.parametrize(("registered", "holds"), [("2025-05-15", True), ("2025-05-16", False)])
def test_each_inspector_must_be_allowed_on_the_inspections_day(registered: str, holds: bool) -> None:
    inspector = replace(
        INSPECTOR,
        registered=D(registered),
        affiliations=(facts.Affiliation("hk-cb-b", D("2023-02-01"), None),),
        expires=D("2030-01-01"),
    )
    found = reason(ask(snapshot(inspectors=[inspector]), "2025-06-01"), "INSPECTORS_ELIGIBLE")
    assert (found.holds, list(found.refs)) == (holds, ["FI-1"])


def test_inspectors_eligible_message_names_the_inspector_and_the_failing_codes() -> None:
    inspector = replace(INSPECTOR, grade="provisional")
    found = reason(ask(snapshot(inspectors=[inspector]), "2025-06-01"), "INSPECTORS_ELIGIBLE")
    assert found.message == (
        "Not eligible to inspect for 0701 on the day of the inspection: CCAA-0001 in FI-1 (hk-cb-b on "
        "2025-05-15: GRADE)"
    )


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2025-06-30", []),
        ("2025-07-01", [("INSPECTOR_NO_LONGER_ELIGIBLE", ["FI-1", "CCAA-0001"])]),
    ],
)
def test_an_inspector_who_left_the_body_gives_a_notice(on: str, expected: list[Any]) -> None:
    decision = ask(snapshot(), on)
    assert notices(decision) == expected
    assert decision.allowed is True
    if expected:
        assert decision.notices[0].message == (
            "CCAA-0001, an inspector of factory inspection FI-1, is no longer eligible to inspect for 0701 "
            "for hk-cb-b on 2025-07-01 (AFFILIATED)"
        )


def test_one_notice_per_inspector_of_each_inspection() -> None:
    second = replace(INSPECTOR, id="CCAA-0002")
    inspection = replace(INSPECTION, inspectors=("CCAA-0002", "CCAA-0001"))
    later = replace(INSPECTION, id="FI-2", on=D("2025-05-20"))
    snap = snapshot(cert(factory_inspections=(inspection, later)), inspectors=[INSPECTOR, second])
    assert notices(ask(snap, "2025-07-01")) == [
        ("INSPECTOR_NO_LONGER_ELIGIBLE", ["FI-1", "CCAA-0002"]),
        ("INSPECTOR_NO_LONGER_ELIGIBLE", ["FI-1", "CCAA-0001"]),
        ("INSPECTOR_NO_LONGER_ELIGIBLE", ["FI-2", "CCAA-0001"]),
    ]


# --- INSPECTION_FOR_ISSUER ----------------------------------------------------------------------------


def test_an_inspection_for_another_body_fails() -> None:
    certificate = cert(factory_inspections=(replace(INSPECTION, on_behalf_of="cn-cb-y"),))
    found = reason(ask(snapshot(certificate), "2025-06-01"), "INSPECTION_FOR_ISSUER")
    assert (found.holds, list(found.refs)) == (False, ["FI-1"])
    assert found.message == "Not made for cn-cb-x: FI-1 was made on behalf of cn-cb-y"


@pytest.mark.parametrize(("start", "holds"), [("2025-05-15", True), ("2025-05-16", False)])
def test_another_body_needs_a_factory_inspection_agreement_with_the_issuer_on_the_day(
    start: str, holds: bool
) -> None:
    agreement = replace(INSPECTION_AGREEMENT, valid_from=D(start))
    found = reason(
        ask(snapshot(agreements=[TESTING_AGREEMENT, agreement]), "2025-06-01"), "INSPECTION_FOR_ISSUER"
    )
    assert (found.holds, list(found.refs)) == (holds, ["FI-1"])


def test_the_issuer_may_inspect_itself() -> None:
    own = facts.FactoryInspection("FI-9", "cn-cb-x", "cn-cb-x", ("CCAA-0001",), "0701", D("2025-08-01"))
    certificate = cert(issued=D("2025-09-01"), factory_inspections=(own,))
    decision = ask(
        snapshot(certificate, inspectors=[replace(INSPECTOR, expires=D("2030-01-01"))]), "2025-09-01"
    )
    assert codes(decision) == ALL_HOLD


# --- product type codes -------------------------------------------------------------------------------


def test_codes_of_one_type_are_interchangeable_and_the_certificate_code_is_echoed() -> None:
    report = facts.TestReport("HV-7", "cn-lab-m", "0807", D("2025-05-01"), "cn-cb-x")
    certificate = facts.Certificate(
        "2025570907000001", "0907", "cn-cb-x", D("2025-06-01"), D("2030-05-31"), test_reports=(report,)
    )
    snap = world(
        certificates=[certificate],
        designations=[
            facts.Designation(
                "CNCA-D-1", "cn-cb-x", facts.CERTIFICATION_BODY, frozenset({"0807"}), D("2020-01-01")
            ),
            facts.Designation("CNCA-L-1", "cn-lab-m", facts.LABORATORY, frozenset({"0807"}), D("2020-01-01")),
        ],
    )
    decision = decide_certificate(snap, subject="2025570907000001", on=D("2025-06-01"))
    assert decision.product_type == "0907"
    assert codes(decision) == ALL_HOLD[:6]
    assert list(reason(decision, "PRODUCT_IN_CATALOGUE").refs) == ["0907"]


# --- several failing links: a line each, in the message's language ----------------------------------


def test_several_failing_links_are_listed_a_line_each_in_the_language_asked() -> None:
    reports = (replace(REPORT, certification_body="cn-cb-y"), replace(REPORT, id="HV-2"))
    inspections = (replace(INSPECTION, on_behalf_of="cn-cb-y"), replace(INSPECTION, id="FI-2"))
    snap = snapshot(cert(test_reports=reports, factory_inspections=inspections), agreements=[])
    english, chinese = ask(snap, "2025-06-01"), ask(snap, "2025-06-01", lang="zh-Hant")
    for decision in (english, chinese):
        assert [
            list(reason(decision, code).refs) for code in ("REPORTS_FOR_ISSUER", "INSPECTION_FOR_ISSUER")
        ] == [
            ["HV-1", "HV-2"],
            ["FI-1", "FI-2"],
        ]
    assert reason(english, "REPORTS_FOR_ISSUER").message == (
        "Not made for cn-cb-x: HV-1 was made for cn-cb-y, HV-2: hk-lab-a had no testing agreement with "
        "cn-cb-x covering 0701 in force on 2025-05-01"
    )
    assert reason(english, "INSPECTION_FOR_ISSUER").message == (
        "Not made for cn-cb-x: FI-1 was made on behalf of cn-cb-y, FI-2: hk-cb-b had no factory inspection "
        "agreement with cn-cb-x covering 0701 in force on 2025-05-15"
    )
    assert reason(english, "INSPECTORS_ELIGIBLE").message == (
        "Not eligible to inspect for 0701 on the day of the inspection: CCAA-0001 in FI-1 (hk-cb-b on "
        "2025-05-15: ORG_AGREEMENT), CCAA-0001 in FI-2 (hk-cb-b on 2025-05-15: ORG_AGREEMENT)"
    )
    assert reason(chinese, "REPORTS_FOR_ISSUER").message == (
        "並非為cn-cb-x出具：HV-1為cn-cb-y出具、HV-2：hk-lab-a於2025-05-01沒有與cn-cb-x簽訂、涵蓋0701的有效檢測合作協議"
    )
    assert reason(chinese, "INSPECTION_FOR_ISSUER").message == (
        "並非為cn-cb-x實施：FI-1代表cn-cb-y實施、FI-2：hk-cb-b於2025-05-15沒有與cn-cb-x簽訂、涵蓋0701的有效工廠檢查合作協議"
    )
    assert reason(chinese, "REPORTS_ELIGIBLE").message == (
        "於報告當日不符合承擔0701檢測的資格：HV-1（hk-lab-a於2025-05-01：AGREEMENT_IN_FORCE）、"
        "HV-2（hk-lab-a於2025-05-01：AGREEMENT_IN_FORCE）"
    )
