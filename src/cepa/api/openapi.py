"""The interchange format's JSON Schema inside the OpenAPI document, for the bodies of the writes.

cepa.interchange.schema is the one statement of the format; its `$defs` and records become
components here (references rewritten), so the documented PUT and import bodies are exactly what
`cepa import` accepts.
"""

from __future__ import annotations

import copy
from typing import Any

from cepa.interchange.schema import DEFS, RECORDS, SCHEMA

COMPONENT = "#/components/schemas/"
RECORD_NAMES = {
    "organisations": "Organisation",
    "accreditations": "Accreditation",
    "designations": "Designation",
    "agreements": "Agreement",
    "plans": "Plan",
    "expressions_of_interest": "ExpressionOfInterest",
    "inspectors": "Inspector",
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "organisations": {
        "name": {"en": "Harbour Testing Ltd", "zh-Hant": "海港測試有限公司"},
        "kind": "laboratory",
        "seat": "HK",
        "hk_invested": False,
    },
    "accreditations": {
        "organisation": "hk-lab-a",
        "scheme": "HOKLAS",
        "scope": ["0701", "0702"],
        "granted": "2019-03-01",
        "events": [{"on": "2026-05-01", "status": "suspended", "scope": ["0702"], "reason": "voluntary"}],
    },
    "designations": {
        "organisation": "cn-cb-x",
        "role": "certification_body",
        "product_types": ["0701"],
        "from": "2018-01-01",
        "until": None,
        "basis": "CNCA designation plan 2018-1",
    },
    "agreements": {
        "kind": "testing",
        "party": "hk-lab-a",
        "counterparty": "cn-cb-x",
        "product_types": ["0701"],
        "from": "2021-01-01",
        "until": "2027-12-31",
    },
    "inspectors": {
        "name": {"en": "Chan Tai Man"},
        "grade": "inspector",
        "specialties": ["07"],
        "registered": "2023-02-01",
        "expires": "2026-01-31",
        "affiliations": [{"organisation": "hk-cb-b", "from": "2023-02-01", "until": None}],
        "events": [{"on": "2025-03-01", "grade": "senior"}],
    },
}


def _def_name(name: str) -> str:
    return "Registry" + "".join(part.capitalize() for part in name.split("_"))


def _rewrite(node: Any) -> Any:
    """A deep copy with every `#/$defs/x` reference pointing at its component."""
    if isinstance(node, dict):
        return {
            key: (COMPONENT + _def_name(value.removeprefix("#/$defs/")))
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
            else _rewrite(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return copy.deepcopy(node)


def _put_body(record: dict[str, Any]) -> dict[str, Any]:
    """A record as a PUT body: the id comes from the path, so it may be left out."""
    body = _rewrite(record)
    body["required"] = [field for field in body["required"] if field != "id"]
    return body


def registry_components() -> dict[str, Any]:
    components = {_def_name(name): _rewrite(schema) for name, schema in DEFS.items()}
    for list_name, name in RECORD_NAMES.items():
        components[f"{name}Record"] = _rewrite(RECORDS[list_name])
        components[f"{name}RecordBody"] = _put_body(RECORDS[list_name])
    document = {key: value for key, value in SCHEMA.items() if key not in {"$schema", "$id", "$defs"}}
    components["RegistryDocument"] = _rewrite(document)
    return components


def _body(component: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": COMPONENT + component}, "example": example}},
        }
    }


def record_body(list_name: str) -> dict[str, Any]:
    """openapi_extra for a PUT of one record of `list_name`."""
    return _body(f"{RECORD_NAMES[list_name]}RecordBody", EXAMPLES[list_name])


def document_body() -> dict[str, Any]:
    example = {
        "format": "cepa-registry/1",
        "organisations": [{"id": "hk-lab-a", **EXAMPLES["organisations"]}],
    }
    return _body("RegistryDocument", example)
