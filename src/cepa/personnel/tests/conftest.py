"""A small register for the personnel tests: three certification bodies and a laboratory, an inspector
registered with body A (the transfer journey), and personas of every role.

Body A is a Hong Kong certification body (HKCAS-accredited for 0701, with a factory-inspection agreement
with the Mainland body X, designated for 0701); body B is a Mainland certification body designated for
0701; body C is an unrelated Mainland certification body; hk-lab is a laboratory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cepa.personnel.models import Inspector
from cepa.personnel.services import registration
from cepa.testing import personas as build
from cepa.testing.factories import D, accreditation, agreement, designation, organisation
from cepa.testing.personas import Persona

NUMBER = "CCAA-2025-CCC-0001"
PERSONAL: dict[str, Any] = {
    "date_of_birth": D("1971-03-09"),
    "identity_document": "R4455667",
    "email": "ho.wing@example.hk",
    "phone": "+852 5550 9876",
}


@pytest.fixture
def bodies(db: None) -> None:
    organisation(
        "hk-cb-a",
        "certification_body",
        "HK",
        name="Alpha Certification Ltd",
        name_zh_hant="甲認證有限公司",
        name_zh_hans="甲认证有限公司",
    )
    organisation("cn-cb-b", "certification_body", "MAINLAND", name="Beta Certification Centre")
    organisation("cn-cb-c", "certification_body", "MAINLAND", name="Gamma Certification Centre")
    organisation("cn-cb-x", "certification_body", "MAINLAND", name="Xi Certification Centre")
    organisation("hk-lab", "laboratory", "HK", name="Harbour Lab")
    designation("CNCA-B", "cn-cb-b", "certification_body", ["0701", "0702"], "2018-01-01")
    designation("CNCA-C", "cn-cb-c", "certification_body", ["0701"], "2018-01-01")
    designation("CNCA-X", "cn-cb-x", "certification_body", ["0701", "0702"], "2018-01-01")
    accreditation("HKCAS 001", "hk-cb-a", "HKCAS", "2019-01-01", ["0701", "0702"])
    agreement("AG-A-X", "factory_inspection", "hk-cb-a", "cn-cb-x", ["0701", "0702"], "2020-01-01")


@pytest.fixture
def inspector(bodies: None) -> Inspector:
    """Registered with body A from 2025-01-01 to 2027-12-31, specialties 07 and 0915."""
    return registration.register_inspector(
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
def organisation_a(bodies: None) -> str:
    return "hk-cb-a"


@pytest.fixture
def organisation_b(bodies: None) -> str:
    return "cn-cb-b"


@pytest.fixture
def ccaa_registrar(db: None) -> Persona:
    return build.ccaa_registrar("registrar")  # the tests assert on this username


SHARED = {
    "registrar": "ccaa_registrar",
    "staff_a": "applicant_a",
    "staff_b": "applicant_b",
    "cnca": "cnca_officer",
    "hkas": "hkas_officer",
    "admin": "admin_user",
}
OTHER_STAFF = {"staff_c": "cn-cb-c", "staff_lab": "hk-lab"}


@pytest.fixture
def personas(bodies: None, request: pytest.FixtureRequest) -> Callable[[str], Persona]:
    """Personas by name, made when first asked for: registrar, staff_a, staff_b, staff_c, staff_lab
    (applicants of those bodies), cnca, hkas, admin."""
    made: dict[str, Persona] = {}

    def get(name: str) -> Persona:
        if name not in made:
            shared = SHARED.get(name)
            made[name] = (
                request.getfixturevalue(shared) if shared else build.applicant(name, OTHER_STAFF[name])
            )
        return made[name]

    return get
