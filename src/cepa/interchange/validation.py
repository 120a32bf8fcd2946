"""Checking an interchange document: JSON, then the schema, then what a schema cannot say.

Every problem names the JSON pointer of the offending value. All problems are collected, so one
refusal tells the publisher everything to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from cepa.interchange.schema import (
    CERTIFICATE_NUMBER_PATTERN,
    CNCA_CODE_PATTERN,
    CODE_PATTERN,
    DATE_PATTERN,
    FORMAT,
    LISTS,
    SCHEMA,
    SPECIALTY_PATTERN,
    TIMESTAMP_PATTERN,
)
from cepa.jsonload import TooDeep, depth_exceeds
from cepa.records import parse_timestamp

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ImportProblem:
    pointer: str  # RFC 6901 JSON pointer of the offending value ("" is the whole document)
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


class ImportRefused(Exception):
    """The document has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def pointer(path: Path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


LIST_ORDER = {name: position for position, name in enumerate(("format", *LISTS))}


def _sort_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, part, "") if isinstance(part, int) else (1, LIST_ORDER.get(part, len(LIST_ORDER)), part)
        for part in path
    )


class Problems:
    """Collects problems by path; reports them in document order without repeats."""

    def __init__(self) -> None:
        self._found: dict[tuple[Path, str], None] = {}

    def add(self, path: Path, message: str) -> None:
        self._found[(tuple(path), message)] = None

    def __bool__(self) -> bool:
        return bool(self._found)

    def sorted(self) -> list[ImportProblem]:
        ordered = sorted(self._found, key=lambda item: (_sort_key(item[0]), item[1]))
        return [ImportProblem(pointer(path), message) for path, message in ordered]


