"""Fixtures of the web tests: a registry loaded through the importer.

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

REGISTRY = Path(__file__).resolve().parent / "data" / "registry.json"


def registry_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(REGISTRY.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def demo(db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client
