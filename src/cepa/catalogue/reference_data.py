"""Reading and validating the shipped reference data files (no database access here).

Each file in `data/` holds one list of records whose fields are named like the model fields. The
field tables below are the only description of the files' shape: a record with a missing, extra or
ill-typed field is refused with the file, the JSON pointer and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cepa.catalogue.models import ConformityRoute, MeasureActivity, RoutineApplicant, Sector, SpanRoute

DATA_DIR = Path(__file__).resolve().parent / "data"
RELEASE_NAME = "catalogue"
CODE = re.compile(r"^[0-9]{4}$")
CHANGE_KINDS = frozenset(
    {"added", "removed", "route_changed", "scope_extended", "scope_narrowed", "applications_postponed"}
)
ROUTES = frozenset(ConformityRoute.values)
SPAN_ROUTES = frozenset(SpanRoute.values)
SECTORS = frozenset(Sector.values)
ACTIVITIES = frozenset(MeasureActivity.values)
APPLICANTS = frozenset(RoutineApplicant.values)
# A date as far as it was read: the month, or the day.
PARTIAL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


class ReferenceDataError(ValueError):
    """The shipped files are inconsistent; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("invalid reference data:\n" + "\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class FileSpec:
    name: str  # the list name, also the file stem and the history record type suffix
    key_fields: tuple[str, ...]  # the fields that identify a record
    fields: dict[str, str]  # field -> kind (see _check_value)

    @property
    def file(self) -> str:
        return f"{self.name}.json"

    @property
    def record_type(self) -> str:
        return f"catalogue.{self.name}"

    def key_of(self, record: dict[str, Any]) -> str:
        return ":".join(str(record[field]) for field in self.key_fields)


SOURCED = {"confirmed": "bool", "source": "source", "note": "str"}
NAMES = {"name_en": "required", "name_zh_hans": "str", "name_zh_hant": "str"}
# A product type's periods in the catalogue and its route spans live inside its record (they have no
# identity of their own): deleting a type takes them along, and the change log shows them with it.
PERIOD_FIELDS = {
    "start": "date", "until": "date?", "mandatory_from": "date?", "started_by": "ref:instruments",
    "ended_by": "ref?:instruments", "start_confirmed": "bool", "end_confirmed": "bool?", "source": "source",
    "note": "str",
}
ROUTE_SPAN_FIELDS = {
    "route": "span_route", "start": "date", "until": "date?", "instrument": "ref:instruments", **SOURCED,
}
NESTED = {"periods": PERIOD_FIELDS, "route_spans": ROUTE_SPAN_FIELDS}

SPECS: tuple[FileSpec, ...] = (
    FileSpec("instruments", ("key",), {
        "key": "required", "title_en": "required", "title_zh_hans": "str", "title_zh_hant": "str",
        "issued": "date?", **SOURCED,
    }),
    FileSpec("versions", ("key",), {
        "key": "required", "instrument": "ref:instruments", "effective": "date",
        "category_count": "int?", "product_type_count": "int?", **SOURCED,
    }),
    FileSpec("categories", ("key",), {
        "key": "required", "number_2020": "int?", "number_2023": "int?", **NAMES,
        "sector": "sector", "sector_confirmed": "bool", **SOURCED,
    }),
    FileSpec("product_types", ("key",), {
        "key": "required", "code": "code?", "code_confirmed": "bool?", "other_codes": "codes",
        "category": "ref:categories", **NAMES, "route": "route", "route_confirmed": "bool",
        "sector": "sector?", "versions": "refs:versions", "applications_from": "date",
        "mandatory_from": "date?", "removed_on": "date?", "removed_by": "ref?:instruments", **SOURCED,
        "periods": "nested:periods", "route_spans": "nested:route_spans",
    }),
    FileSpec("changes", ("key",), {
        "key": "required", "product_type": "ref:product_types", "kind": "change_kind",
        "instrument": "ref?:instruments", "effective": "date?", "applications_from": "date?",
        "mandatory_from": "date?", "new_route": "route?", **SOURCED,
    }),
    FileSpec("routine_scope", ("instrument", "product_type"), {
        "product_type": "ref:product_types", "instrument": "ref:instruments", "valid_from": "date",
        "valid_until": "date?", **SOURCED,
    }),
    FileSpec("contacts", ("sector",), {
        "sector": "sector", **NAMES, "organisation_en": "required", "organisation_zh_hans": "str",
        "organisation_zh_hant": "str", "phone": "str", "email": "str", **SOURCED,
    }),
    FileSpec("measures", ("key",), {
        "key": "required", "instrument": "ref?:instruments", "activity": "activity", "name_en": "required",
        "name_zh_hant": "required", "name_zh_hans": "required", "signed": "partial_date",
        "effective": "date?", "effective_confirmed": "bool", "until": "date?", "until_confirmed": "bool?",
        "scope_en": "required", "scope_zh_hant": "required", "scope_zh_hans": "required",
        "place_en": "required", "place_zh_hant": "required", "place_zh_hans": "required",
        "place_restricted": "bool?", **SOURCED,
    }),
    FileSpec("routine_provisions", ("key",), {
        "key": "required", "instrument": "ref:instruments", "applicant": "applicant", "text_en": "required",
        "text_zh_hant": "required", "text_zh_hans": "required", "scope_confirmed": "bool", **SOURCED,
    }),
)
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}

