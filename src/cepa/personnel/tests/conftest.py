"""A small register for the personnel tests: three certification bodies and a laboratory, an inspector
registered with body A (the transfer journey), and personas of every role.

Body A is a Hong Kong certification body (HKCAS-accredited for 0701, with a factory-inspection agreement
with the Mainland body X, designated for 0701); body B is a Mainland certification body designated for
0701; body C is an unrelated Mainland certification body; hk-lab is a laboratory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cepa.api.tests.helpers import Persona, persona
from cepa.bodies.models import (
    Accreditation,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.personnel import services
from cepa.personnel.models import Inspector

D = dt.date.fromisoformat
NUMBER = "CCAA-2025-CCC-0001"
PERSONAL: dict[str, Any] = {
    "date_of_birth": D("1971-03-09"),
    "identity_document": "R4455667",
    "email": "ho.wing@example.hk",
    "phone": "+852 5550 9876",
}


def _org(id_: str, kind: str, seat: str, name: str, **names: str) -> Organisation:
    return Organisation.objects.create(id=id_, kind=kind, seat=seat, name_en=name, **names)


def _designate(id_: str, organisation: str, codes: list[str]) -> None:
    designation = Designation.objects.create(
        id=id_, organisation_id=organisation, role="certification_body", valid_from=D("2018-01-01")
    )
    DesignationScope.objects.bulk_create(
        [DesignationScope(designation=designation, product_type=c) for c in codes]
    )


@pytest.fixture
def bodies(db: None) -> None:
    _org(
        "hk-cb-a",
        "certification_body",
        "HK",
        "Alpha Certification Ltd",
        name_zh_hant="甲認證有限公司",
        name_zh_hans="甲认证有限公司",
    )
    _org("cn-cb-b", "certification_body", "MAINLAND", "Beta Certification Centre")
    _org("cn-cb-c", "certification_body", "MAINLAND", "Gamma Certification Centre")
    _org("cn-cb-x", "certification_body", "MAINLAND", "Xi Certification Centre")
    _org("hk-lab", "laboratory", "HK", "Harbour Lab")
    _designate("CNCA-B", "cn-cb-b", ["0701", "0702"])
    _designate("CNCA-C", "cn-cb-c", ["0701"])
    _designate("CNCA-X", "cn-cb-x", ["0701", "0702"])
    hkcas = Accreditation.objects.create(
        id="HKCAS 001", organisation_id="hk-cb-a", scheme="HKCAS", granted=D("2019-01-01")
    )
    AccreditationScope.objects.bulk_create(
        [AccreditationScope(accreditation=hkcas, product_type=c) for c in ("0701", "0702")]
    )
    agreement = Agreement.objects.create(
        id="AG-A-X",
        kind="factory_inspection",
        party_id="hk-cb-a",
        counterparty_id="cn-cb-x",
        valid_from=D("2020-01-01"),
    )
    AgreementScope.objects.bulk_create(
        [AgreementScope(agreement=agreement, product_type=c) for c in ("0701", "0702")]
    )


@pytest.fixture
def inspector(bodies: None) -> Inspector:
    """Registered with body A from 2025-01-01 to 2027-12-31, specialties 07 and 0915."""
    return services.register_inspector(
        actor="test:registrar",
        id=NUMBER,
        name={"en": "Ho Wing Sze", "zh-Hant": "何詠詩", "zh-Hans": "何咏诗"},
        grade="inspector",
        specialties=["07", "0915"],
        registered=D("2025-01-01"),
        expires=D("2027-12-31"),
        organisation="hk-cb-a",
        **PERSONAL,
    )


@pytest.fixture
def personas(bodies: None) -> Callable[[str], Persona]:
    """Personas by name: registrar, staff_a, staff_b, staff_c (applicants of those bodies), cnca, admin."""
    made: dict[str, Persona] = {}
    roles = {
        "registrar": ("ccaa_registrar", None),
        "staff_a": ("applicant", "hk-cb-a"),
        "staff_b": ("applicant", "cn-cb-b"),
        "staff_c": ("applicant", "cn-cb-c"),
        "staff_lab": ("applicant", "hk-lab"),
        "cnca": ("cnca_officer", None),
        "hkas": ("hkas_officer", None),
        "admin": ("admin", None),
    }

    def get(name: str) -> Persona:
        if name not in made:
            role, organisation = roles[name]
            made[name] = persona(name, role, organisation)
        return made[name]

    return get
