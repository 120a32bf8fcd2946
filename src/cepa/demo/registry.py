"""Where the demo registry and its cases live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTRY_PATH = DATA_DIR / "demo-registry.json"
CASES_PATH = DATA_DIR / "demo-cases.json"
DEMO_ACTOR = "system:demo"


def demo_document() -> dict[str, Any]:
    """The fictional demo registry, a `cepa-registry/1` document."""
    document: dict[str, Any] = json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))
    return document


def demo_cases() -> list[dict[str, Any]]:
    """The decision cases that show every reason code on the demo registry."""
    cases: list[dict[str, Any]] = json.loads(CASES_PATH.read_text(encoding="utf-8"))["cases"]
    return cases
