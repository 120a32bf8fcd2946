"""Route options, record look-ups and body helpers the domains' routers share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from cepa.api.auth import OPTIONAL_SECURITY, admin_auth, current_user, optional_auth, token_auth
from cepa.api.errors import BadRequestOut, ErrorOut, RefusedOut, json_body
from cepa.errors import InvalidInput, NotFound

# Public reads: a token is optional (it may show more).
READ: dict[Any, Any] = {
    "auth": optional_auth,
    "openapi_extra": OPTIONAL_SECURITY,
    "by_alias": True,
    "exclude_unset": True,
}
# Reads and writes that need a token.
PRIVATE: dict[Any, Any] = {"auth": token_auth, "by_alias": True, "exclude_unset": True}
# Writes of whole registry records by administrators (the body is documented with record_body).
ADMIN: dict[Any, Any] = {"auth": admin_auth, "by_alias": True, "exclude_unset": True}
# Every error a workflow write may answer with, in the contract's order.
WRITE_ERRORS: dict[Any, Any] = {
    400: BadRequestOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: RefusedOut,
}


def record_id_ok(record_id: str) -> bool:
    return "\x00" not in record_id and len(record_id) <= 200


def found(
    kind: str, finder: Callable[[Any, str], dict[str, Any] | None], request: HttpRequest, record_id: str
) -> dict[str, Any]:
    """The record `finder` shows this user, else 404 (an id holding NUL or too long is simply unknown)."""
    record = finder(current_user(request), record_id) if record_id_ok(record_id) else None
    if record is None:
        raise NotFound(f"no {kind} with id {record_id!r}")
    return record


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local `$defs` references replaced by the definitions themselves."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def json_request(schema: type[Schema], example: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    """openapi_extra documenting a JSON body read with parse_body (after the 403 and 404 checks)."""
    document = schema.model_json_schema(by_alias=True)
    body = _inline(document, document.get("$defs", {}))
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": body, "example": example}},
        }
    }


def raw_field(request: HttpRequest, name: str) -> Any:
    """One field of a JSON body before it is validated (for a 403 that depends on it); None when
    the body is not a JSON object (it is judged later, as a 400)."""
    try:
        data = json_body(request)
    except InvalidInput:
        return None
    return data.get(name) if isinstance(data, dict) else None
