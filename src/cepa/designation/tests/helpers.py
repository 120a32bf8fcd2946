"""Requests of the designation tests, as a person with a token sends them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart

from cepa.testing import factories
from cepa.testing.personas import Persona

BOUNDARY = "cepa-test-boundary"


def post(api: Client, path: str, who: Persona | None, body: Any = None) -> Any:
    extra = who.headers if who else {}
    data = "" if body is None else (body if isinstance(body, str) else json.dumps(body))
    return api.post(f"/api/v1{path}", data=data, content_type="application/json", headers=extra)


def patch(api: Client, path: str, who: Persona | None, body: Any) -> Any:
    extra = who.headers if who else {}
    return api.patch(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", headers=extra)


def get(api: Client, path: str, who: Persona | None = None) -> Any:
    return api.get(f"/api/v1{path}", headers=who.headers if who else {})


def upload(
    api: Client,
    application: int,
    who: Persona,
    data: bytes,
    *,
    name: str = "capability.pdf",
    content_type: str = "application/pdf",
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, data, content_type=content_type)
    return api.post(
        f"/api/v1/applications/{application}/documents",
        data=encode_multipart(BOUNDARY, {"file": file}),
        content_type=f"{MULTIPART_CONTENT.split(';')[0]}; boundary={BOUNDARY}",
        headers=who.headers,
    )


def error(response: Any) -> tuple[int, str, list[str] | None]:
    body = response.json()
    return response.status_code, body["code"], body.get("failing")


PDF = factories.pdf()  # a real PDF: one that merely starts with %PDF- is refused
