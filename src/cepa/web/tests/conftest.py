"""Fixtures of the web tests: a registry loaded through the importer, and the people of the portal.

data/registry.json is a frozen copy of the fictional demo registry (cepa.demo), so that the pages'
exact assertions do not move when the demo grows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from cepa.interchange.services import import_document
from cepa.testing.personas import persona, sign_in

REGISTRY = Path(__file__).resolve().parent / "data" / "registry.json"
# The signed-in pages' people, by username: (role, organisation) in the demo registry.
PERSONAS: dict[str, tuple[str, str | None]] = {
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


def registry_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(REGISTRY.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def demo(db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.fixture
def personas(demo: None) -> dict[str, Any]:
    """The users of PERSONAS; the pages need no API token."""
    return {
        username: persona(username, role, organisation, token=False).user
        for username, (role, organisation) in PERSONAS.items()
    }


@pytest.fixture(autouse=True)
def fresh_cache(request: pytest.FixtureRequest) -> None:
    """An empty shared cache. The database cache is a table: cleared once the test may use the
    database (its rows also go with the test's transaction); a test without a database has no cache
    to read."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    cache.clear()


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def signed_in(client: Client, username: str, language: str = "en") -> Client:
    from django.contrib.auth import get_user_model

    sign_in(client, get_user_model().objects.get(username=username))
    return in_language(client, language)
