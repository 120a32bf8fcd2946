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


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for one in checks:  # noqa: SIM110 - a plain loop is faster than all() over a generator
            if not one(value):
                return False
        return True

    return check


class _Compiler:
    KEYWORDS = frozenset({
        "$ref", "type", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "required", "properties", "additionalProperties", "items", "uniqueItems", "minItems", "anyOf",
    })

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.defs: Mapping[str, Any] = root.get("$defs", {})
        self.compiled: dict[str, Check] = {}
        self.compiling: set[str] = set()

    def ref(self, ref: str) -> Check:
        prefix = "#/$defs/"
        if not ref.startswith(prefix):
            raise UnsupportedSchema(f"$ref {ref}")
        name = ref[len(prefix):]
        if name in self.compiled:
            return self.compiled[name]
        if name in self.compiling:  # recursive: resolve when called
            return lambda v: self.compiled[name](v)
        self.compiling.add(name)
        self.compiled[name] = self.compile(self.defs[name])
        return self.compiled[name]

    def compile(self, schema: Mapping[str, Any]) -> Check:
        unknown = set(schema) - ANNOTATIONS - self.KEYWORDS
        if unknown:
            raise UnsupportedSchema(", ".join(sorted(unknown)))
        fast = self._string(schema)
        if fast is not None:
            return fast
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            checks.append(self._type(schema["type"]))
        if "enum" in schema:
            options = schema["enum"]
            if all(isinstance(option, str) for option in options):
                strings = frozenset(options)
                checks.append(lambda v: isinstance(v, str) and v in strings)
            else:
                checks.append(lambda v: any(_json_equal(v, option) for option in options))
        if "const" in schema:
            constant = schema["const"]
            checks.append(lambda v: _json_equal(v, constant))
        checks.extend(self._string_checks(schema))
        if "minimum" in schema:
            minimum = schema["minimum"]
            checks.append(lambda v: not TYPE_CHECKS["number"](v) or v >= minimum)
        if "maximum" in schema:
            maximum = schema["maximum"]
            checks.append(lambda v: not TYPE_CHECKS["number"](v) or v <= maximum)
        if "required" in schema or "properties" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema))
        if "items" in schema or "uniqueItems" in schema or "minItems" in schema:
            checks.append(self._array(schema))
        if "anyOf" in schema:
            alternatives = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v: any(alternative(v) for alternative in alternatives))
        return _all(checks) if checks else (lambda v: True)

    def _type(self, declared: str | list[str]) -> Check:
        types = declared if isinstance(declared, list) else [declared]
        if types == ["string"]:
            return lambda v: isinstance(v, str)
        if types == ["object"]:
            return lambda v: isinstance(v, dict)
        if types == ["array"]:
            return lambda v: isinstance(v, list)
        type_checks = [TYPE_CHECKS[t] for t in types]
        return lambda v: any(check(v) for check in type_checks)

    def _string_checks(self, schema: Mapping[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "minLength" in schema:
            low = schema["minLength"]
            checks.append(lambda v: not isinstance(v, str) or len(v) >= low)
        if "maxLength" in schema:
            high = schema["maxLength"]
            checks.append(lambda v: not isinstance(v, str) or len(v) <= high)
        return checks

    def _string(self, schema: Mapping[str, Any]) -> Check | None:
        """The common case, a plain string with a pattern and/or lengths, as one function."""
        plain = {"type", "pattern", "minLength", "maxLength"}
        if schema.get("type") != "string" or set(schema) - ANNOTATIONS - plain:
            return None
        search = re.compile(schema["pattern"]).search if "pattern" in schema else None
        low, high = schema.get("minLength", 0), schema.get("maxLength")

        def check(value: Any) -> bool:
            if not isinstance(value, str) or len(value) < low or (high is not None and len(value) > high):
                return False
            return search is None or search(value) is not None

        return check

    def _array(self, schema: Mapping[str, Any]) -> Check:
        item = self.compile(schema["items"]) if "items" in schema else None
        unique = bool(schema.get("uniqueItems"))
        fewest = schema.get("minItems", 0)

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if len(value) < fewest:
                return False
            if item is not None:
                for element in value:
                    if not item(element):
                        return False
            return not unique or _unique(value)

        return check

    def _object(self, schema: Mapping[str, Any]) -> Check:
        properties = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        additional = schema.get("additionalProperties", True)
        if additional not in (True, False):
            raise UnsupportedSchema("additionalProperties must be true or false here")

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
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