ReferenceData = dict[str, list[dict[str, Any]]]


def files_checksum(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over the names and bytes of the data files, in a fixed order."""
    digest = hashlib.sha256()
    for spec in SPECS:
        digest.update(spec.file.encode())
        digest.update(b"\0")
        digest.update((data_dir / spec.file).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_reference_data(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Every file's records, checked for shape, types, references and uniqueness."""
    errors: list[str] = []
    data: ReferenceData = {}
    for spec in SPECS:
        path = data_dir / spec.file
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            errors.append(f"{spec.file}: cannot be read as JSON ({error})")
            data[spec.name] = []
            continue
        if not isinstance(document, dict) or set(document) != {spec.name} or not isinstance(
            document[spec.name], list
        ):
            errors.append(f"{spec.file}: must be an object with the single list {spec.name!r}")
            data[spec.name] = []
            continue
        data[spec.name] = document[spec.name]
    for spec in SPECS:
        _check_records(spec, data[spec.name], errors)
    if not errors:
        _check_references(data, errors)
        _check_codes(data["product_types"], errors)
        _check_dates(data, errors)
    if errors:
        raise ReferenceDataError(errors)
    return data


def _check_records(spec: FileSpec, records: list[Any], errors: list[str]) -> None:
    seen: set[str] = set()
    for index, record in enumerate(records):
        where = f"{spec.file} /{spec.name}/{index}"
        if not _check_fields(where, spec.fields, record, errors):
            continue
        if all(field in record for field in spec.key_fields):
            key = spec.key_of(record)
            if key in seen:
                errors.append(f"{where}: {key!r} appears twice")
            seen.add(key)


def _check_fields(where: str, fields: dict[str, str], record: Any, errors: list[str]) -> bool:
    """Checks one object against its field table; False when it is not an object at all."""
    if not isinstance(record, dict):
        errors.append(f"{where}: must be an object")
        return False
    for field in sorted(set(fields) - set(record)):
        errors.append(f"{where}/{field}: missing required field")
    for field in sorted(set(record) - set(fields)):
        errors.append(f"{where}/{field}: field not allowed")
    for field, kind in fields.items():
        if field not in record:
            continue
        if kind.startswith("nested:"):
            items = record[field]
            if not isinstance(items, list) or not items:
                errors.append(f"{where}/{field}: must be a non-empty list")
                continue
            for position, item in enumerate(items):
                _check_fields(f"{where}/{field}/{position}", NESTED[kind.split(":", 1)[1]], item, errors)
            continue
        problem = _check_value(kind, record[field])
        if problem:
            errors.append(f"{where}/{field}: {problem}")
    return True


def _check_value(kind: str, value: Any) -> str:
    optional = kind.endswith("?") or kind.startswith("ref?:")
    if value is None:
        return "" if optional else "must not be null"
    base = kind.rstrip("?")
    if base == "bool":
        return "" if isinstance(value, bool) else "must be true or false"
    if base == "int":
        return "" if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else (
            "must be a whole number"
        )
    if not isinstance(value, str) and not base.startswith(("codes", "refs:")):
        return "must be a string"
    if base in ("str",):
        return ""
    if base in ("required", "source"):
        return "" if value.strip() else "must not be empty"
    if base == "date":
        return "" if _parse_date(value) else f"{value!r} is not a date YYYY-MM-DD"
    if base == "code":
        return "" if CODE.match(value) else f"{value!r} is not a 4-digit code"
    if base == "codes":
        if not isinstance(value, list) or not all(isinstance(c, str) and CODE.match(c) for c in value):
            return "must be a list of 4-digit codes"
        return ""
    if base == "route":
        return "" if value in ROUTES or (optional and value == "") else f"{value!r} is not a route"
    if base == "span_route":
        return "" if value in SPAN_ROUTES else f"{value!r} is not a route"
    if base == "sector":
        return "" if value in SECTORS or (optional and value == "") else f"{value!r} is not a sector"
    if base == "partial_date":
        full = value if len(value) == 10 else f"{value}-01"
        if PARTIAL_DATE.match(value) and _parse_date(full):
            return ""
        return f"{value!r} is not YYYY-MM or YYYY-MM-DD"
    if base == "activity":
        return "" if value in ACTIVITIES else f"{value!r} is not a measure activity"
    if base == "applicant":
        return "" if value in APPLICANTS else f"{value!r} is not a routine applicant"
    if base == "change_kind":
        return "" if value in CHANGE_KINDS else f"{value!r} is not a change kind"
    if base.startswith("refs:"):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return "must be a list of keys"
        return ""
    if base.startswith(("ref:", "ref?:")):
        return "" if value else "must not be empty"
    raise AssertionError(f"unknown field kind {kind}")


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_references(data: ReferenceData, errors: list[str]) -> None:
    keys = {spec.name: {spec.key_of(record) for record in data[spec.name]} for spec in SPECS}

    def check(where: str, fields: dict[str, str], record: dict[str, Any]) -> None:
        for field, kind in fields.items():
            if kind.startswith("nested:"):
                for position, item in enumerate(record[field]):
                    check(f"{where}/{field}/{position}", NESTED[kind.split(":", 1)[1]], item)
                continue
            if ":" not in kind:
                continue
            target = kind.split(":", 1)[1]
            values = record[field] if kind.startswith("refs:") else [record[field]]
            for value in values:
                if value is not None and value not in keys[target]:
                    errors.append(f"{where}/{field}: unknown {target} {value!r}")

    for spec in SPECS:
        for index, record in enumerate(data[spec.name]):
            check(f"{spec.file} /{spec.name}/{index}", spec.fields, record)


def _check_codes(product_types: list[dict[str, Any]], errors: list[str]) -> None:
    owner: dict[str, str] = {}
    for index, record in enumerate(product_types):
        codes = ([record["code"]] if record["code"] else []) + list(record["other_codes"])
        for code in codes:
            if code in owner:
                errors.append(
                    f"product_types.json /product_types/{index}: code {code} of {record['key']!r} "
                    f"is also held by {owner[code]!r}"
                )
            owner[code] = record["key"]


def _check_dates(data: ReferenceData, errors: list[str]) -> None:
    for index, record in enumerate(data["product_types"]):
        where = f"product_types.json /product_types/{index}"
        if record["removed_on"] and record["removed_on"] <= record["applications_from"]:
            errors.append(f"{where}/removed_on: not after applications_from")
        if bool(record["removed_on"]) != bool(record["removed_by"]):
            errors.append(f"{where}: removed_on and removed_by go together")
        if (record["code"] is None) != (record["code_confirmed"] is None):
            errors.append(f"{where}/code_confirmed: set exactly when the type has a code")
        _check_periods(where, record, errors)
        _check_route_spans(where, record, errors)
    for index, record in enumerate(data["routine_scope"]):
        if record["valid_until"] and record["valid_until"] < record["valid_from"]:
            errors.append(f"routine_scope.json /routine_scope/{index}/valid_until: before valid_from")
    for index, record in enumerate(data["measures"]):
        _check_measure(f"measures.json /measures/{index}", record, errors)


def _check_measure(where: str, record: dict[str, Any], errors: list[str]) -> None:
    """A measure ends only after it starts; a CCC testing measure has a first day, since `measure_on`
    answers by date; and a measure in effect before its signing month is a typo."""
    effective, until = record["effective"], record["until"]
    if (until is None) != (record["until_confirmed"] is None):
        errors.append(f"{where}: until and until_confirmed go together")
    if until is not None and (effective is None or until < effective):
        errors.append(f"{where}/until: before effective (or effective not known)")
    if effective is None and record["effective_confirmed"]:
        errors.append(f"{where}/effective_confirmed: true without a date")
    if record["activity"] == MeasureActivity.CCC_TESTING and effective is None:
        errors.append(f"{where}/effective: a CCC testing measure needs its first day")
    if effective is not None and effective[: len(record["signed"])] < record["signed"]:
        errors.append(f"{where}/effective: before it was signed ({record['signed']})")


def _day_after(value: str) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()


def _day_before(value: str) -> str:
    return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()


def _check_periods(where: str, record: dict[str, Any], errors: list[str]) -> None:
    """Periods come in order, do not touch or overlap, only the last is open, and the type's summary
    fields agree with them. ISO dates compare correctly as strings."""
    periods = record["periods"]
    for position, period in enumerate(periods):
        at = f"{where}/periods/{position}"
        ended = period["until"] is not None
        if ended and period["until"] < period["start"]:
            errors.append(f"{at}/until: before start")
        if ended != (period["ended_by"] is not None) or ended != (period["end_confirmed"] is not None):
            errors.append(f"{at}: until, ended_by and end_confirmed go together")
        previous = periods[position - 1]["until"] if position else ""
        if previous is None or (previous and previous >= _day_before(period["start"])):
            # Touching periods would be one period: a later one starts after at least a day outside.
            errors.append(f"{at}/start: must come after a gap following the previous period")
    first, last = periods[0], periods[-1]
    expected = {
        "applications_from": first["start"],
        "mandatory_from": first["mandatory_from"],
        "removed_on": _day_after(last["until"]) if last["until"] else None,
        "removed_by": last["ended_by"],
    }
    for field, value in expected.items():
        if record[field] != value:
            errors.append(f"{where}/{field}: {record[field]!r} disagrees with the periods ({value!r})")


def _check_route_spans(where: str, record: dict[str, Any], errors: list[str]) -> None:
    """The spans cover every day of every period exactly once, and no day outside them."""
    spans = iter(enumerate(record["route_spans"]))
    for period in record["periods"]:
        day: str | None = period["start"]
        while day is not None:
            position, span = next(spans, (None, None))
            if span is None:
                errors.append(f"{where}/route_spans: no route from {day}")
                return
            at = f"{where}/route_spans/{position}"
            if span["start"] != day:
                errors.append(f"{at}/start: expected {day} (a period's start or the day after a span)")
                return
            if span["until"] is not None and span["until"] < span["start"]:
                errors.append(f"{at}/until: before start")
                return
            if span["until"] == period["until"]:
                day = None
            elif span["until"] is None or (period["until"] is not None and span["until"] > period["until"]):
                errors.append(f"{at}/until: runs past its period's end ({period['until']})")
                return
            else:
                day = _day_after(span["until"])
    position, extra = next(spans, (None, None))
    if extra is not None:
        errors.append(f"{where}/route_spans/{position}: outside every period")
    last = record["route_spans"][-1]
    if (record["route"], record["route_confirmed"]) != (last["route"], last["confirmed"]):
        errors.append(f"{where}/route: the route and its confirmation disagree with the last route span")
