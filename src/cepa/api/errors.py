"""Every API error is JSON: {"code": ..., "message": ...}, plus "errors" or "failing" where they help.

Checks run in the contract's order: 401 no or bad token; 403 the role or organisation may not do
this; 404 no such record; 400 malformed input; 409 the status does not allow it; 422 a rule refuses
it. Authentication and role checks run in the auth classes (cepa.api.auth), before ninja reads the
body; handlers that must look a record up before reading the body use `parse_body`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

logger = logging.getLogger("cepa.api")

S = TypeVar("S", bound=pydantic.BaseModel)


class ErrorOut(Schema):
    code: str
    message: str

    model_config = {
        "json_schema_extra": {"examples": [{"code": "NOT_FOUND", "message": "no organisation with id 'x'"}]}
    }


class FieldError(Schema):
    field: str
    message: str


class BadRequestOut(ErrorOut):
    errors: list[FieldError] = []


class RefusedOut(ErrorOut):
    failing: list[str] = []


class ApiError(Exception):
    """An error the API reports as it is. `extra` adds keys such as "errors" or "failing"."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}


class Unauthenticated(ApiError):
    status = 401
    code = "NOT_AUTHENTICATED"


class Forbidden(ApiError):
    status = 403
    code = "FORBIDDEN"


class NotFound(ApiError):
    status = 404
    code = "NOT_FOUND"


class BadRequest(ApiError):
    status = 400
    code = "BAD_REQUEST"


class Conflict(ApiError):
    status = 409
    code = "CONFLICT"


class Refused(ApiError):
    """A rule refuses the request; `failing` lists the reason codes."""

    status = 422
    code = "REFUSED"

    def __init__(
        self, message: str, *, failing: Sequence[str], code: str | None = None, **extra: Any
    ) -> None:
        super().__init__(message, code=code, failing=list(failing), **extra)


def error_response(status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return JsonResponse({"code": code, "message": message, **extra}, status=status)


def _field_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """ninja's error locations ("query", "limit") or ("body", "payload", "name") as a dotted field name."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[2:] if len(loc) > 2 else loc[1:]
        elif loc and loc[0] in {"query", "path", "header", "cookie", "form", "file"}:
            loc = loc[1:]
        field = ".".join(loc) or "body"
        result.append({"field": field, "message": str(error.get("msg", "is not valid"))})
    return result


def bad_request_from(errors: Sequence[dict[str, Any]]) -> HttpResponse:
    fields = _field_errors(errors)
    message = "; ".join(f"{item['field']}: {item['message']}" for item in fields) or "malformed request"
    return error_response(400, "BAD_REQUEST", message, errors=fields)


def json_body(request: HttpRequest) -> Any:
    """The request body as JSON, or BadRequest naming the body."""
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(
            f"body: not valid JSON ({error})", errors=[{"field": "body", "message": "not valid JSON"}]
        ) from error


def json_object_body(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    if not isinstance(body, dict):
        raise BadRequest(
            "body: must be a JSON object", errors=[{"field": "body", "message": "must be a JSON object"}]
        )
    return body


def parse_body(request: HttpRequest, schema: type[S]) -> S:
    """Reads the JSON body into `schema`, raising BadRequest naming the field.

    For handlers that must answer 403 or 404 before judging the body: take no body parameter, call
    this once the record is found, and document the body with `openapi_extra`.
    """
    data = json_body(request)
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        fields = [
            {"field": ".".join(str(p) for p in item["loc"]) or "body", "message": item["msg"]}
            for item in error.errors(include_url=False)
        ]
        message = "; ".join(f"{item['field']}: {item['message']}" for item in fields)
        raise BadRequest(message, errors=fields) from error


def install_error_handlers(api: NinjaAPI) -> None:
    """Replaces ninja's defaults (422 for validation, text tracebacks, Django's HTML pages)."""

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return JsonResponse(exc.body(), status=exc.status)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return bad_request_from(exc.errors)

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        message = (
            exc.message
            if exc.message != "Unauthorized"
            else "an API token is required: Authorization: Bearer TOKEN"
        )
        return error_response(401, Unauthenticated.code, message)

    def on_authorization(request: HttpRequest, exc: Any) -> HttpResponse:
        message = getattr(exc, "message", "") or str(exc) or "your role may not do this"
        return error_response(403, Forbidden.code, message)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(404, NotFound.code, str(exc) or "not found")

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        codes = {
            400: "BAD_REQUEST",
            404: "NOT_FOUND",
            405: "METHOD_NOT_ALLOWED",
            409: "CONFLICT",
            429: "THROTTLED",
        }
        return error_response(
            exc.status_code, codes.get(exc.status_code, f"HTTP_{exc.status_code}"), exc.message
        )

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            413, "PAYLOAD_TOO_LARGE", f"the request body is too large ({exc}); use `cepa import`"
        )

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return error_response(500, "SERVER_ERROR", "an unexpected error occurred; it has been logged")

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_authorization)
    api.add_exception_handler(PermissionDenied, on_authorization)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_unexpected)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Catch-all for unknown paths under the API, so they get JSON, not Django's HTML page."""
    return error_response(404, NotFound.code, f"no such endpoint: {request.method} {request.path}")


def json_method_not_allowed(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """ninja answers 405 as plain text; keep its Allow header, give the body our shape."""
    allowed = response.get("Allow", "")
    json_response = error_response(
        405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here; allowed: {allowed}"
    )
    json_response["Allow"] = allowed
    return json_response
