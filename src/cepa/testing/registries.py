"""Small registries that the tests of several apps share."""

from __future__ import annotations

import datetime as dt

from cepa.testing.factories import (
    accreditation,
    agreement,
    designation,
    expression_of_interest,
    inspector,
    organisation,
    plan,
)

# Personal data the public API must never show; the scan looks for each of these strings.
PERSONAL = {
    "date_of_birth": dt.date(1979, 4, 23),
    "identity_document": "K7714321",
    "email": "wong.ky@example.hk",
    "phone": "+852 5550 1234",
}


def make_registry() -> None:
    """The API tests' registry: four organisations, three accreditations (ids with a space and a
    slash), designations, agreements, a published and a draft plan, two expressions of interest and
    two inspectors."""
    organisation(
        "hk-lab-harbour",
        "laboratory",
        "HK",
        name="Harbour Product Testing Ltd",
        name_zh_hant="海港產品測試有限公司",
    )
    organisation("hk-cb-lionrock", "certification_body", "HK", name="Lion Rock Certification Ltd")
    organisation(
        "cn-cb-east",
        "certification_body",
        "MAINLAND",
        name="East China Certification Centre",
        cnca_code="57",
        source="CNCA list 2024",
    )
    organisation(
        "cn-lab-pearl",
        "laboratory",
        "MAINLAND",
        hk_invested=True,
        name="Pearl River Testing (Shenzhen) Co",
        name_zh_hans="珠江检测（深圳）有限公司",
    )

    accreditation(
        "HOKLAS 950",
        "hk-lab-harbour",
        "HOKLAS",
        "2020-09-01",
        ["0701", "0702", "0915"],
        [{"on": "2026-02-01", "status": "suspended", "scope": ["0915"], "reason": "voluntary"}],
    )
    accreditation("HKCAS 012/A", "hk-cb-lionrock", "HKCAS", "2019-01-15", ["0701"])
    accreditation("CNAS L1234", "cn-lab-pearl", "CNAS", "2018-05-01", ["0915", "2301"])

    designation(
        "CNCA-CB-57",
        "cn-cb-east",
        "certification_body",
        ["0701", "0702", "0915"],
        "2017-01-01",
        basis="CNCA designation plan 2016-2",
    )
    designation("CNCA-LAB-9", "cn-lab-pearl", "laboratory", ["2301"], "2019-01-01", "2023-12-31")

    agreement(
        "AGR-2021-014",
        "testing",
        "hk-lab-harbour",
        "cn-cb-east",
        ["0701", "0702", "0915"],
        "2021-03-01",
        "2026-02-28",
    )
    agreement(
        "AGR-2022-003",
        "factory_inspection",
        "hk-cb-lionrock",
        "cn-cb-east",
        ["0701"],
        "2022-01-01",
        terminated_on="2025-07-01",
    )

    plan("2026-1", 2026, "laboratory", ["0915"], "2026-06-01", "2026-06-02T09:00", "2026-06-12T17:00")
    plan(
        "2027-draft",
        2027,
        "certification_body",
        ["0701"],
        None,
        "2027-06-01T09:00",
        "2027-06-30T17:00",
        status="draft",
    )
    expression_of_interest("EOI-2026-0031", "cn-lab-pearl", 2026, ["0915"], "2026-03-20T11:15")
    expression_of_interest("EOI-2026-0040", "cn-cb-east", 2026, ["0701"], "2026-03-25T09:00")

    inspector(
        "2024-CCC-HK-0007",
        "inspector",
        ["07"],
        "2024-05-01",
        "2099-04-30",
        [("hk-cb-lionrock", "2024-05-01", None)],
        [
            {"on": "2025-01-10", "status": "suspended", "reason": "late annual confirmation"},
            {"on": "2025-02-10", "status": "active"},
            {"on": "2025-03-01", "grade": "senior"},
        ],
        name="Wong Ka Yan",
        name_zh_hant="黃嘉欣",
        **PERSONAL,
    )
    inspector(
        "2023/CCC/0001",
        "provisional",
        ["0915"],
        "2023-02-01",
        "2026-01-31",
        [("cn-cb-east", "2023-02-01", "2024-06-30")],
        name="Chan Tai Man",
    )


def make_world() -> None:
    """The filings and reminders tests' registry: a Hong Kong lab and CB, Mainland CBs (one designated
    for 0701/0702 open-ended and for 0915 until the end of 2026, one for nothing) and a Mainland lab;
    a HOKLAS accreditation of the lab."""
    organisation("hk-lab-a", "laboratory", "HK", name_zh_hant="海港測試")
    organisation("hk-cb-b", "certification_body", "HK")
    organisation("cn-cb-x", "certification_body", "MAINLAND", name_zh_hans="华东认证")
    organisation("cn-cb-y", "certification_body", "MAINLAND")
    organisation("cn-lab-z", "laboratory", "MAINLAND", name_zh_hans="珠江检测")
    designation("CNCA-X-1", "cn-cb-x", "certification_body", ["0701", "0702"], "2018-01-01")
    designation("CNCA-X-2", "cn-cb-x", "certification_body", ["0915"], "2018-01-01", "2026-12-31")
    accreditation("HOKLAS 901", "hk-lab-a", "HOKLAS", "2019-03-01", ["0701", "0702", "0915"])
