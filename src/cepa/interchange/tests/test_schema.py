"""The schema is closed everywhere, and the fast check agrees with jsonschema on any document."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cepa.interchange.schema import SCHEMA
from cepa.interchange.tests.helpers import sample
from cepa.interchange.tests.strategies import documents
from cepa.interchange.validation import fast_check

VALIDATOR = Draft202012Validator(SCHEMA)
FAST = fast_check()


def object_schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from object_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from object_schemas(value)


def test_every_object_is_closed() -> None:
    schemas = list(object_schemas(SCHEMA))
    assert len(schemas) >= 12
    assert all(schema["additionalProperties"] is False for schema in schemas)


def test_records_carry_source_and_note_and_names_require_english() -> None:
    for name, items in SCHEMA["properties"].items():
        if name != "format":
            assert {"source", "note"} <= set(items["items"]["properties"]), name
    assert SCHEMA["$defs"]["names"]["required"] == ["en"]


def test_the_sample_is_valid() -> None:
    assert list(VALIDATOR.iter_errors(sample())) == []
    assert FAST(sample())


TYPICAL = ["0701", "07", "2026-01-01", "2026-01-01\n", "2026-06-02T09:00", "laboratory", "HK", "57"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4) | st.sampled_from(TYPICAL),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=5,
)
KEYS = st.sampled_from(["id", "name", "en", "scope", "events", "status", "grade", "from", "until", "x"])


def containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict | list):
        yield path
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from containers(value, (*path, key))


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(documents()))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(containers(document))
        path = draw(st.sampled_from(paths))
        target: Any = document
        for key in path:
            target = target[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            if action == "replace":
                target[key] = draw(JSON_VALUES)
            elif action == "delete":
                del target[key]
            else:
                target[draw(KEYS)] = draw(JSON_VALUES)
        elif isinstance(target, list) and target:
            index = draw(st.integers(0, len(target) - 1))
            if action == "replace":
                target[index] = draw(JSON_VALUES)
            elif action == "delete":
                del target[index]
            else:
                target.append(copy.deepcopy(target[index]) if draw(st.booleans()) else draw(JSON_VALUES))
    return document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_fast_check_agrees_with_jsonschema(document: Any) -> None:
    valid = not any(True for _ in VALIDATOR.iter_errors(document))
    # jsonschema_rs reads `$` as the very end; Python's `re` lets a final newline
    # through. The importer's own checks refuse such strings either way.
    assert FAST(document) == valid or ends_with_newline(document)


def ends_with_newline(node: Any) -> bool:
    if isinstance(node, str):
        return node.endswith("\n")
    if isinstance(node, dict):
        return any(ends_with_newline(value) for value in node.values())
    if isinstance(node, list):
        return any(ends_with_newline(value) for value in node)
    return False
