"""Issuing: the chain is judged by the certificate decision on the day of issue; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cepa.certificates import services
from cepa.certificates.models import Certificate, CertificateInspection, CertificateReport
from cepa.certificates.tests.conftest import inspection, report
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotAllowed, Refused
from cepa.history.models import Change
from cepa.testing.personas import Persona

NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def links(registry: None) -> None:
    report("HV-2025-0001", "hk-lab-harbour", "2025-05-01")  # under the testing agreement (until 2026-02-28)
    report("HV-2026-0002", "hk-lab-harbour", "2026-03-02")  # after it ended: not eligible when made
    report("HV-2025-0003", "hk-lab-harbour", "2025-05-01", product_type="0702")
    inspection("FI-2025-0001", "hk-cb-lionrock", "2025-05-15", ["2024-CCC-HK-0007"])


def stored() -> tuple[Any, ...]:
    return (
        list(Certificate.objects.values_list("pk", flat=True)),
        CertificateReport.objects.count(),
        CertificateInspection.objects.count(),
        Change.objects.count(),
    )


def issue(user: Any, **overrides: Any) -> Certificate:
    values: dict[str, Any] = {
        "issuer": "cn-cb-east",
        "holder": {"en": "Pearl Appliances Ltd", "zh-Hans": "珠江电器有限公司"},
        "product_type": "0701",
        "issued": dt.date(2025, 6, 1),
        "expires": dt.date(2030, 5, 31),
        "test_reports": ["HV-2025-0001"],
        "factory_inspections": ["FI-2025-0001"],
    }
    values.update(overrides)
    return services.issue_certificate(actor="user:east", user=user, now=NOW, **values)


def test_issue_numbers_it_and_records_the_history(links: None, east_staff: Persona) -> None:
    first = issue(east_staff.user)
    second = issue(east_staff.user, factory_inspections=[])
    assert (first.pk, second.pk) == ("2025570701000001", "2025570701000002")
    assert first.holder_zh_hans == "珠江电器有限公司"
    change = Change.objects.get(record_id=first.pk)
    assert change.action == "create"
    assert change.after == {
        "id": "2025570701000001",
        "holder": {"en": "Pearl Appliances Ltd", "zh-Hans": "珠江电器有限公司"},
        "product_type": "0701",
        "issuer": "cn-cb-east",
        "issued": "2025-06-01",
        "expires": "2030-05-31",
        "test_reports": ["HV-2025-0001"],
        "factory_inspections": ["FI-2025-0001"],
    }


def test_a_given_number_must_fit(links: None, east_staff: Persona) -> None:
    issued = issue(east_staff.user, number="2024570701123456")
    assert issued.pk == "2024570701123456"
    cases = {
        "2026570701000001": "digits 1-4 (2026) must be a year not after the year of issue (2025)",
        "2025580701000001": "digits 5-6 (58) must be the issuer's CNCA code (57)",
        "2025570702000001": "digits 7-10 (0702) must be a code of the product type (0701)",
    }
    before = stored()
    for number, message in cases.items():
        with pytest.raises(InvalidInput) as raised:
            issue(east_staff.user, number=number)
        assert raised.value.errors == {"number": message}
    with pytest.raises(Conflict) as conflict:
        issue(east_staff.user, number="2024570701123456")
    assert conflict.value.code == ErrorCode.ALREADY_EXISTS
    assert stored() == before


def test_a_link_not_eligible_when_made_refuses_with_the_failing_codes(
    links: None, east_staff: Persona
) -> None:
    before = stored()
    with pytest.raises(Refused) as raised:
        issue(
            east_staff.user, issued=dt.date(2026, 4, 1), test_reports=["HV-2026-0002"], factory_inspections=[]
        )
    assert raised.value.code == ErrorCode.CHAIN_NOT_ELIGIBLE
    assert raised.value.failing == ["REPORTS_ELIGIBLE", "REPORTS_FOR_ISSUER"]
    with pytest.raises(Refused) as raised:
        issue(east_staff.user, issued=dt.date(2025, 4, 1))  # before its report and inspection
    assert raised.value.failing == ["CHAIN_BEFORE_ISSUE"]
    assert stored() == before


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"holder": {"en": " "}}, {"holder": "the holder's name in English is required"}),
        (
            {"holder": {"en": "A", "fr": "B"}},
            {"holder": "must be names by language: en (required), zh-Hant, zh-Hans"},
        ),
        ({"expires": dt.date(2025, 5, 31)}, {"expires": "is before the day of issue (2025-06-01)"}),
        (
            {"issued": dt.date(2026, 12, 7), "expires": dt.date(2030, 1, 1)},
            {"issued": "is after today (2026-12-06)"},
        ),
        ({"test_reports": []}, {"test_reports": "must be a non-empty list of ids"}),
        ({"test_reports": ["nope"]}, {"test_reports": "no test report nope"}),
        ({"test_reports": ["HV-2025-0003"]}, {"test_reports": "not of product type 0701: HV-2025-0003"}),
        ({"factory_inspections": ["FI-x"]}, {"factory_inspections": "no factory inspection FI-x"}),
        (
            {"issuer": "hk-cb-lionrock"},
            {"issuer": "hk-cb-lionrock has no CNCA code: it cannot number certificates"},
        ),
        (
            {"product_type": "9999"},
            {"product_type": "unknown product type code '9999': no catalogue version has had it"},
        ),
    ],
)
def test_bad_input_is_refused(
    links: None,
    east_staff: Persona,
    lionrock_staff: Persona,
    overrides: dict[str, Any],
    errors: dict[str, str],
) -> None:
    user = lionrock_staff.user if overrides.get("issuer") == "hk-cb-lionrock" else east_staff.user
    before = stored()
    with pytest.raises(InvalidInput) as raised:
        issue(user, **overrides)
    assert raised.value.errors == errors
    assert stored() == before


def test_only_the_issuers_staff_issue(links: None, lionrock_staff: Persona, cnca_officer: Persona) -> None:
    before = stored()
    with pytest.raises(NotAllowed):
        issue(lionrock_staff.user)
    with pytest.raises(NotAllowed):
        issue(cnca_officer.user)
    assert stored() == before
