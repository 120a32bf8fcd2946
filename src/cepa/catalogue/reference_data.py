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

from cepa.catalogue.models import ConformityRoute, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"
RELEASE_NAME = "catalogue"
CODE = re.compile(r"^[0-9]{4}$")
CHANGE_KINDS = frozenset(
    {"added", "removed", "route_changed", "scope_extended", "scope_narrowed", "applications_postponed"}
)
ROUTES = frozenset(ConformityRoute.values)
SECTORS = frozenset(Sector.values)


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
        "key": "required", "code": "code?", "other_codes": "codes", "category": "ref:categories", **NAMES,
        "route": "route", "route_confirmed": "bool", "sector": "sector?", "versions": "refs:versions",
        "applications_from": "date", "mandatory_from": "date?", "removed_on": "date?",
        "removed_by": "ref?:instruments", **SOURCED,
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
        if not isinstance(record, dict):
            errors.append(f"{where}: must be an object")
            continue
        for field in sorted(set(spec.fields) - set(record)):
            errors.append(f"{where}/{field}: missing required field")
        for field in sorted(set(record) - set(spec.fields)):
            errors.append(f"{where}/{field}: field not allowed")
        for field, kind in spec.fields.items():
            if field in record:
                problem = _check_value(kind, record[field])
                if problem:
                    errors.append(f"{where}/{field}: {problem}")
        if all(field in record for field in spec.key_fields):
            key = spec.key_of(record)
            if key in seen:
                errors.append(f"{where}: {key!r} appears twice")
            seen.add(key)


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
    if base == "sector":
        return "" if value in SECTORS or (optional and value == "") else f"{value!r} is not a sector"
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
    for spec in SPECS:
        for index, record in enumerate(data[spec.name]):
            for field, kind in spec.fields.items():
                if ":" not in kind:
                    continue
                target = kind.split(":", 1)[1]
                values = record[field] if kind.startswith("refs:") else [record[field]]
                for value in values:
                    if value is not None and value not in keys[target]:
                        errors.append(f"{spec.file} /{spec.name}/{index}/{field}: unknown {target} {value!r}")


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
    for index, record in enumerate(data["routine_scope"]):
        if record["valid_until"] and record["valid_until"] < record["valid_from"]:
            errors.append(f"routine_scope.json /routine_scope/{index}/valid_until: before valid_from")
