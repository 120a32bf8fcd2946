"""A registry to attack, and the means to attack it (issue 12: the hostile-input tests, the fuzz test
and the probe script scripts/probe_hostile.py share them).

`make_world()` builds the API tests' registry (cepa.testing.registries.make_registry), a persona of
every role (applicants of a Mainland laboratory and of a Hong Kong body), and a draft application, so
that generated requests reach records that exist. `write_operations()` lists every JSON write of the
API from its own OpenAPI document; `fill()` puts real ids into their paths. `row_counts()` counts the
rows of every table, to tell that a refused request wrote nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from cepa.testing import personas
from cepa.testing.personas import Persona
from cepa.testing.registries import make_registry

WRITE_METHODS = ("post", "put", "patch")
# Tables a request may write to without changing the registry: sessions and the tokens' last use.
NOT_COUNTED = {"sessions.session", "contenttypes.contenttype", "auth.permission"}


@dataclass(frozen=True)
class World:
    people: dict[str, Persona]  # by role name
    ids: dict[str, str]  # a real id for each path parameter name


@dataclass(frozen=True)
class Operation:
    method: str  # POST, PUT, PATCH
    path: str  # the OpenAPI template, /api/v1/plans/{plan_id}/publish
    content_types: tuple[str, ...]  # of its request body; () for none

    @property
    def json(self) -> bool:
        return "application/json" in self.content_types or not self.content_types

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def make_world() -> World:
    """The registry of the API tests, every role, and a draft application of the Mainland lab."""
    from cepa.designation import services as designation

    make_registry()
    people = {
        "anonymous": personas.ANONYMOUS,
        "admin": personas.admin("hostile_admin"),
        "cnca": personas.cnca_officer("hostile_cnca"),
        "ccaa": personas.ccaa_registrar("hostile_ccaa"),
        "hkas": personas.hkas_officer("hostile_hkas"),
        "mainland": personas.applicant("hostile_pearl", "cn-lab-pearl"),
        "hk": personas.applicant("hostile_lionrock", "hk-cb-lionrock"),
    }
    application = designation.create_application(
        actor="test:hostile",
        user=people["mainland"].user,
        organisation="cn-lab-pearl",
        product_types=["0701"],
    )
    ids = {
        "application_id": str(application.pk),
        "plan_id": "2026-1",
        "record_id": "cn-lab-pearl",
        "filing_id": "AGF-2026-0001",
        "transfer_id": "1",
        "objection_id": "1",
        "inspector_id": "2024-CCC-HK-0007",
        "document_id": "1",
        "organisation_id": "cn-lab-pearl",
    }
    return World(people=people, ids=ids)


def write_operations() -> list[Operation]:
    """Every write of the API (POST, PUT, PATCH), from its OpenAPI document, in document order."""
    from cepa.api.api import api

    document = api.get_openapi_schema()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            content = (operation.get("requestBody") or {}).get("content") or {}
            found.append(Operation(method.upper(), path, tuple(content)))
    return found


def fill(path: str, ids: dict[str, str], **given: str) -> str:
    """The path with each {name} replaced by `given[name]`, else the world's id for it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return given.get(name, ids.get(name, "1"))

    return re.sub(r"\{([^}]+)\}", value, path)


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's models (what a refused request must leave as it was)."""
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_COUNTED or model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._default_manager.count()
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (before.get(name, 0), count) for name, count in after.items() if before.get(name) != count}


def call(client: Any, operation: Operation, path: str, body: bytes | str, persona: Persona) -> Any:
    """Sends `body` as JSON to the operation's `path` as `persona`."""
    send = getattr(client, operation.method.lower())
    return send(path, data=body, content_type="application/json", headers=persona.headers)
