"""Contract rev. 2 through the database, the command line and the API: the shipped catalogue's periods,
a type listed under several codes is one type whichever code the records and the question use, a type
without a published code is asked about by its key, and inspection checks the catalogue."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.decisions import services
from cepa.decisions.tests.conftest import (
    accreditation,
    agreement,
    designation,
    expression_of_interest,
    inspector,
    organisation,
    plan,
)

pytestmark = pytest.mark.usefixtures("keep_connections")


def check(*argv: str) -> tuple[int, Any, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check", *argv, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue()) if out.getvalue() else None, err.getvalue()


def failing(decision: Any) -> list[str]:
    return [reason["code"] for reason in decision["reasons"] if not reason["holds"]]


@pytest.fixture
def bundled(db: None) -> None:
    """A Hong Kong laboratory whose records name the type 0807/0907 under one code or the other."""
    organisation("hk-lab", "laboratory", "HK")
    organisation("cn-cb", "certification_body", "MAINLAND")
    organisation("hk-cb", "certification_body", "HK")
    accreditation(
        "HOKLAS 1", "hk-lab", "HOKLAS", "2019-01-01", ["0907"], [("2026-05-01", "suspended", ["0807"])]
    )
    agreement("AG-1", "testing", "hk-lab", "cn-cb", ["0807"], "2021-01-01")
    designation("D-1", "cn-cb", "certification_body", ["0907", "0807"], "2018-01-01")
    accreditation("HKCAS 1", "hk-cb", "HKCAS", "2019-01-01", ["0807"])
    agreement("FI-1", "factory_inspection", "hk-cb", "cn-cb", ["0907"], "2021-01-01")
    inspector("CCAA-1", "inspector", ["09"], "2020-01-01", "2030-01-01", [("hk-cb", "2020-01-01", None)])


@pytest.mark.usefixtures("bundled")
@pytest.mark.parametrize("code", ["0807", "0907"])
def test_testing_under_either_code_reads_records_under_either(code: str) -> None:
    allowed = services.decide("testing", subject="hk-lab", product_type=code, on="2026-04-30")
    assert allowed.allowed is True
    assert allowed.to_json()["product_type"] == code
    # The suspension names the type under its other code: it counts all the same.
    suspended = services.decide("testing", subject="hk-lab", product_type=code, on="2026-05-01")
    assert suspended.failing == ["ACCREDITATION_SUSPENDED"]


@pytest.mark.usefixtures("bundled")
def test_testing_for_all_under_a_bundled_code_counts_a_record_once() -> None:
    (decision,) = [d for d in services.testing_for_all("0907", on="2026-04-30") if d.subject == "hk-lab"]
    assert decision.allowed is True
    assert decision.product_type == "0907"
    assert [r.refs for r in decision.reasons if r.code == "PARTNER_DESIGNATED"] == [("cn-cb", "D-1")]


@pytest.mark.usefixtures("bundled")
@pytest.mark.parametrize("code", ["0807", "0907"])
def test_inspection_under_either_code(code: str) -> None:
    decision = services.decide(
        "inspection", subject="CCAA-1", org="hk-cb", product_type=code, on="2026-04-30"
    )
    assert decision.allowed is True, decision.failing
    assert [r.code for r in decision.reasons][:2] == ["PRODUCT_IN_CATALOGUE", "REGISTERED"]


@pytest.mark.usefixtures("bundled")
def test_a_bundled_code_costs_no_more_queries() -> None:
    with CaptureQueriesContext(connection) as main_code:
        services.decide("testing", subject="hk-lab", product_type="0807", on="2026-04-30")
    with CaptureQueriesContext(connection) as bundled_code:
        services.decide("testing", subject="hk-lab", product_type="0907", on="2026-04-30")
    assert len(main_code) == len(bundled_code) <= 6


@pytest.mark.usefixtures("bundled")
def test_cli_and_api_echo_the_code_asked(client: Client) -> None:
    code, decision, err = check("testing", "hk-lab", "0907", "--on", "2026-04-30")
    assert (code, err) == (0, "")
    assert decision["product_type"] == "0907"
    response = client.get(
        "/api/v1/decisions/testing", {"subject": "hk-lab", "product_type": "0907", "on": "2026-04-30"}
    )
    assert response.status_code == 200
    assert response.json() == decision


@pytest.mark.usefixtures("bundled")
def test_designation_plan_and_interest_under_either_code() -> None:
    organisation("cn-lab", "laboratory", "MAINLAND", hk_invested=True)
    plan("P-1", 2026, "laboratory", ["0907"], "2026-05-01", "2026-06-01T09:00", "2026-06-30T17:00")
    expression_of_interest("EOI-1", "cn-lab", 2026, ["0807"], "2026-03-01T09:00")
    for code in ("0807", "0907"):
        decision = services.decide("designation", subject="cn-lab", product_type=code, at="2026-06-05T10:00")
        assert decision.allowed is True, decision.failing
        assert decision.plan == "P-1"
    together = services.designation_decisions(
        "cn-lab", ["0907", "0807"], services.parse_timestamp("2026-06-05T10:00")
    )
    assert [(d.product_type, d.allowed) for d in together] == [("0907", True), ("0807", True)]


# --- a type without a published code, by its key ----------------------------------------------------


@pytest.fixture
def by_key(db: None) -> None:
    organisation("cn-lab", "laboratory", "MAINLAND")
    designation("D-2", "cn-lab", "laboratory", ["ebike-chargers"], "2024-01-01")


@pytest.mark.usefixtures("by_key")
def test_testing_by_key_from_the_day_applications_open(client: Client) -> None:
    code, before, _ = check("testing", "cn-lab", "ebike-chargers", "--on", "2024-10-14")
    assert code == 1
    assert failing(before) == ["PRODUCT_IN_CATALOGUE"]
    assert before["reasons"][0]["message"] == (
        "ebike-chargers is not in the CCC catalogue on 2024-10-14: applications for it open on 2024-10-15"
    )
    code, on, _ = check("testing", "cn-lab", "ebike-chargers", "--on", "2024-10-15")
    assert (code, on["allowed"], on["product_type"]) == (0, True, "ebike-chargers")
    response = client.get(
        "/api/v1/decisions/testing",
        {"subject": "cn-lab", "product_type": "ebike-chargers", "on": "2024-10-16"},
    )
    assert (response.status_code, response.json()["allowed"]) == (200, True)


@pytest.mark.usefixtures("by_key")
def test_an_unknown_key_is_bad_input(client: Client) -> None:
    code, out, err = check("testing", "cn-lab", "no-such-type", "--on", "2024-10-15")
    assert (code, out) == (2, None)
    assert "unknown product type code 'no-such-type'" in err
    response = client.get("/api/v1/decisions/enquiry", {"product_type": "no-such-type"})
    assert response.status_code == 400


def test_enquiry_by_key_and_by_bundled_code(db: None) -> None:
    assert services.decide("enquiry", product_type="ebike-chargers").sector == "non_electrical_electronic"
    assert services.decide("enquiry", product_type="0907").to_json()["product_type"] == "0907"


# --- the shipped periods ----------------------------------------------------------------------------


def test_a_first_catalogue_type_is_in_from_2002_and_cites_its_instrument(db: None) -> None:
    organisation("cn-lab", "laboratory", "MAINLAND")
    designation("D-3", "cn-lab", "laboratory", ["0701"], "2002-01-01")
    before = services.decide("testing", subject="cn-lab", product_type="0701", on="2002-04-30")
    assert before.failing == ["PRODUCT_IN_CATALOGUE"]
    on = services.decide("testing", subject="cn-lab", product_type="0701", on="2002-05-01")
    assert on.allowed is True
    assert on.reasons[0].basis == "CCC product catalogue: AQSIQ/CNCA Public Notice 2001 No.33"
    assert services.decide("testing", subject="cn-lab", product_type="0701", on="2020-04-21").reasons[
        0
    ].basis == ("CCC product catalogue (SAMR PN 2020 No.18 and later SAMR notices)")


def test_combustible_gas_alarms_between_their_two_periods(db: None) -> None:
    organisation("cn-lab", "laboratory", "MAINLAND")
    designation("D-4", "cn-lab", "laboratory", ["combustible-gas-alarms"], "2010-01-01")

    def catalogue(on: str) -> Any:
        decision = services.decide("testing", subject="cn-lab", product_type="combustible-gas-alarms", on=on)
        return decision.reasons[0]

    assert catalogue("2018-06-10").holds is True
    between = catalogue("2018-06-11")
    assert between.holds is False
    assert between.message.endswith(
        "it was removed on 2018-06-11, and applications for it open again on 2024-10-01"
    )
    assert between.basis == "CCC product catalogue: SAMR/CNCA Public Notice 2018 No.11"
    assert catalogue("2024-09-30").holds is False
    assert catalogue("2024-10-01").holds is True


def test_inspection_of_a_type_removed_by_samr_pn_2022_34(db: None) -> None:
    organisation("cn-cb", "certification_body", "MAINLAND")
    designation("D-5", "cn-cb", "certification_body", ["0801"], "2018-01-01")
    inspector("CCAA-2", "inspector", ["08"], "2020-01-01", "2030-01-01", [("cn-cb", "2020-01-01", None)])

    def ask(on: str) -> Any:
        return services.decide("inspection", subject="CCAA-2", org="cn-cb", product_type="0801", on=on)

    assert ask("2022-10-10").allowed is True
    assert ask("2022-10-11").failing == ["PRODUCT_IN_CATALOGUE"]
    assert ask("2022-10-11").reasons[0].message == (
        "0801 is not in the CCC catalogue on 2022-10-11: it was removed on 2022-10-11"
    )
    assert ask("2022-10-12").failing == ["PRODUCT_IN_CATALOGUE"]
