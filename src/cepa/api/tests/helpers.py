"""Test data for the API tests of every app: a small registry and personas with tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from cepa.accounts.services import create_token, create_user
from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.designation.models import ExpressionOfInterest, Plan
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent

BEIJING = ZoneInfo("Asia/Shanghai")
# Personal data the public API must never show; the scan looks for each of these strings.
PERSONAL = {
    "date_of_birth": dt.date(1979, 4, 23),
    "identity_document": "K7714321",
    "email": "wong.ky@example.hk",
    "phone": "+852 5550 1234",
}


def _org(id: str, name: str, kind: str, seat: str, **extra: Any) -> Organisation:
    return Organisation.objects.create(id=id, name_en=name, kind=kind, seat=seat, **extra)


def _scope(model: Any, parent_field: str, parent: Any, codes: list[str]) -> None:
    model.objects.bulk_create([model(**{parent_field: parent, "product_type": code}) for code in codes])


def make_registry() -> None:
    """Four organisations, three accreditations (ids with a space and a slash), designations,
    agreements, a published and a draft plan, two expressions of interest and two inspectors."""
    _org(
        "hk-lab-harbour",
        "Harbour Product Testing Ltd",
        "laboratory",
        "HK",
        name_zh_hant="海港產品測試有限公司",
    )
    _org("hk-cb-lionrock", "Lion Rock Certification Ltd", "certification_body", "HK")
    _org(
        "cn-cb-east",
        "East China Certification Centre",
        "certification_body",
        "MAINLAND",
        cnca_code="57",
        source="CNCA list 2024",
    )
    _org(
        "cn-lab-pearl",
        "Pearl River Testing (Shenzhen) Co",
        "laboratory",
        "MAINLAND",
        hk_invested=True,
        name_zh_hans="珠江检测（深圳）有限公司",
    )

    hoklas = Accreditation.objects.create(
        id="HOKLAS 950", organisation_id="hk-lab-harbour", scheme="HOKLAS", granted=dt.date(2020, 9, 1)
    )
    _scope(AccreditationScope, "accreditation", hoklas, ["0701", "0702", "0915"])
    AccreditationEvent.objects.create(
        accreditation=hoklas,
        position=0,
        on=dt.date(2026, 2, 1),
        status="suspended",
        scope=["0915"],
        reason="voluntary",
    )
    hkcas = Accreditation.objects.create(
        id="HKCAS 012/A", organisation_id="hk-cb-lionrock", scheme="HKCAS", granted=dt.date(2019, 1, 15)
    )
    _scope(AccreditationScope, "accreditation", hkcas, ["0701"])
    cnas = Accreditation.objects.create(
        id="CNAS L1234", organisation_id="cn-lab-pearl", scheme="CNAS", granted=dt.date(2018, 5, 1)
    )
    _scope(AccreditationScope, "accreditation", cnas, ["0915", "2301"])

    cb = Designation.objects.create(
        id="CNCA-CB-57",
        organisation_id="cn-cb-east",
        role="certification_body",
        valid_from=dt.date(2017, 1, 1),
        basis="CNCA designation plan 2016-2",
    )
    _scope(DesignationScope, "designation", cb, ["0701", "0702", "0915"])
    lab = Designation.objects.create(
        id="CNCA-LAB-9",
        organisation_id="cn-lab-pearl",
        role="laboratory",
        valid_from=dt.date(2019, 1, 1),
        valid_until=dt.date(2023, 12, 31),
    )
    _scope(DesignationScope, "designation", lab, ["2301"])

    testing = Agreement.objects.create(
        id="AGR-2021-014",
        kind="testing",
        party_id="hk-lab-harbour",
        counterparty_id="cn-cb-east",
        valid_from=dt.date(2021, 3, 1),
        valid_until=dt.date(2026, 2, 28),
    )
    _scope(AgreementScope, "agreement", testing, ["0701", "0702", "0915"])
    inspection = Agreement.objects.create(
        id="AGR-2022-003",
        kind="factory_inspection",
        party_id="hk-cb-lionrock",
        counterparty_id="cn-cb-east",
        valid_from=dt.date(2022, 1, 1),
        terminated_on=dt.date(2025, 7, 1),
    )
    _scope(AgreementScope, "agreement", inspection, ["0701"])

    Plan.objects.create(
        id="2026-1",
        year=2026,
        role="laboratory",
        product_types=["0915"],
        status="published",
        published=dt.date(2026, 6, 1),
        opens=dt.datetime(2026, 6, 2, 9, tzinfo=BEIJING),
        closes=dt.datetime(2026, 6, 12, 17, tzinfo=BEIJING),
        requires_expression_of_interest=True,
    )
    Plan.objects.create(
        id="2027-draft",
        year=2027,
        role="certification_body",
        product_types=["0701"],
        opens=dt.datetime(2027, 6, 1, 9, tzinfo=BEIJING),
        closes=dt.datetime(2027, 6, 30, 17, tzinfo=BEIJING),
        requires_expression_of_interest=True,
    )
    ExpressionOfInterest.objects.create(
        id="EOI-2026-0031",
        organisation_id="cn-lab-pearl",
        year=2026,
        product_types=["0915"],
        submitted=dt.datetime(2026, 3, 20, 11, 15, tzinfo=BEIJING),
    )
    ExpressionOfInterest.objects.create(
        id="EOI-2026-0040",
        organisation_id="cn-cb-east",
        year=2026,
        product_types=["0701"],
        submitted=dt.datetime(2026, 3, 25, 9, 0, tzinfo=BEIJING),
    )

    wong = Inspector.objects.create(
        id="2024-CCC-HK-0007",
        name_en="Wong Ka Yan",
        name_zh_hant="黃嘉欣",
        grade="inspector",
        specialties=["07"],
        registered=dt.date(2024, 5, 1),
        expires=dt.date(2099, 4, 30),
        **PERSONAL,
    )
    Affiliation.objects.create(
        inspector=wong, organisation_id="hk-cb-lionrock", valid_from=dt.date(2024, 5, 1)
    )
    InspectorEvent.objects.create(
        inspector=wong,
        position=0,
        on=dt.date(2025, 1, 10),
        status="suspended",
        reason="late annual confirmation",
    )
    InspectorEvent.objects.create(inspector=wong, position=1, on=dt.date(2025, 2, 10), status="active")
    InspectorEvent.objects.create(inspector=wong, position=2, on=dt.date(2025, 3, 1), grade="senior")
    chan = Inspector.objects.create(
        id="2023/CCC/0001",
        name_en="Chan Tai Man",
        grade="provisional",
        specialties=["0915"],
        registered=dt.date(2023, 2, 1),
        expires=dt.date(2026, 1, 31),
    )
    Affiliation.objects.create(
        inspector=chan,
        organisation_id="cn-cb-east",
        valid_from=dt.date(2023, 2, 1),
        valid_until=dt.date(2024, 6, 30),
    )


@dataclass(frozen=True)
class Persona:
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def persona(username: str, role: str, organisation: str | None = None) -> Persona:
    create_user(actor="test:setup", username=username, role=role, organisation=organisation)
    _, raw = create_token(actor="test:setup", username=username)
    return Persona(username, raw)
