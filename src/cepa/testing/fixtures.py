"""The fixed personas as pytest fixtures, registered once by the repository's conftest.py.

Every persona but `anonymous` is a user made through the accounts service, with an API token.
Applicants act for `organisation_a` and `organisation_b`: by default a Hong Kong laboratory and a
Hong Kong certification body made here; an app whose registry has its own bodies A and B overrides
those two fixtures (or the applicant fixtures themselves, when its tests assert on other usernames).
"""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.testing import factories, personas
from cepa.testing.personas import Persona


@pytest.fixture
def organisation_a(db: None) -> str:
    return factories.organisation("hk-lab-a", "laboratory", "HK").pk


@pytest.fixture
def organisation_b(db: None) -> str:
    return factories.organisation("hk-cb-b", "certification_body", "HK").pk


@pytest.fixture
def anonymous() -> Persona:
    return personas.ANONYMOUS


@pytest.fixture
def applicant_a(organisation_a: str) -> Persona:
    return personas.applicant("staff_a", organisation_a)


@pytest.fixture
def applicant_b(organisation_b: str) -> Persona:
    return personas.applicant("staff_b", organisation_b)


@pytest.fixture
def cnca_officer(db: None) -> Persona:
    return personas.cnca_officer()


@pytest.fixture
def ccaa_registrar(db: None) -> Persona:
    return personas.ccaa_registrar()


@pytest.fixture
def hkas_officer(db: None) -> Persona:
    return personas.hkas_officer()


@pytest.fixture
def admin_user(db: None) -> Persona:
    """Replaces pytest-django's fixture of the same name (a bare superuser) with the admin persona."""
    return personas.admin()


@pytest.fixture
def admin_client(admin_user: Persona) -> Client:
    """pytest-django's fixture of the same name, signed in as the admin persona."""
    return admin_user.client()
