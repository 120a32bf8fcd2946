"""Token-authenticated writes of registry records, through the interchange importer.

Every write (PUT of one record, POST of a whole document) goes through
cepa.interchange.services.import_document, so it is validated, all-or-nothing and recorded in the
history exactly as `cepa import` is.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Router, Schema

from cepa.api.auth import TokenAuth, current_user
from cepa.api.errors import BadRequestOut, ErrorOut, json_object_body
from cepa.api.openapi import document_body
from cepa.errors import ErrorCode, InvalidInput
from cepa.interchange.schema import FORMAT
from cepa.interchange.services import ImportResult, import_document
from cepa.interchange.validation import ImportProblem, ImportRefused

router = Router(tags=["Registry import"])
import_auth = TokenAuth(permission="registry.import")


def actor_of(request: HttpRequest) -> str:
    return f"user:{current_user(request).get_username()}"


def _nul_pointer(value: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first string holding a NUL character (no database stores one)."""
    if isinstance(value, str):
        return pointer or "/" if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            if "\x00" in str(key):
                return f"{pointer}/{escaped}"
            found = _nul_pointer(item, f"{pointer}/{escaped}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_pointer(item, f"{pointer}/{index}")
            if found:
                return found
    return None


def run_import(request: HttpRequest, document: dict[str, Any], *, rebase: str = "") -> ImportResult:
    """Imports `document` as the request's user. Refusals become 400 listing every problem.

    `rebase` is the pointer of the request body inside `document` ("/organisations/0" for a PUT), so
    that problems point into what the client sent.
    """
    nul = _nul_pointer(document)
    if nul:
        raise _refused([ImportProblem(nul, "text may not contain NUL characters")], rebase)
    try:
        return import_document(actor=actor_of(request), document=document, channel="api")
    except ImportRefused as refused:
        raise _refused(refused.problems, rebase) from refused


def _refused(problems: list[ImportProblem], rebase: str) -> InvalidInput:
    errors = []
    for problem in problems:
        field = problem.pointer
        if rebase and (field == rebase or field.startswith(rebase + "/")):
            field = field[len(rebase) :] or "/"
        errors.append((field or "/", problem.message))
    shown = "; ".join(f"{field}: {message}" for field, message in errors[:10])
    more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
    summary = shown + more or "the import was refused"
    return InvalidInput(errors, summary=summary, code=ErrorCode.IMPORT_REFUSED)


def upsert_record(request: HttpRequest, *, list_name: str, model: type[Model], record_id: str) -> bool:
    """Replaces (or creates) one record of `list_name` with the request's body. Returns whether it was
    created. The body is read only now, after authentication and the role check."""
    record = json_object_body(request)
    if "id" in record and record["id"] != record_id:
        message = f"the body's id {record['id']!r} is not the id in the path {record_id!r}"
        raise InvalidInput("id", message)
    created = not model._default_manager.filter(pk=record_id).exists()
    run_import(
        request, {"format": FORMAT, list_name: [{**record, "id": record_id}]}, rebase=f"/{list_name}/0"
    )
    return created


class ListCountsOut(Schema):
    created: int
    updated: int
    unchanged: int


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    counts: dict[str, ListCountsOut]
    changeset_id: int | None = Field(..., description="The history change set; null when nothing changed")


@router.post(
    "/import",
    auth=import_auth,
    response={200: ImportOut, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary="Import a cepa-registry/1 document (administrators)",
    openapi_extra=document_body(),
)
def import_registry(request: HttpRequest) -> dict[str, Any]:
    """All or nothing, as `cepa import`: a document with any error writes nothing (400 lists every error)."""
    result = run_import(request, json_object_body(request))
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "counts": {name: asdict(counts) for name, counts in result.counts.items()},
        "changeset_id": result.changeset_id,
    }
