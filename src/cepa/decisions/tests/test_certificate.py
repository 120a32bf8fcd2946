"""The `certificate` question from the database: the loader, `decide`, `cepa check certificate` and
`GET /api/v1/decisions/certificate` (contract §2, §3, rev. 2)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.decisions import loader, services
from cepa.decisions.services import DecisionInputError, decide
from cepa.testing.factories import certificate, factory_inspection, test_report

NUMBER = "2025570701000123"
URL = "/api/v1/decisions/certificate"

pytestmark = pytest.mark.usefixtures("registry", "keep_connections")


@pytest.fixture(autouse=True)
def chain(registry: None) -> None:
    """On the shared registry: a report by hk-lab-a and an inspection by hk-cb-b, both for cn-cb-x, and
    the certificate cn-cb-x issued on them."""
    test_report("HV-1", "hk-lab-a", "0701", "2025-05-01", "cn-cb-x")
    factory_inspection("FI-1", "hk-cb-b", "cn-cb-x", ["CCAA-0001"], "0701", "2025-05-15")
    certificate(NUMBER, "cn-cb-x", "0701", "2025-06-01", "2030-05-31", ["HV-1"], ["FI-1"])


# --- the loader -----------------------------------------------------------------------------------


def test_the_loader_reads_the_certificate_and_its_chain_in_order() -> None:
    test_report("HV-0", "hk-lab-a", "0701", "2025-04-01", "cn-cb-x")
    certificate(
        "2025570701000124",
        "cn-cb-x",
        "0701",
        "2025-06-01",
        "2030-05-31",
        ["HV-1", "HV-0"],
        ["FI-1"],
        [("2026-01-10", "suspended"), {"on": "2026-02-01", "status": "valid", "reason": "fixed"}],
        holder_zh_hans="珠江电器有限公司",
    )
    loaded = loader.load_certificate("2025570701000124")
    assert loaded is not None
    assert [r.id for r in loaded.test_reports] == ["HV-1", "HV-0"]
    assert [(i.id, i.inspectors, i.organisation, i.on_behalf_of) for i in loaded.factory_inspections] == [
        ("FI-1", ("CCAA-0001",), "hk-cb-b", "cn-cb-x")
    ]
    assert [(e.on.isoformat(), e.status) for e in loaded.events] == [
        ("2026-01-10", "suspended"),
        ("2026-02-01", "valid"),
    ]
    assert loaded.holder is not None and loaded.holder.zh_hans == "珠江电器有限公司"
    assert loader.load_certificate("2025570701999999") is None


def count_queries(number: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        decide("certificate", subject=number, on="2025-07-01")
    return len(queries)


def test_the_query_count_does_not_grow_with_the_chain() -> None:
    one = count_queries(NUMBER)
    reports = []
    for i in range(20):
        test_report(f"HV-2{i:02}", "hk-lab-a", "0701", "2025-05-01", "cn-cb-x")
        reports.append(f"HV-2{i:02}")
    inspections = []
    for i in range(5):
        factory_inspection(f"FI-2{i:02}", "hk-cb-b", "cn-cb-x", ["CCAA-0001"], "0701", "2025-05-15")
        inspections.append(f"FI-2{i:02}")
    certificate("2025570701000200", "cn-cb-x", "0701", "2025-06-01", "2030-05-31", reports, inspections)
    assert count_queries("2025570701000200") == one
    assert one <= 17


def test_the_queries_of_a_chain_are_counted() -> None:
    # The certificate with its events, its reports, its inspections with their inspectors, the
    # catalogue, the organisations, the accreditations of both schemes and their events, the agreements
    # of both kinds, the designations, the inspectors with their affiliations and their events.
    assert count_queries(NUMBER) == 12
    # A report alone: the same less the inspectors.
    certificate("2025570701000201", "cn-cb-x", "0701", "2025-06-01", "2030-05-31", ["HV-1"])
    assert count_queries("2025570701000201") == 9


# --- decide -------------------------------------------------------------------------------------------


def test_decide_answers_from_the_database() -> None:
    decision = decide("certificate", subject=NUMBER, on="2025-06-01")
    assert decision.allowed is True
    out = decision.to_json()
    assert out["status"] == "valid"
    assert out["notices"] == []
    assert [(r["code"], r["holds"], r["refs"]) for r in out["reasons"]] == [
        ("CERTIFICATE_VALID", True, [NUMBER]),
        ("PRODUCT_IN_CATALOGUE", True, ["0701"]),
        ("ISSUER_DESIGNATED", True, ["CNCA-D-17"]),
        ("CHAIN_BEFORE_ISSUE", True, ["HV-1", "FI-1"]),
        ("REPORTS_ELIGIBLE", True, ["HV-1"]),
        ("REPORTS_FOR_ISSUER", True, ["HV-1"]),
        ("INSPECTORS_ELIGIBLE", True, ["FI-1"]),
        ("INSPECTION_FOR_ISSUER", True, ["FI-1"]),
    ]


def test_an_expired_certificate_is_refused_with_its_status() -> None:
    decision = decide("certificate", subject=NUMBER, on="2030-06-01", lang="zh-Hant")
    assert (decision.allowed, decision.status) == (False, "expired")
    assert decision.failing == ["CERTIFICATE_VALID"]
    assert (
        decision.to_json()["reasons"][0]["message"] == f"證書{NUMBER}於2030-06-01已屆滿：有效期至2030-05-31"
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"product_type": "0701"}, "product_type"),
        ({"org": "cn-cb-x"}, "org"),
        ({"at": "2026-01-01T00:00:00+08:00"}, "at"),
    ],
)
def test_only_subject_and_on_are_accepted(arguments: dict[str, str], field: str) -> None:
    with pytest.raises(DecisionInputError) as caught:
        decide("certificate", subject=NUMBER, **arguments)
    assert caught.value.field == field
    assert caught.value.message == "not accepted by the certificate question"


def test_the_subject_is_required() -> None:
    with pytest.raises(DecisionInputError) as caught:
        decide("certificate", on="2026-01-01")
    assert (caught.value.field, caught.value.message) == ("subject", "required by the certificate question")


@pytest.mark.parametrize(
    "number", ["202557070100012", "20255707010001234", "2025-57-0701-0001", "ABCD570701000123"]
)
def test_a_malformed_number_says_how_numbers_are_formed(number: str) -> None:
    with pytest.raises(DecisionInputError) as caught:
        decide("certificate", subject=number)
    assert caught.value.field == "subject"
    assert (
        caught.value.message == f"malformed certificate number {number!r}: {services.CERTIFICATE_NUMBER_RULE}"
    )
    assert "16 digits" in caught.value.message


def test_an_unknown_number_is_bad_input_on_subject() -> None:
    with pytest.raises(DecisionInputError) as caught:
        decide("certificate", subject="2025570701999999", on="2026-01-01")
    assert caught.value.field == "subject"
    assert caught.value.message == (
        f"no certificate with number '2025570701999999' in the registry ({services.CERTIFICATE_NUMBER_RULE})"
    )


def test_a_malformed_date_is_bad_input_on_on() -> None:
    with pytest.raises(DecisionInputError) as caught:
        decide("certificate", subject=NUMBER, on="2026-13-01")
    assert caught.value.field == "on"


# --- cepa check certificate -----------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*argv, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_check_certificate_allowed_exits_0() -> None:
    code, out, err = run("check", "certificate", NUMBER, "--on", "2025-06-01")
    assert (code, err) == (0, "")
    assert json.loads(out) == decide("certificate", subject=NUMBER, on="2025-06-01").to_json()


def test_check_certificate_refused_exits_1() -> None:
    code, out, err = run("check", "certificate", NUMBER, "--on", "2025-05-31", "--lang", "zh-Hans")
    assert (code, err) == (1, "")
    decision = json.loads(out)
    assert (decision["allowed"], decision["status"]) == (False, "not_yet_valid")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("ABC",), "cepa check: certificate: NUMBER: malformed certificate number 'ABC': "),
        (("2025570701999999",), "cepa check: certificate: NUMBER: no certificate with number"),
        ((NUMBER, "--on", "2025-02-30"), "cepa check: certificate: --on: no such date '2025-02-30'"),
        ((), "cepa check: certificate: missing argument NUMBER (usage: check certificate NUMBER)"),
        (
            (NUMBER, "0701"),
            "cepa check: certificate: extra argument '0701' (usage: check certificate NUMBER)",
        ),
    ],
)
def test_check_certificate_bad_input_exits_2_with_nothing_on_stdout(
    argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run("check", "certificate", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(message)


# --- the API ------------------------------------------------------------------------------------------


def get(client: Client, **params: str) -> Any:
    return client.get(URL, params)


def test_api_answers_200_whether_allowed_or_refused(client: Client) -> None:
    allowed = get(client, subject=NUMBER, on="2025-06-01")
    assert allowed.status_code == 200
    assert allowed.json() == decide("certificate", subject=NUMBER, on="2025-06-01").to_json()
    refused = get(client, subject=NUMBER, on="2030-06-01", lang="zh-Hans")
    assert refused.status_code == 200
    assert (refused.json()["allowed"], refused.json()["status"]) == (False, "expired")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"subject": "123"}, "subject"),
        ({"subject": "2025570701999999"}, "subject"),
        ({"subject": NUMBER, "product_type": "0701"}, "product_type"),
        ({"subject": NUMBER, "org": "cn-cb-x"}, "org"),
        ({"subject": NUMBER, "on": "June"}, "on"),
        ({}, "subject"),
    ],
)
def test_api_bad_input_is_400(client: Client, params: dict[str, str], field: str) -> None:
    response = get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert [error["field"] for error in body["errors"]] == [field]
