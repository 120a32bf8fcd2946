"""Fixtures of the reminders tests: the filings tests' registry and staff with email addresses."""

from __future__ import annotations

import pytest

from cepa.accounts.services import create_user
from cepa.filings.tests.helpers import make_world
from cepa.reminders.services import set_language


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
        create_user(
            actor="test:setup", username=username, role="applicant", organisation=organisation, email=email
        )
    create_user(actor="test:setup", username="cnca", role="cnca_officer", email="cnca@example.cn")
    set_language(actor="test:setup", username="lab2", language="zh-Hant")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="gone").update(is_active=False)
