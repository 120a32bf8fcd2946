"""Fixtures of the reminders tests: the filings tests' registry and staff with email addresses."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from cepa.reminders.services import set_language
from cepa.testing import personas
from cepa.testing.registries import make_world


@pytest.fixture
def world(db: None) -> None:
    make_world()


@pytest.fixture
def staff(world: None) -> None:
    """hk-lab-a: two applicants (English by default, one chose Traditional Chinese), one without an
    address and one inactive; cn-cb-x and cn-lab-z: one applicant each (Simplified by default)."""
    for username, organisation, email in (
        ("lab1", "hk-lab-a", "lab1@example.hk"),
        ("lab2", "hk-lab-a", "lab2@example.hk"),
        ("lab3", "hk-lab-a", ""),
        ("gone", "hk-lab-a", "gone@example.hk"),
        ("x1", "cn-cb-x", "x1@example.cn"),
        ("z1", "cn-lab-z", "z1@example.cn"),
    ):
        personas.applicant(username, organisation, email=email, token=False)
    personas.cnca_officer(email="cnca@example.cn", token=False)
    set_language(actor="test:setup", username="lab2", language="zh-Hant")
    get_user_model().objects.filter(username="gone").update(is_active=False)