# --- parsing -------------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse(document: bytes | str | Mapping[str, Any]) -> Any:
    """The document as Python values; ImportRefused when it is not JSON."""
    if isinstance(document, Mapping):
        return document
    if isinstance(document, bytes | bytearray):
        try:
            document = bytes(document).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                [ImportProblem("", f"invalid JSON: the document is not UTF-8 (byte {error.start})")]
            ) from error
    try:
        return json.loads(document, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise ImportRefused([ImportProblem("", message)]) from error
    except RecursionError:  # nested deeper than the reader follows (issue 12, finding 9)
        raise ImportRefused([ImportProblem("", f"invalid JSON: {TooDeep()}")]) from None
    except ValueError as error:
        raise ImportRefused([ImportProblem("", f"invalid JSON: {error}")]) from error


# --- the schema ---------------------------------------------------------------------------------------


@cache
def fast_check() -> Callable[[Any], bool]:
    """Valid or not, from a compiled validator: a tenth of a second for a 60,000-record document, where
    `jsonschema` takes seconds. Only a refused document goes through `jsonschema`, for the messages."""
    return jsonschema_rs.validator_for(SCHEMA).is_valid


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(SCHEMA)


def _quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


PATTERN_MESSAGES = {
    DATE_PATTERN: "is not a valid date (YYYY-MM-DD)",
    TIMESTAMP_PATTERN: "is not a valid timestamp (ISO 8601, such as 2026-06-16T09:00:00+08:00)",
    CODE_PATTERN: "is not a product type code (4 digits) or catalogue key",
    SPECIALTY_PATTERN: (
        "is not a product type family (2 digits), product type code (4 digits) or catalogue key"
    ),
    CNCA_CODE_PATTERN: "is not a CNCA body code (2 digits)",
}


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most specific errors: a failed `$ref` or `anyOf` is reported through what failed inside it."""
    if (
        error.validator == "anyOf"
        and error.validator_value
        and all(set(option) == {"required"} for option in error.validator_value)
    ):
        yield error
    elif error.context:
        for sub in error.context:
            yield from _leaves(sub)
    else:
        yield error


def _schema_problem(error: ValidationError, problems: Problems) -> None:
    path: Path = tuple(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                problems.add((*path, name), "missing required field")
    elif kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for name in value:
            if name not in known:
                problems.add((*path, name), "field not in the cepa-registry/1 format")
    elif kind == "const" and path == ("format",):
        problems.add(path, f"wrong format {_quote(value)}: expected {_quote(FORMAT)}")
    elif kind == "enum":
        options = ", ".join(str(option) for option in expected)
        problems.add(path, f"{_quote(value)} is not one of: {options}")
    elif kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        problems.add(path, f"must be {' or '.join(wanted)}, not {_type_name(value)}")
    elif kind == "pattern":
        problems.add(path, f"{_quote(value)} {PATTERN_MESSAGES.get(expected, f'does not match {expected}')}")
    elif kind == "uniqueItems":
        seen: set[str] = set()
        for index, item in enumerate(value):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                problems.add((*path, index), f"{_quote(item)} is listed twice")
            seen.add(key)
    elif kind == "minItems":
        problems.add(path, f"must list at least {expected} item{'s' if expected != 1 else ''}")
    elif kind == "minLength":
        message = "must not be empty" if expected == 1 else f"must have at least {expected} characters"
        problems.add(path, message)
    elif kind == "maxLength":
        problems.add(path, f"is too long (at most {expected} characters)")
    elif kind in {"minimum", "maximum"}:
        bound = "at least" if kind == "minimum" else "at most"
        problems.add(path, f"{value} is out of range ({bound} {expected})")
    elif kind == "anyOf":
        names = " or ".join(option["required"][0] for option in expected)
        problems.add(path, f"must set {names}")
    else:
        problems.add(path, error.message)


def schema_problems(document: Any, problems: Problems) -> bool:
    """Adds the schema's problems; False when the document does not match the schema."""
    try:
        if fast_check()(document):
            return True
    except UnicodeEncodeError:  # a lone surrogate the compiled validator cannot take: explained below
        pass
    if depth_exceeds(document):
        # The schema's messages come from a validator that recurses once per level; no document of
        # the format nests this deep, so say that alone.
        problems.add((), f"the document is {TooDeep()}")
        return False
    for error in _validator().iter_errors(document):
        for leaf in _leaves(error):
            _schema_problem(leaf, problems)
    return False


# --- what the schema cannot say -----------------------------------------------------------------------


def records(document: Any, list_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The records of a list that are objects (the schema reports anything else)."""
    if not isinstance(document, dict):
        return
    items = document.get(list_name)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def items_of(value: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(value, list):
        yield from enumerate(value)


_FULL_MATCH = {
    pattern: re.compile(pattern[1:-1]).fullmatch
    for pattern in (DATE_PATTERN, TIMESTAMP_PATTERN, CODE_PATTERN, SPECIALTY_PATTERN, CNCA_CODE_PATTERN)
}


_FULL_NUMBER = re.compile(CERTIFICATE_NUMBER_PATTERN[1:-1]).fullmatch


def _matches(pattern: str, value: Any) -> bool:
    """Whether a string matches exactly (a schema `$` also lets a trailing newline through)."""
    return isinstance(value, str) and _FULL_MATCH[pattern](value) is not None


# Dates already found well formed (a document of millions of records names a few thousand days).
_GOOD_DATES: dict[str, date] = {}


def check_date(value: Any, path: Path, problems: Problems) -> date | None:
    """The date, or None when it is absent, null or malformed (then reported)."""
    if not isinstance(value, str):
        return None
    known = _GOOD_DATES.get(value)
    if known is not None:
        return known
    try:
        if not _matches(DATE_PATTERN, value):
            raise ValueError(value)
        parsed = date.fromisoformat(value)
        if len(_GOOD_DATES) >= 100_000:
            _GOOD_DATES.clear()
        _GOOD_DATES[value] = parsed
        return parsed
    except ValueError:
        problems.add(path, f"{_quote(value)} {PATTERN_MESSAGES[DATE_PATTERN]}")
        return None


def check_timestamp(value: Any, path: Path, problems: Problems) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        if not _matches(TIMESTAMP_PATTERN, value):
            raise ValueError(value)
        return parse_timestamp(value)
    except ValueError:
        problems.add(path, f"{_quote(value)} {PATTERN_MESSAGES[TIMESTAMP_PATTERN]}")
        return None


def check_range(start: Any, end: Any, path: Path, start_name: str, end_name: str, problems: Problems) -> None:
    if start is not None and end is not None and end < start:
        problems.add(path, f"{end_name} {_show(end)} is before {start_name} {_show(start)}")


def _show(value: date | datetime) -> str:
    return value.isoformat()


def _none_stored(ids: set[str]) -> dict[str, Any]:
    return {}


def _no_misfits(codes: Mapping[str, str | None], exclude: set[str]) -> dict[str, list[str]]:
    return {}


@dataclass
class Context:
    """What the semantic checks look things up in."""

    # Every code and key of the shipped catalogue -> its type's canonical key: the codes a type is
    # listed under are interchangeable (contract §1, rev. 2).
    product_types: Mapping[str, str]
    families: frozenset[str]
    # Tells which of the given organisation ids the registry holds (ids the document lacks).
    stored_organisations: Callable[[set[str]], set[str]]
    # The registry's records of the given ids (ids the document lacks), for certificates (rev. 2):
    # inspectors (id -> None), test reports and factory inspections (id -> product type).
    stored_inspectors: Callable[[set[str]], Mapping[str, Any]] = _none_stored
    stored_test_reports: Callable[[set[str]], Mapping[str, str]] = _none_stored
    stored_inspections: Callable[[set[str]], Mapping[str, str]] = _none_stored
    # The stored cnca_code (or None) of each of the given organisations the registry holds.
    stored_cnca_codes: Callable[[set[str]], Mapping[str, str | None]] = _none_stored
    # Given organisations' cnca_codes after the import, the stored certificates they issued whose number
    # would no longer fit (by issuer), leaving out the certificates of `exclude` (the document's own).
    misfitting_certificates: Callable[[Mapping[str, str | None], set[str]], Mapping[str, list[str]]] = (
        _no_misfits
    )


def check_codes(value: Any, path: Path, context: Context, problems: Problems) -> None:
    known = context.product_types
    for index, code in items_of(value):
        if not isinstance(code, str) or code in known:  # known codes are well formed
            continue
        if not _matches(CODE_PATTERN, code):
            problems.add((*path, index), f"{_quote(code)} {PATTERN_MESSAGES[CODE_PATTERN]}")
        else:
            problems.add((*path, index), f"unknown product type code {_quote(code)}")


def check_specialties(value: Any, path: Path, context: Context, problems: Problems) -> None:
    for index, code in items_of(value):
        if not isinstance(code, str):
            continue
        if not _matches(SPECIALTY_PATTERN, code):
            problems.add((*path, index), f"{_quote(code)} {PATTERN_MESSAGES[SPECIALTY_PATTERN]}")
            continue
        family = len(code) == 2 and code.isdigit()
        if code not in (context.families if family else context.product_types):
            kind = "product type family" if family else "product type code"
            problems.add((*path, index), f"unknown {kind} {_quote(code)}")


def check_ids(document: Any, problems: Problems) -> None:
    for list_name in LISTS:
        first: dict[str, int] = {}
        for index, record in records(document, list_name):
            record_id = record.get("id")
            if not isinstance(record_id, str):
                continue
            if record_id in first:
                first_at = f"/{list_name}/{first[record_id]}"
                message = f"id {_quote(record_id)} appears twice in {list_name} (first at {first_at})"
                problems.add((list_name, index, "id"), message)
            else:
                first[record_id] = index


# Where each list refers to organisations: (path inside the record, item list inside it or None).
ORGANISATION_REFERENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    "accreditations": (("organisation",),),
    "designations": (("organisation",),),
    "agreements": (("party",), ("counterparty",)),
    "expressions_of_interest": (("organisation",),),
    "inspectors": (("affiliations", "*", "organisation"),),
    "test_reports": (("laboratory",), ("certification_body",)),
    "factory_inspections": (("organisation",), ("on_behalf_of",)),
    "certificates": (("issuer",),),
}


def _walk(value: Any, steps: tuple[str, ...], path: Path) -> Iterator[tuple[Path, Any]]:
    if not steps:
        yield path, value
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        for index, item in items_of(value):
            yield from _walk(item, rest, (*path, index))
    elif isinstance(value, dict) and step in value:
        yield from _walk(value[step], rest, (*path, step))


def check_references(document: Any, context: Context, problems: Problems) -> None:
    in_document = {
        record["id"] for _, record in records(document, "organisations") if isinstance(record.get("id"), str)
    }

    def references() -> Iterator[tuple[Path, str]]:
        for list_name, paths in ORGANISATION_REFERENCES.items():
            for index, record in records(document, list_name):
                for steps in paths:
                    for path, value in _walk(record, steps, (list_name, index)):
                        if isinstance(value, str):
                            yield path, value

    def values() -> Iterator[Any]:
        """What references() gives, without the paths (a field of the record itself read at once)."""
        for list_name, paths in ORGANISATION_REFERENCES.items():
            items = document.get(list_name)
            if not isinstance(items, list):
                continue
            for steps in paths:
                if len(steps) == 1:
                    (step,) = steps
                    yield from (item.get(step) for item in items if isinstance(item, dict))
                else:
                    for index, record in records(document, list_name):
                        yield from (value for _, value in _walk(record, steps, (list_name, index)))

    outside = {value for value in values() if isinstance(value, str) and value not in in_document}
    if not outside:
        return
    unknown = outside - context.stored_organisations(outside)
    if unknown:  # a second walk, only to name where they are
        for path, value in references():
            if value in unknown:
                problems.add(path, f"unknown organisation {_quote(value)}")


def _check_accreditation(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    base: Path = ("accreditations", index)
    check_codes(record.get("scope"), (*base, "scope"), context, problems)
    check_date(record.get("granted"), (*base, "granted"), problems)
    scope = record.get("scope")
    types = context.product_types
    # By product type: an event may name a type under another of its codes.
    scope_set = None
    if isinstance(scope, list):
        scope_set = {types.get(code, code) for code in scope if isinstance(code, str)}
    for event_index, event in items_of(record.get("events")):
        if not isinstance(event, dict):
            continue
        event_path: Path = (*base, "events", event_index)
        check_date(event.get("on"), (*event_path, "on"), problems)
        # An event's scope must lie within the accreditation's scope.
        for code_index, code in items_of(event.get("scope")):
            if isinstance(code, str) and scope_set is not None and types.get(code, code) not in scope_set:
                problems.add(
                    (*event_path, "scope", code_index),
                    f"{_quote(code)} is not in the accreditation's scope",
                )


def _check_designation(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    base: Path = ("designations", index)
    check_codes(record.get("product_types"), (*base, "product_types"), context, problems)
    start = check_date(record.get("from"), (*base, "from"), problems)
    end = check_date(record.get("until"), (*base, "until"), problems)
    check_range(start, end, (*base, "until"), "from", "until", problems)


def _check_agreement(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    base: Path = ("agreements", index)
    check_codes(record.get("product_types"), (*base, "product_types"), context, problems)
    start = check_date(record.get("from"), (*base, "from"), problems)
    end = check_date(record.get("until"), (*base, "until"), problems)
    terminated = check_date(record.get("terminated_on"), (*base, "terminated_on"), problems)
    check_range(start, end, (*base, "until"), "from", "until", problems)
    check_range(start, terminated, (*base, "terminated_on"), "from", "terminated_on", problems)


def _check_plan(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    base: Path = ("plans", index)
    check_codes(record.get("product_types"), (*base, "product_types"), context, problems)
    check_date(record.get("published"), (*base, "published"), problems)
    window = record.get("window")
    if isinstance(window, dict):
        opens = check_timestamp(window.get("opens"), (*base, "window", "opens"), problems)
        closes = check_timestamp(window.get("closes"), (*base, "window", "closes"), problems)
        check_range(opens, closes, (*base, "window", "closes"), "opens", "closes", problems)


def _check_expression_of_interest(
    index: int, record: dict[str, Any], context: Context, problems: Problems
) -> None:
    base: Path = ("expressions_of_interest", index)
    check_codes(record.get("product_types"), (*base, "product_types"), context, problems)
    check_timestamp(record.get("submitted"), (*base, "submitted"), problems)


def _check_inspector(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    base: Path = ("inspectors", index)
    check_specialties(record.get("specialties"), (*base, "specialties"), context, problems)
    registered = check_date(record.get("registered"), (*base, "registered"), problems)
    expires = check_date(record.get("expires"), (*base, "expires"), problems)
    check_range(registered, expires, (*base, "expires"), "registered", "expires", problems)
    for affiliation_index, affiliation in items_of(record.get("affiliations")):
        if not isinstance(affiliation, dict):
            continue
        path: Path = (*base, "affiliations", affiliation_index)
        start = check_date(affiliation.get("from"), (*path, "from"), problems)
        end = check_date(affiliation.get("until"), (*path, "until"), problems)
        check_range(start, end, (*path, "until"), "from", "until", problems)
    for event_index, event in items_of(record.get("events")):
        if isinstance(event, dict):
            check_date(event.get("on"), (*base, "events", event_index, "on"), problems)


def _check_organisation(index: int, record: dict[str, Any], context: Context, problems: Problems) -> None:
    code = record.get("cnca_code")
    if isinstance(code, str) and not _matches(CNCA_CODE_PATTERN, code):
        message = f"{_quote(code)} {PATTERN_MESSAGES[CNCA_CODE_PATTERN]}"
        problems.add(("organisations", index, "cnca_code"), message)


RECORD_CHECKS: dict[str, Callable[[int, dict[str, Any], Context, Problems], None]] = {
    "organisations": _check_organisation,
    "accreditations": _check_accreditation,
    "designations": _check_designation,
    "agreements": _check_agreement,
    "plans": _check_plan,
    "expressions_of_interest": _check_expression_of_interest,
    "inspectors": _check_inspector,
}


def _bad_text(value: str) -> str | None:
    if "\x00" in value:
        return "text may not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (it holds a lone surrogate)"
    return None


def check_text(value: Any, path: Path, problems: Problems) -> None:
    """No database stores a NUL character or a lone surrogate: refuse them with their pointer."""
    if isinstance(value, str):
        problem = _bad_text(value)
        if problem:
            problems.add(path, problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _bad_text(key):
                problems.add((*path, key), f"field name: {_bad_text(key)}")
            check_text(item, (*path, key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, (*path, index), problems)


def text_is_clean(document: Any) -> bool:
    """Quickly: whether no string in the document needs check_text (one C-speed pass)."""
    try:
        text = json.dumps(document, ensure_ascii=False)
        text.encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return "\\u0000" not in text


def semantic_problems(
    document: Any,
    context: Context,
    problems: Problems,
    *,
    duplicate_ids: bool = True,
    clean_text: bool = False,
) -> None:
    if not clean_text and not text_is_clean(document):
        check_text(document, (), problems)
    if duplicate_ids:
        check_ids(document, problems)
    check_references(document, context, problems)
    for list_name, check in RECORD_CHECKS.items():
        for index, record in records(document, list_name):
            check(index, record, context, problems)
    check_certificates(document, context, problems)


# --- certificates and their chain (rev. 2) -------------------------------------------------------------

CERTIFICATE_NUMBER_RULE = (
    "a CCC certificate number is 16 digits: the year (not after the year of issued), the issuer's "
    "cnca_code, a code of the certificate's product type, then a serial"
)


def check_code(value: Any, path: Path, context: Context, problems: Problems) -> str | None:
    """One product type code or key: its type's canonical key, or None when it is unknown (reported)."""
    if not isinstance(value, str):
        return None
    key = context.product_types.get(value)
    if key is None:
        if not _matches(CODE_PATTERN, value):
            problems.add(path, f"{_quote(value)} {PATTERN_MESSAGES[CODE_PATTERN]}")
        else:
            problems.add(path, f"unknown product type code {_quote(value)}")
    return key


def _ids_with(document: Any, list_name: str, field_name: str) -> dict[str, Any]:
    """id -> the value of a field, for the list's records in the document."""
    return {
        record["id"]: record.get(field_name)
        for _, record in records(document, list_name)
        if isinstance(record.get("id"), str)
    }


def _resolve(
    wanted: set[str], in_document: Mapping[str, Any], stored: Callable[[set[str]], Mapping[str, Any]]
) -> dict[str, Any]:
    """The wanted ids that resolve, against the document and then the registry -> their value."""
    found = {key: in_document[key] for key in wanted if key in in_document}
    outside = wanted - found.keys()
    if outside:
        found.update(stored(outside))
    return found


def _published_codes(context: Context) -> dict[str, frozenset[str]]:
    """Canonical key -> the type's 4-digit codes (none for a type without a published code)."""
    codes: dict[str, set[str]] = {}
    for name, key in context.product_types.items():
        entry = codes.setdefault(key, set())
        if len(name) == 4 and name.isdigit():
            entry.add(name)
    return {key: frozenset(names) for key, names in codes.items()}


def _check_test_reports(document: Any, context: Context, problems: Problems) -> None:
    for index, record in records(document, "test_reports"):
        base: Path = ("test_reports", index)
        check_code(record.get("product_type"), (*base, "product_type"), context, problems)
        check_date(record.get("issued"), (*base, "issued"), problems)


def _check_factory_inspections(document: Any, context: Context, problems: Problems) -> None:
    listed = list(records(document, "factory_inspections"))
    in_document = _ids_with(document, "inspectors", "id")
    wanted = {
        inspector
        for _, record in listed
        for _, inspector in items_of(record.get("inspectors"))
        if isinstance(inspector, str)
    }
    known = _resolve(wanted, in_document, context.stored_inspectors) if wanted else {}
    for index, record in listed:
        base: Path = ("factory_inspections", index)
        check_code(record.get("product_type"), (*base, "product_type"), context, problems)
        check_date(record.get("on"), (*base, "on"), problems)
        for position, inspector in items_of(record.get("inspectors")):
            if isinstance(inspector, str) and inspector not in known:
                problems.add((*base, "inspectors", position), f"unknown inspector {_quote(inspector)}")


def _issuer_codes(document: Any, context: Context) -> tuple[dict[str, str | None], dict[str, int]]:
    """Each organisation's cnca_code as it will be after the import, for the document's organisations
    and the stored issuers of its certificates; and the document's organisations by index."""
    codes: dict[str, str | None] = {}
    positions: dict[str, int] = {}
    for index, record in records(document, "organisations"):
        identifier = record.get("id")
        if isinstance(identifier, str) and identifier not in positions:
            code = record.get("cnca_code")
            codes[identifier] = code if isinstance(code, str) else None
            positions[identifier] = index
    issuers = {
        record["issuer"]
        for _, record in records(document, "certificates")
        if isinstance(record.get("issuer"), str) and record["issuer"] not in codes
    }
    if issuers:
        codes.update(context.stored_cnca_codes(issuers))
    return codes, positions


def _check_number(
    record: dict[str, Any],
    base: Path,
    issued: date | None,
    key: str | None,
    codes: Mapping[str, str | None],
    published: Mapping[str, frozenset[str]],
    problems: Problems,
) -> None:
    number = record.get("id")
    if not isinstance(number, str):
        return
    if not _FULL_NUMBER(number):
        problems.add(
            (*base, "id"), f"{_quote(number)} is not a CCC certificate number: {CERTIFICATE_NUMBER_RULE}"
        )
        return
    if issued is not None and int(number[:4]) > issued.year:
        problems.add(
            (*base, "id"),
            f"digits 1-4 of {_quote(number)} (year {number[:4]}) are after the year of issued "
            f"({issued.year}): {CERTIFICATE_NUMBER_RULE}",
        )
    issuer = record.get("issuer")
    if isinstance(issuer, str) and issuer in codes:
        code = codes[issuer]
        if code is None:
            problems.add(
                (*base, "issuer"),
                f"issuer {_quote(issuer)} has no cnca_code: digits 5-6 of a CCC certificate number are its "
                "issuer's CNCA code",
            )
        elif number[4:6] != code:
            problems.add(
                (*base, "id"),
                f"digits 5-6 of {_quote(number)} ({number[4:6]}) are not the cnca_code of issuer "
                f"{_quote(issuer)} ({code}): {CERTIFICATE_NUMBER_RULE}",
            )
    if key is not None:
        type_codes = published.get(key, frozenset())
        if type_codes and number[6:10] not in type_codes:
            product_type = record.get("product_type")
            problems.add(
                (*base, "id"),
                f"digits 7-10 of {_quote(number)} ({number[6:10]}) are not a code of the certificate's "
                f"product type {_quote(product_type)} ({', '.join(sorted(type_codes))}): "
                f"{CERTIFICATE_NUMBER_RULE}",
            )


def _check_cited(
    record: dict[str, Any],
    base: Path,
    field_name: str,
    what: str,
    key: str | None,
    known: Mapping[str, str],
    context: Context,
    problems: Problems,
) -> None:
    for position, cited in items_of(record.get(field_name)):
        if not isinstance(cited, str):
            continue
        path = (*base, field_name, position)
        if cited not in known:
            problems.add(path, f"unknown {what} {_quote(cited)}")
            continue
        cited_type = known[cited]
        cited_key = context.product_types.get(cited_type) if isinstance(cited_type, str) else None
        if key is not None and cited_key is not None and cited_key != key:
            problems.add(
                path,
                f"{what} {_quote(cited)} is for product type {_quote(cited_type)}, not the certificate's "
                f"product type {_quote(record.get('product_type'))}",
            )


def _check_certificate_list(document: Any, context: Context, problems: Problems) -> None:
    listed = list(records(document, "certificates"))
    if not listed:
        return
    reports_wanted: set[str] = set()
    inspections_wanted: set[str] = set()
    for _, record in listed:
        reports_wanted.update(r for _, r in items_of(record.get("test_reports")) if isinstance(r, str))
        inspections_wanted.update(
            i for _, i in items_of(record.get("factory_inspections")) if isinstance(i, str)
        )
    reports = _resolve(
        reports_wanted, _ids_with(document, "test_reports", "product_type"), context.stored_test_reports
    )
    inspections = _resolve(
        inspections_wanted,
        _ids_with(document, "factory_inspections", "product_type"),
        context.stored_inspections,
    )
    codes, _ = _issuer_codes(document, context)
    published = _published_codes(context)
    for index, record in listed:
        base: Path = ("certificates", index)
        key = check_code(record.get("product_type"), (*base, "product_type"), context, problems)
        issued = check_date(record.get("issued"), (*base, "issued"), problems)
        expires = check_date(record.get("expires"), (*base, "expires"), problems)
        check_range(issued, expires, (*base, "expires"), "issued", "expires", problems)
        _check_number(record, base, issued, key, codes, published, problems)
        _check_cited(record, base, "test_reports", "test report", key, reports, context, problems)
        _check_cited(
            record, base, "factory_inspections", "factory inspection", key, inspections, context, problems
        )
        for position, event in items_of(record.get("events")):
            if not isinstance(event, dict):
                continue
            path: Path = (*base, "events", position, "on")
            on = check_date(event.get("on"), path, problems)
            if on is None:
                continue
            if issued is not None and on < issued:
                problems.add(path, f"event on {on.isoformat()} is before issued {issued.isoformat()}")
            elif expires is not None and on > expires:
                problems.add(path, f"event on {on.isoformat()} is after expires {expires.isoformat()}")


def _check_stored_certificates(document: Any, context: Context, problems: Problems) -> None:
    """A document that changes an issuer's cnca_code so that a stored certificate's number no longer fits
    is refused at that organisation's cnca_code."""
    new_codes: dict[str, str | None] = {}
    positions: dict[str, int] = {}
    for index, record in records(document, "organisations"):
        identifier = record.get("id")
        if isinstance(identifier, str) and identifier not in positions:
            code = record.get("cnca_code")
            new_codes[identifier] = code if isinstance(code, str) else None
            positions[identifier] = index
    if not new_codes:
        return
    stored = context.stored_cnca_codes(set(new_codes))
    changed = {org: code for org, code in new_codes.items() if org in stored and stored[org] != code}
    if not changed:
        return
    own = {
        record["id"] for _, record in records(document, "certificates") if isinstance(record.get("id"), str)
    }
    for org, numbers in context.misfitting_certificates(changed, own).items():
        if not numbers:
            continue
        shown = ", ".join(numbers[:3]) + (f" and {len(numbers) - 3} more" if len(numbers) > 3 else "")
        code = changed[org]
        change = f"changed to {_quote(code)}" if code is not None else "removed"
        problems.add(
            ("organisations", positions[org], "cnca_code"),
            f"the cnca_code of {_quote(org)} is {change}, so the numbers of certificates it issued no longer "
            f"fit (digits 5-6 are the issuer's CNCA code): {shown}",
        )


def check_certificates(document: Any, context: Context, problems: Problems) -> None:
    """Test reports, factory inspections and certificates: what the schema cannot say (contract §1)."""
    _check_test_reports(document, context, problems)
    _check_factory_inspections(document, context, problems)
    _check_certificate_list(document, context, problems)
    _check_stored_certificates(document, context, problems)


def validate(
    document: Any, context: Context, *, duplicate_ids: bool = True, clean_text: bool = False
) -> list[ImportProblem]:
    """Every problem of a parsed document, in document order (empty when it may be imported).

    `duplicate_ids` False leaves out ids twice in a list (a streamed import checks those over the whole
    document, each part of it being validated alone). `clean_text`: the caller knows no string holds a NUL
    or a lone surrogate (read from a text without any \\u escape)."""
    problems = Problems()
    if not isinstance(document, dict):
        problems.add((), f"the document must be a JSON object, not {_type_name(document)}")
        return problems.sorted()
    matches = schema_problems(document, problems)
    if matches and quick_part_ok(document, context, duplicate_ids=duplicate_ids, clean_text=clean_text):
        return []
    semantic_problems(document, context, problems, duplicate_ids=duplicate_ids, clean_text=clean_text)
    if not matches and not problems:  # never let a document the fast check refused through unexplained
        problems.add((), "the document does not match the cepa-registry/1 schema")
    return problems.sorted()


# --- a quick path for a part of a streamed list ---------------------------------------------------------
#
# A streamed import checks its millions of test reports, factory inspections and certificates part by
# part. For a part that matches the schema, these say in one tight loop whether the checks above would
# find nothing; they answer True only then. On anything else (a problem, or a value they do not expect)
# they answer False and the part goes through the checks above, so a refusal, its messages and pointers
# are exactly theirs.


def _quick_date(value: Any) -> date | None:
    known = _GOOD_DATES.get(value) if isinstance(value, str) else None
    return known if known is not None else check_date(value, (), Problems())


def _organisations_known(values: set[Any], context: Context) -> bool:
    wanted = {value for value in values if isinstance(value, str)}
    return not wanted or not (wanted - context.stored_organisations(wanted))


def _quick_test_reports(items: list[Any], context: Context) -> bool:
    types = context.product_types
    organisations: set[Any] = set()
    for record in items:
        if record["product_type"] not in types or _quick_date(record["issued"]) is None:
            return False
        organisations.add(record["laboratory"])
        organisations.add(record["certification_body"])
    return _organisations_known(organisations, context)


def _quick_factory_inspections(items: list[Any], context: Context) -> bool:
    types = context.product_types
    organisations: set[Any] = set()
    inspectors: set[str] = set()
    for record in items:
        if record["product_type"] not in types or _quick_date(record["on"]) is None:
            return False
        organisations.add(record["organisation"])
        organisations.add(record["on_behalf_of"])
        listed = record["inspectors"]
        if not isinstance(listed, list):
            return False
        inspectors.update(inspector for inspector in listed if isinstance(inspector, str))
    if not _organisations_known(organisations, context):
        return False
    return not inspectors or not (inspectors - context.stored_inspectors(inspectors).keys())


def _quick_cited(cited: Any, known: Mapping[str, Any], key: str, types: Mapping[str, str]) -> bool:
    if cited is None:
        return True
    if not isinstance(cited, list):
        return False
    for item in cited:
        if not isinstance(item, str):
            continue
        if item not in known:
            return False
        cited_type = known[item]
        cited_key = types.get(cited_type) if isinstance(cited_type, str) else None
        if cited_key is not None and cited_key != key:
            return False
    return True


def _quick_certificates(items: list[Any], context: Context) -> bool:
    types = context.product_types
    issuers = {record["issuer"] for record in items}
    if not _organisations_known(issuers, context):
        return False
    reports: set[str] = set()
    inspections: set[str] = set()
    for record in items:
        for field_name, wanted in (("test_reports", reports), ("factory_inspections", inspections)):
            cited = record.get(field_name)
            if cited is None:
                continue
            if not isinstance(cited, list):
                return False
            wanted.update(item for item in cited if isinstance(item, str))
    known_reports = context.stored_test_reports(reports) if reports else {}
    known_inspections = context.stored_inspections(inspections) if inspections else {}
    wanted_issuers = {issuer for issuer in issuers if isinstance(issuer, str)}
    codes = context.stored_cnca_codes(wanted_issuers) if wanted_issuers else {}
    published = _published_codes(context)
    for record in items:
        number = record["id"]
        key = types.get(record["product_type"])
        issued = _quick_date(record["issued"])
        expires = _quick_date(record["expires"])
        if (
            key is None
            or issued is None
            or expires is None
            or expires < issued
            or not isinstance(number, str)
            or not _FULL_NUMBER(number)
            or int(number[:4]) > issued.year
        ):
            return False
        issuer = record["issuer"]
        if issuer in codes and (codes[issuer] is None or number[4:6] != codes[issuer]):
            return False
        type_codes = published.get(key)
        if type_codes and number[6:10] not in type_codes:
            return False
        if not _quick_cited(record["test_reports"], known_reports, key, types):
            return False
        if not _quick_cited(record.get("factory_inspections"), known_inspections, key, types):
            return False
        events = record.get("events")
        if events is None:
            continue
        if not isinstance(events, list):
            return False
        for event in events:
            if not isinstance(event, dict):
                continue
            on_value = event.get("on")
            if on_value is None:
                continue
            on = _quick_date(on_value)
            if on is None or on < issued or on > expires:
                return False
    return True


QUICK_CHECKS: dict[str, Callable[[list[Any], Context], bool]] = {
    "test_reports": _quick_test_reports,
    "factory_inspections": _quick_factory_inspections,
    "certificates": _quick_certificates,
}


def quick_part_ok(
    document: dict[str, Any], context: Context, *, duplicate_ids: bool, clean_text: bool
) -> bool:
    """True only when `semantic_problems` would find nothing in a document that matches the schema and
    holds one streamed list alone (a part of a streamed import)."""
    if len(document) != 2 or "format" not in document:
        return False
    list_name = next(name for name in document if name != "format")
    check = QUICK_CHECKS.get(list_name)
    items = document[list_name]
    if check is None or not isinstance(items, list):
        return False
    if not clean_text and not text_is_clean(document):
        return False
    try:
        if not all(isinstance(record, dict) for record in items) or not check(items, context):
            return False
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return not duplicate_ids or len({record["id"] for record in items}) == len(items)
