"""A fast yes/no check of a document against the interchange schema.

The `jsonschema` package validates a 60,000-record document in seconds; this compiles the same
SCHEMA (the subset of keywords it uses) into plain closures that answer only "valid or not" in a
fraction of that. A document it refuses is then validated by `jsonschema` for the error messages, so
the two must agree; tests check that they do. Uses `jsonschema_rs` instead when it is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only describe; they never change the outcome.
ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "$comment"}


class UnsupportedSchema(Exception):
    """The schema uses a keyword this compiler does not know: extend it rather than guess."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _unique(items: list[Any]) -> bool:
    if all(isinstance(item, str) for item in items):
        return len(set(items)) == len(items)
    return not any(_json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.defs: Mapping[str, Any] = root.get("$defs", {})
        self.compiled: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        prefix = "#/$defs/"
        if not ref.startswith(prefix):
            raise UnsupportedSchema(f"$ref {ref}")
        name = ref[len(prefix):]
        if name not in self.compiled:
            # A placeholder first, so a recursive $ref would resolve lazily.
            self.compiled[name] = lambda v: self.compiled[name](v)
            self.compiled[name] = self.compile(self.defs[name])
        return self.compiled[name]

    def compile(self, schema: Mapping[str, Any]) -> Check:
        checks: list[Check] = []
        unknown = set(schema) - ANNOTATIONS - {
            "$ref", "type", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
            "required", "properties", "additionalProperties", "items", "uniqueItems", "minItems", "anyOf",
        }
        if unknown:
            raise UnsupportedSchema(", ".join(sorted(unknown)))
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            type_checks = [TYPE_CHECKS[t] for t in types]
            checks.append(lambda v: any(check(v) for check in type_checks))
        if "enum" in schema:
            options = schema["enum"]
            checks.append(lambda v: any(_json_equal(v, option) for option in options))
        if "const" in schema:
            constant = schema["const"]
            checks.append(lambda v: _json_equal(v, constant))
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "minLength" in schema:
            low = schema["minLength"]
            checks.append(lambda v: not isinstance(v, str) or len(v) >= low)
        if "maxLength" in schema:
            high = schema["maxLength"]
            checks.append(lambda v: not isinstance(v, str) or len(v) <= high)
        if "minimum" in schema:
            minimum = schema["minimum"]
            checks.append(lambda v: not TYPE_CHECKS["number"](v) or v >= minimum)
        if "maximum" in schema:
            maximum = schema["maximum"]
            checks.append(lambda v: not TYPE_CHECKS["number"](v) or v <= maximum)
        if "required" in schema:
            required = tuple(schema["required"])
            checks.append(lambda v: not isinstance(v, dict) or all(key in v for key in required))
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema))
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
        if schema.get("uniqueItems"):
            checks.append(lambda v: not isinstance(v, list) or _unique(v))
        if "minItems" in schema:
            fewest = schema["minItems"]
            checks.append(lambda v: not isinstance(v, list) or len(v) >= fewest)
        if "anyOf" in schema:
            alternatives = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v: any(alternative(v) for alternative in alternatives))
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def _object(self, schema: Mapping[str, Any]) -> Check:
        properties = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        additional = schema.get("additionalProperties", True)
        if additional not in (True, False):
            raise UnsupportedSchema("additionalProperties must be true or false here")

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                prop = properties.get(key)
                if prop is None:
                    if not additional:
                        return False
                elif not prop(item):
                    return False
            return True

        return check


def compile_check(schema: Mapping[str, Any]) -> Check:
    """A function telling whether a document is valid against `schema`."""
    try:
        import jsonschema_rs  # optional: a Rust validator, much faster again
    except ImportError:
        return _Compiler(schema).compile(schema)
    return jsonschema_rs.validator_for(dict(schema)).is_valid  # type: ignore[no-any-return]


def compile_pure_check(schema: Mapping[str, Any]) -> Check:
    """The pure-Python compiled check (used when jsonschema_rs is absent; tested on its own)."""
    return _Compiler(schema).compile(schema)
