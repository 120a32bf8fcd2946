"""The designation requests are documented: bodies with schemas and examples, answers with schemas."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TAGS = {"Designation plans", "Designation applications", "Expressions of interest"}
WRITES = {
    ("post", "/api/v1/expressions-of-interest"),
    ("post", "/api/v1/plans"),
    ("post", "/api/v1/plans/{plan_id}/publish"),
    ("post", "/api/v1/plans/{plan_id}/close"),
    ("patch", "/api/v1/plans/{record_id}"),
    ("post", "/api/v1/applications"),
    ("post", "/api/v1/applications/{application_id}/submit"),
    ("post", "/api/v1/applications/{application_id}/review"),
    ("post", "/api/v1/applications/{application_id}/withdraw"),
    ("post", "/api/v1/applications/{application_id}/documents"),
    ("post", "/api/v1/applications/{application_id}/objections"),
    ("post", "/api/v1/objections/{objection_id}/review"),
}
WITHOUT_BODY = {
    ("post", "/api/v1/plans/{plan_id}/publish"),
    ("post", "/api/v1/applications/{application_id}/submit"),
}


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def test_every_designation_request_is_documented(api: Client) -> None:
    document = api.get("/api/v1/openapi.json").json()
    operations = {
        (method, path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if TAGS & set(operation.get("tags", []))
    }
    assert set(operations) >= WRITES
    for (method, path), operation in operations.items():
        assert operation.get("description") or operation.get("summary"), (method, path)
        if (method, path) in WRITES:
            assert {"401", "403", "404", "409"} <= set(operation["responses"]), (method, path)
            if (method, path) not in WITHOUT_BODY:
                ((content_type, body),) = operation["requestBody"]["content"].items()
                assert body["schema"].get("properties"), (method, path)
                if content_type == "application/json":
                    assert body["example"], (method, path)
        success = operation["responses"].get("200") or operation["responses"]["201"]
        ((content_type, answer),) = success["content"].items()
        if content_type == "application/json":
            schema = resolve(document, answer["schema"])
            if schema.get("type") == "array":
                schema = resolve(document, schema["items"])
            elif "items" in schema.get("properties", {}):  # a page
                schema = resolve(document, schema["properties"]["items"]["items"])
            assert schema.get("examples"), (method, path)
