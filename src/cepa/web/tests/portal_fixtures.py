"""Personas for the signed-in pages: applicants of several bodies and one officer of each authority."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.accounts.services import create_user

PASSWORD = "correct-horse-battery-staple-42"
PERSONAS: dict[str, tuple[str, str | None]] = {
    # username: (role, organisation)
    "pearl": ("applicant", "cn-lab-pearl-delta"),  # a Hong Kong-invested Mainland laboratory
    "bohai": ("applicant", "cn-lab-bohai"),  # another Mainland laboratory
    "xiangjiang": ("applicant", "cn-cb-xiangjiang"),  # a Hong Kong-invested Mainland certification body
    "victoria": ("applicant", "hk-cb-victoria"),  # a Hong Kong certification body
    "harbour": ("applicant", "hk-lab-harbourview"),  # a Hong Kong laboratory
    "hkas": ("hkas_officer", None),
    "cnca": ("cnca_officer", None),
    "cnca2": ("cnca_officer", None),
    "ccaa": ("ccaa_registrar", None),
    "root": ("admin", None),
}


@pytest.fixture
def personas(demo: None) -> dict[str, Any]:
    return {
        username: create_user(actor="system:test", username=username, role=role, organisation=org)
        for username, (role, org) in PERSONAS.items()
    }


def signed_in(client: Client, username: str, language: str = "en") -> Client:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    client.cookies["django_language"] = language
    return client
