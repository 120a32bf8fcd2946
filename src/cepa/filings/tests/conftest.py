"""Fixtures of the filings tests: the small registry and one persona per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cepa.testing import personas
from cepa.testing.personas import Persona
from cepa.testing.registries import make_world


@dataclass(frozen=True)
class People:
    lab: Persona  # applicant of hk-lab-a (the party of the filings)
    cb: Persona  # applicant of hk-cb-b (an outsider to them)
    partner: Persona  # applicant of cn-cb-x (the counterparty)
    cnca: Persona
    hkas: Persona
    ccaa: Persona
    admin: Persona


@pytest.fixture
def world(db: None) -> None:
    make_world()


# The tests name the applicants of bodies A and B in what they assert: "lab" and "cbstaff".
@pytest.fixture
def applicant_a(world: None) -> Persona:
    return personas.applicant("lab", "hk-lab-a")


@pytest.fixture
def applicant_b(world: None) -> Persona:
    return personas.applicant("cbstaff", "hk-cb-b")


@pytest.fixture
def people(
    applicant_a: Persona,
    applicant_b: Persona,
    cnca_officer: Persona,
    hkas_officer: Persona,
    ccaa_registrar: Persona,
    admin_user: Persona,
) -> People:
    return People(
        lab=applicant_a,
        cb=applicant_b,
        partner=personas.applicant("partner", "cn-cb-x"),
        cnca=cnca_officer,
        hkas=hkas_officer,
        ccaa=ccaa_registrar,
        admin=admin_user,
    )
