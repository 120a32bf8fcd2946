from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client: Client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_valid(document: dict) -> None:
    assert document["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3.1 meta-schema


def test_docs_are_served(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_registry_endpoints_are_documented(document: dict) -> None:
    paths = document["paths"]
    for name in ("organisations", "accreditations", "designations", "agreements", "inspectors"):
        assert set(paths[f"/api/v1/{name}"]) == {"get"}
        assert set(paths[f"/api/v1/{name}/{{record_id}}"]) == {"get", "put"}
    assert set(paths["/api/v1/plans/{record_id}"]) == {"get", "patch"}  # PATCH: designation workflow
    assert set(paths["/api/v1/expressions-of-interest/{record_id}"]) == {"get"}
    assert set(paths["/api/v1/import"]) == {"post"}
    put = paths["/api/v1/organisations/{record_id}"]["put"]
    assert put["security"] == [{"TokenAuth": []}]
    assert paths["/api/v1/organisations"]["get"]["security"] == [{"TokenAuth": []}, {}]
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_record_schemas_carry_examples(document: dict) -> None:
    schemas = document["components"]["schemas"]
    for name in (
        "OrganisationOut",
        "AccreditationOut",
        "DesignationOut",
        "AgreementOut",
        "InspectorOut",
        "PlanOut",
        "ExpressionOfInterestOut",
        "ErrorOut",
    ):
        assert schemas[name]["examples"], name


def _references(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_every_reference_resolves_in_the_document(document: dict) -> None:
    unresolved = []
    for ref in sorted(set(_references(document))):
        target: object = document
        for part in ref.removeprefix("#/").split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        if not ref.startswith("#/") or target is None:
            unresolved.append(ref)
    assert unresolved == []


COMMITTED = Path(__file__).parent / "data" / "openapi-committed.json"
# Lists under these keys may grow (a new enum value, a new alternative); every other list is fixed.
GROWABLE_LISTS = {"enum", "anyOf", "oneOf", "tags", "examples"}


def _removals(committed: object, served: object, where: str, key: str = "") -> list[str]:
    if isinstance(committed, dict):
        if not isinstance(served, dict):
            return [f"{where}: was an object"]
        return [
            problem
            for name, value in committed.items()
            for problem in (
                _removals(value, served[name], f"{where}/{name}", name)
                if name in served
                else [f"{where}/{name}: removed"]
            )
        ]
    if isinstance(committed, list) and key in GROWABLE_LISTS and isinstance(served, list):
        return [f"{where}: lost {item!r}" for item in committed if item not in served]
    return [] if committed == served else [f"{where}: {committed!r} became {served!r}"]


def test_openapi_document_changes_only_by_adding(document: dict) -> None:
    """The contract's API changes only by adding: regenerate the committed copy only for additions."""
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert _removals(committed, document, "") == []


def test_removal_check_catches_a_removed_or_changed_field() -> None:
    committed = {"paths": {"/a": {"get": {"required": ["x"]}}}, "enum": ["a"]}
    assert _removals(committed, {"paths": {}, "enum": ["a", "b"]}, "") == ["/paths//a: removed"]
    assert _removals(committed, {"paths": {"/a": {"get": {"required": ["x", "y"]}}}, "enum": []}, "") == [
        "/paths//a/get/required: ['x'] became ['x', 'y']",
        "/enum: lost 'a'",
    ]
