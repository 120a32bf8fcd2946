"""Token-authenticated writes of registry records, through the interchange importer.

Every write (PUT of one record, POST of a whole document) goes through
cepa.interchange.services.import_document, so it is validated, all-or-nothing and recorded in the
history exactly as `cepa import` is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from ninja import Router, Schema

from cepa.api.auth import TokenAuth
from cepa.api.errors import BadRequest, BadRequestOut, ErrorOut

FORMAT = "cepa-registry/1"

router = Router(tags=["Registry import"])
import_auth = TokenAuth(permission="registry.import")


def actor_of(request: HttpRequest) -> str:
    return f"user:{request.auth.get_username()}"  # type: ignore[attr-defined]


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


def _problem(problem: Any) -> dict[str, str]:
    """One importer problem as {"field": JSON pointer, "message"}, whatever shape the importer gives."""
    if isinstance(problem, dict):
        pointer, message = problem.get("pointer", problem.get("path", "")), problem.get("message", "")
    elif hasattr(problem, "pointer"):
        pointer, message = problem.pointer, getattr(problem, "message", str(problem))
    else:
        text = str(problem)
        pointer, _, message = text.partition(": ") if text.startswith("/") else ("", "", text)
    return {"field": str(pointer) or "/", "message": str(message)}


def _problems_of(refused: Exception) -> list[Any]:
    problems = getattr(refused, "problems", None)
    if problems is None:
        problems = refused.args[0] if refused.args else []
    return [problems] if isinstance(problems, str) else list(problems)


def run_import(request: HttpRequest, document: dict[str, Any], *, rebase: str = "") -> Any:
    """Imports `document` as the request's user. Refusals become 400 with every problem.

    `rebase` is the pointer of the request body inside `document` ("/organisations/0" for a PUT), so
    that problems point into what the client sent.
    """
    from cepa.interchange.services import ImportRefused, import_document

    nul = _nul_pointer(document)
    if nul:
        field = nul.removeprefix(rebase) or "/" if rebase else nul
        raise BadRequest(
            f"{field}: text may not contain NUL characters",
            code="IMPORT_REFUSED",
            errors=[{"field": field, "message": "text may not contain NUL characters"}],
        )
    try:
        return import_document(actor=actor_of(request), document=document, channel="api")
    except ImportRefused as refused:
        problems = [_problem(p) for p in _problems_of(refused)]
        if rebase:
            for item in problems:
                if item["field"].startswith(rebase):
                    item["field"] = item["field"][len(rebase) :] or "/"
        message = (
            "; ".join(f"{p['field']}: {p['message']}" for p in problems[:10]) or "the import was refused"
        )
        raise BadRequest(message, code="IMPORT_REFUSED", errors=problems) from refused


def upsert_record(
    request: HttpRequest, *, list_name: str, model: type[Model], record_id: str, record: dict[str, Any]
) -> bool:
    """Replaces (or creates) one record of `list_name` with `record`. Returns whether it was created."""
    if "id" in record and record["id"] != record_id:
        message = f"the body's id {record['id']!r} is not the id in the path {record_id!r}"
        raise BadRequest(f"id: {message}", errors=[{"field": "id", "message": message}])
    created = not model.objects.filter(pk=record_id).exists()
    run_import(
        request, {"format": FORMAT, list_name: [{**record, "id": record_id}]}, rebase=f"/{list_name}/0"
    )
    return created


class Document(Schema):
    """A whole `cepa-registry/1` document (validated by the importer)."""

    model_config = {
        "extra": "allow",
        "json_schema_extra": {
            "examples": [
                {
                    "format": FORMAT,
                    "organisations": [
                        {
                            "id": "hk-lab-a",
                            "name": {"en": "Harbour Testing Ltd"},
                            "kind": "laboratory",
                            "seat": "HK",
                        }
                    ],
                }
            ]
        },
    }


class ImportOut(Schema):
    imported: bool
    result: Any = None


@router.post(
    "/import",
    auth=import_auth,
    response={200: ImportOut, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary="Import a cepa-registry/1 document (administrators)",
)
def import_registry(request: HttpRequest, document: Document) -> dict[str, Any]:
    """All or nothing, as `cepa import`: a document with any error writes nothing (400 lists every error)."""
    result = run_import(request, document.model_dump())
    return {"imported": True, "result": _jsonable(result)}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _jsonable(asdict(value))
    return str(value)
