"""The JSON Schema (draft 2020-12) of the `cepa-registry/1` interchange format.

It states the shape of a document exactly: every object is closed (`additionalProperties: false`).
What a schema cannot say (real calendar dates, ranges, duplicate ids, references, catalogue codes,
event scopes) the importer checks afterwards.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "cepa-registry/1"
SCHEMA_ID = "https://cepa-registry.example/schema/cepa-registry-1.json"

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
# A 4-digit code, or the key the catalogue gives a type without a published code (contract §1, rev. 2).
KEY = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"
CODE_PATTERN = rf"^([0-9]{{4}}|{KEY})$"
SPECIALTY_PATTERN = rf"^([0-9]{{2}}([0-9]{{2}})?|{KEY})$"
CNCA_CODE_PATTERN = r"^[0-9]{2}$"

# The list names in document order; each is its own id namespace.
LISTS = (
    "organisations",
    "accreditations",
    "designations",
    "agreements",
    "plans",
    "expressions_of_interest",
    "inspectors",
)

# Column sizes of the stored records, so an over-long value is refused with a pointer, not a DB error.
ID_MAX = {"organisations": 200, "accreditations": 200, "designations": 200, "agreements": 200,
          "plans": 100, "expressions_of_interest": 100, "inspectors": 100}
NAME_MAX = 300
CONTACT_MAX = 1000


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _record(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """A closed object; every record may also carry `source` and `note`."""
    properties = {**properties, "source": _ref("text"), "note": _ref("text")}
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def _id(list_name: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": ID_MAX[list_name]}


def _enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


ORGANISATION_REF = {"type": "string", "minLength": 1, "maxLength": ID_MAX["organisations"]}
ROLE = _enum("certification_body", "laboratory")
YEAR = {"type": "integer", "minimum": 1900, "maximum": 9999}

ORGANISATION = _record(
    ["id", "name", "kind", "seat"],
    {
        "id": _id("organisations"),
        "name": _ref("names"),
        "kind": _enum("laboratory", "certification_body", "inspection_body"),
        "seat": _enum("HK", "MAINLAND", "OVERSEAS"),
        "hk_invested": {"type": "boolean"},
        "cnca_code": {"type": ["string", "null"], "pattern": CNCA_CODE_PATTERN},
        "contact": _ref("contact"),
    },
)

ACCREDITATION_EVENT = _record(
    ["on", "status"],
    {
        "on": _ref("date"),
        "status": _enum("active", "suspended", "withdrawn"),
        "scope": {**_ref("codes"), "minItems": 1},
        "reason": _ref("text"),
        "basis": _ref("text"),
    },
)

ACCREDITATION = _record(
    ["id", "organisation", "scheme", "scope", "granted"],
    {
        "id": _id("accreditations"),
        "organisation": ORGANISATION_REF,
        "scheme": _enum("HOKLAS", "HKCAS", "HKIAS", "CNAS"),
        "scope": _ref("codes"),
        "granted": _ref("date"),
        "events": _list(ACCREDITATION_EVENT),
    },
)

DESIGNATION = _record(
    ["id", "organisation", "role", "product_types", "from"],
    {
        "id": _id("designations"),
        "organisation": ORGANISATION_REF,
        "role": ROLE,
        "product_types": _ref("codes"),
        "from": _ref("date"),
        "until": _ref("nullable_date"),
        "basis": _ref("text"),
    },
)

AGREEMENT = _record(
    ["id", "kind", "party", "counterparty", "product_types", "from"],
    {
        "id": _id("agreements"),
        "kind": _enum("testing", "factory_inspection", "sampling"),
        "party": ORGANISATION_REF,
        "counterparty": ORGANISATION_REF,
        "product_types": _ref("codes"),
        "from": _ref("date"),
        "until": _ref("nullable_date"),
        "terminated_on": _ref("nullable_date"),
    },
)

PLAN = _record(
    ["id", "year", "role", "product_types", "published", "window"],
    {
        "id": _id("plans"),
        "year": YEAR,
        "role": ROLE,
        "product_types": _ref("codes"),
        "published": _ref("date"),
        "window": {
            "type": "object",
            "required": ["opens", "closes"],
            "properties": {"opens": _ref("timestamp"), "closes": _ref("timestamp")},
            "additionalProperties": False,
        },
        # Optional (rev. 2): a plan requires none unless its publisher says so.
        "requires_expression_of_interest": {"type": "boolean", "default": False},
    },
)

EXPRESSION_OF_INTEREST = _record(
    ["id", "organisation", "year", "product_types", "submitted"],
    {
        "id": _id("expressions_of_interest"),
        "organisation": ORGANISATION_REF,
        "year": YEAR,
        "product_types": _ref("codes"),
        "submitted": _ref("timestamp"),
    },
)

GRADE = _enum("provisional", "inspector", "senior")

AFFILIATION = {
    "type": "object",
    "required": ["organisation", "from"],
    "properties": {"organisation": ORGANISATION_REF, "from": _ref("date"), "until": _ref("nullable_date")},
    "additionalProperties": False,
}

INSPECTOR_EVENT = {
    **_record(
        ["on"],
        {
            "on": _ref("date"),
            "status": _enum("active", "suspended", "cancelled"),
            "grade": GRADE,
            "reason": _ref("text"),
            "basis": _ref("text"),
        },
    ),
    # An event sets the status, the grade or both.
    "anyOf": [{"required": ["status"]}, {"required": ["grade"]}],
}

INSPECTOR = _record(
    ["id", "name", "grade", "specialties", "registered", "expires", "affiliations"],
    {
        "id": _id("inspectors"),
        "name": _ref("names"),
        "grade": GRADE,
        "specialties": {
            "type": "array",
            "items": {"type": "string", "pattern": SPECIALTY_PATTERN},
            "uniqueItems": True,
        },
        "registered": _ref("date"),
        "expires": _ref("date"),
        "affiliations": _list(AFFILIATION),
        "events": _list(INSPECTOR_EVENT),
    },
)

RECORDS = {
    "organisations": ORGANISATION,
    "accreditations": ACCREDITATION,
    "designations": DESIGNATION,
    "agreements": AGREEMENT,
    "plans": PLAN,
    "expressions_of_interest": EXPRESSION_OF_INTEREST,
    "inspectors": INSPECTOR,
}

DEFS: dict[str, Any] = {
    "date": {"type": "string", "pattern": DATE_PATTERN, "description": "YYYY-MM-DD"},
    "nullable_date": {
        "type": ["string", "null"], "pattern": DATE_PATTERN, "description": "YYYY-MM-DD or null",
    },
    "timestamp": {
        "type": "string",
        "pattern": TIMESTAMP_PATTERN,
        "description": "ISO 8601; without an offset it is Beijing/Hong Kong time (UTC+08:00)",
    },
    "code": {
        "type": "string",
        "pattern": CODE_PATTERN,
        "description": "a 4-digit CCC product type code, or the catalogue key of a type without one",
    },
    "codes": {"type": "array", "items": _ref("code"), "uniqueItems": True},
    "text": {"type": "string"},
    "names": {
        "type": "object",
        "required": ["en"],
        "properties": {
            "en": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
            "zh-Hant": {"type": "string", "maxLength": NAME_MAX},
            "zh-Hans": {"type": "string", "maxLength": NAME_MAX},
        },
        "additionalProperties": False,
    },
    "contact": {
        "type": "object",
        "description": "an organisation's contact details, published as given",
        "properties": {
            "address": {
                "type": "object",
                "required": ["en"],
                "properties": {
                    lang: {"type": "string", "minLength": 1, "maxLength": CONTACT_MAX}
                    for lang in ("en", "zh-Hant", "zh-Hans")
                },
                "additionalProperties": False,
            },
            **{
                key: {"type": "string", "minLength": 1, "maxLength": CONTACT_MAX}
                for key in ("phone", "email", "website")
            },
        },
        "additionalProperties": False,
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "CEPA Registry interchange document (cepa-registry/1)",
    "type": "object",
    "required": ["format"],
    "properties": {
        "format": {"const": FORMAT},
        **{name: _list(record) for name, record in RECORDS.items()},
    },
    "additionalProperties": False,
    "$defs": DEFS,
}


def schema_json() -> str:
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
