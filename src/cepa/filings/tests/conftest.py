"""Fixtures of the filings tests: the small registry and one persona per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from cepa.api.tests.helpers import Persona, persona
from cepa.filings.tests.helpers import make_world


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


@pytest.fixture
def people(world: None) -> People:
    return People(
        lab=persona("lab", "applicant", "hk-lab-a"),
        cb=persona("cbstaff", "applicant", "hk-cb-b"),
        partner=persona("partner", "applicant", "cn-cb-x"),
        cnca=persona("cnca", "cnca_officer"),
        hkas=persona("hkas", "hkas_officer"),
        ccaa=persona("ccaa", "ccaa_registrar"),
        admin=persona("root", "admin"),
    )


@pytest.fixture
def client() -> Client:
    return Client()
