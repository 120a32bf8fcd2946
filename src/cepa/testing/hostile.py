"""A registry to attack, and the means to attack it (issue 12: the hostile-input tests, the fuzz test
and the probe script scripts/probe_hostile.py share them).

`make_world()` builds the API tests' registry (cepa.testing.registries.make_registry), a persona of
every role (applicants of a Mainland laboratory and of a Hong Kong body), and a draft application, so
that generated requests reach records that exist. `write_operations()` lists every JSON write of the
API from its own OpenAPI document; `fill()` puts real ids into their paths. `row_counts()` counts the
rows of every table, to tell that a refused request wrote nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection

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


# Who may call each write, so that its body is judged (else 401 or 403 come first).
CALLERS = {
    "/api/v1/import": "admin",
    "/api/v1/plans": "cnca",
    "/api/v1/applications": "mainland",
    "/api/v1/expressions-of-interest": "mainland",
    "/api/v1/agreements/filings": "hk",
    "/api/v1/inspectors/registrations": "ccaa",
}


def caller(path: str) -> str:
    """The role that may call the write at `path` (an OpenAPI template)."""
    if path in CALLERS:
        return CALLERS[path]
    if path.startswith("/api/v1/applications/{application_id}/objections"):
        return "hk"
    if path.startswith("/api/v1/applications/{application_id}/review"):
        return "cnca"
    if path.startswith(
        ("/api/v1/applications/{application_id}/", "/api/v1/inspectors/{record_id}/transfers")
    ):
        return "mainland"
    if path.startswith(("/api/v1/plans/", "/api/v1/objections/", "/api/v1/agreements/filings/")):
        return "cnca"
    if path.startswith(("/api/v1/inspectors/", "/api/v1/transfers/")):
        return "ccaa"
    return "admin"


HOSTILE_IDS: tuple[str, ...] = (
    "0",
    "-1",
    "99999999999999999999999",
    "1.5",
    "a b",
    "x" * 300,
    "\u202e1",
    "%2e%2e",
    "..",
    "\x00",
    "1\x00",
)


def fill(path: str, ids: dict[str, str], **given: str) -> str:
    """The path with each {name} replaced by `given[name]`, else the world's id for it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return given.get(name, ids.get(name, "1"))

    return re.sub(r"\{([^}]+)\}", value, path)


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's models (what a refused request must leave as it was), in
    one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.label_lower not in NOT_COUNTED and not model._meta.proxy and model._meta.managed
        }
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (before.get(name, 0), count) for name, count in after.items() if before.get(name) != count}


def call(client: Any, operation: Operation, path: str, body: bytes | str, persona: Persona) -> Any:
    """Sends `body` as JSON to the operation's `path` as `persona`."""
    send = getattr(client, operation.method.lower())
    return send(path, data=body, content_type="application/json", headers=persona.headers)


# --- hostile input --------------------------------------------------------------------------------

# Values that have broken web applications: NUL and other control characters, unicode oddities (a
# lone surrogate, direction overrides, a byte order mark, astral characters), far and impossible
# dates, spreadsheet formulas, markup, paths; numbers past every limit; wrong types.
HOSTILE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\ud800",
    "\udfff",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "\ufeff",
    "\U0001d518\U0001d52b\U0001d526",
    "e\u0301\u0301\u0301",
    "\u200b",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "9999-12-31T23:59:59+08:00",
    "0001-01-01T00:00:00-23:59",
    "2026-06-01T24:00:00",
    "2026-06-01T10:00:00+99:00",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "' OR 1=1 --",
    "%00",
    "0701",
    "07",
    "cn-lab-pearl",
    "hk-cb-lionrock",
    "2026-1",
    "approve",
    "x" * 10_001,
)
HOSTILE_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    2**31,
    2**63,
    -(2**63) - 1,
    10**40,
    1e308,
    -0.0,
    5e-324,
    True,
    False,
    9999,
    10000,
)
# Whole bodies that are not JSON a decoder takes kindly to.
HOSTILE_TEXTS: tuple[bytes, ...] = (
    b"",
    b"null",
    b"[]",
    b'"text"',
    b"NaN",
    b"[Infinity, -Infinity]",
    b"1e999",
    b'{"a": 1e999}',
    b"1" * 5000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b"[" * 100_000 + b"]" * 100_000,
    b"[" * 63 + b"]" * 63,
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",
    b'{"id": "\\ud800"}',
    b'{"a": 1, "a": 2}',
    b"{'single': 'quotes'}",
    b'{"unterminated": ',
)


def strategies() -> Any:
    """hypothesis strategies of hostile input: (atom, value, body_for) where body_for(operation)
    makes JSON bodies for one operation, mostly objects of its own fields holding hostile values.
    Imported lazily: hypothesis is a dev dependency."""
    from hypothesis import strategies as st

    atom = st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.sampled_from(HOSTILE_NUMBERS),
        st.none(),
        st.text(max_size=20),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
    )
    value = st.recursive(
        atom,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(HOSTILE_STRINGS[:12]) | st.text(max_size=8), children, max_size=4
            )
        ),
        max_leaves=12,
    )

    def encoded(thing: Any) -> bytes:
        return json.dumps(thing, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")

    def body_for(operation: Operation) -> Any:
        fields = body_fields(operation)
        objects = (
            st.dictionaries(st.sampled_from(fields), value, min_size=1, max_size=len(fields))
            if fields
            else st.dictionaries(st.text(max_size=8), value, max_size=3)
        )
        return st.one_of(
            objects.map(encoded),
            objects.map(encoded),
            objects.map(encoded),
            value.map(encoded),
            st.sampled_from(HOSTILE_TEXTS),
        )

    return atom, value, body_for


def body_fields(operation: Operation) -> list[str]:
    """The names of the fields of the operation's JSON body (its OpenAPI schema, $refs followed)."""
    from cepa.api.api import api

    document = api.get_openapi_schema()
    schema = (
        document["paths"][operation.path][operation.method.lower()]
        .get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    seen = 0
    while "$ref" in schema and seen < 10:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document.get("components", {}).get("schemas", {}).get(name, {})
        seen += 1
    return sorted(schema.get("properties", {}))


def random_value(rng: Any, depth: int = 0) -> Any:
    """A hostile JSON value from `rng` (a random.Random): the probe script's counterpart of the
    hypothesis strategies."""
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3 and roll < 0.25:
        keys = rng.sample(HOSTILE_STRINGS[:12], rng.randint(0, 3))
        return {key: random_value(rng, depth + 1) for key in keys}
    if roll < 0.7:
        return rng.choice(HOSTILE_STRINGS)
    if roll < 0.95:
        return rng.choice(HOSTILE_NUMBERS)
    return None


def random_body(rng: Any, fields: list[str]) -> bytes:
    """A hostile body for an operation whose JSON fields are `fields`."""
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(HOSTILE_TEXTS)
    if roll < 0.25 or not fields:
        value = random_value(rng)
    else:
        value = {field: random_value(rng) for field in rng.sample(fields, rng.randint(1, len(fields)))}
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
