"""Every API error is JSON: {"code": ..., "message": ...}, plus "errors" or "failing" where they help.

The services and the API raise the project's errors (cepa.errors); one handler here turns each into
its status and body, with the message in the requested language (`lang` in the query, else the
Accept-Language header). Checks run in the contract's order: 401 no or bad token; 403 the role or
organisation may not do this; 404 no such record; 400 malformed input; 409 the status does not allow
it; 422 a rule refuses it. Authentication and role checks run in the auth classes (cepa.api.auth),
before ninja reads the body; handlers that must look a record up before reading the body use
`parse_body`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser

from cepa import jsonload
from cepa.errors import (
    BUSY_MESSAGE,
    RETRY_AFTER_SECONDS,
    CepaError,
    ErrorCode,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    is_database_busy,
)
from cepa.rules.messages import normalise_language

logger = logging.getLogger("cepa.api")

S = TypeVar("S", bound=pydantic.BaseModel)


class BoundedParser(Parser):
    """ninja's JSON parser with the nesting bound of cepa.jsonload (ninja answers what it cannot
    parse with 400)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return jsonload.loads(request.body)


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


TOKEN_REQUIRED = _("an API token is required: Authorization: Bearer TOKEN")


def error_response(status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return JsonResponse({"code": code, "message": message, **extra}, status=status)


def request_language(request: HttpRequest) -> str:
    """The language of the request's messages: `lang` in the query, else Accept-Language (as
    LocaleMiddleware reads it)."""
    asked = normalise_language(request.GET.get("lang", ""))
    return asked.lower() if asked else translation.get_language_from_request(request)


def error_response_for(request: HttpRequest, error: CepaError) -> HttpResponse:
    """The one mapping of the project's errors to the API's: their status, their body, the request's
    language."""
    with translation.override(request_language(request)):
        return JsonResponse(error.body(), status=error.status)


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
    return error_response(400, ErrorCode.BAD_REQUEST, message, errors=fields)


def json_body(request: HttpRequest) -> Any:
    """The request body as JSON, or InvalidInput naming the body (nested deeper than
    cepa.jsonload.MAX_DEPTH is refused too)."""
    try:
        return jsonload.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("body", "not valid JSON", summary=f"body: not valid JSON ({error})") from error


def json_object_body(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("body", "must be a JSON object")
    return body


def parse_body(request: HttpRequest, schema: type[S]) -> S:
    """Reads the JSON body into `schema`, raising InvalidInput naming the field.

    For handlers that must answer 403 or 404 before judging the body: take no body parameter, call
    this once the record is found, and document the body with `openapi_extra`.
    """
    data = json_body(request)
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        fields = [
            (".".join(str(p) for p in item["loc"]) or "body", item["msg"])
            for item in error.errors(include_url=False)
        ]
        raise InvalidInput(fields) from error


def install_error_handlers(api: NinjaAPI) -> None:
    """Replaces ninja's defaults (422 for validation, text tracebacks, Django's HTML pages)."""

    def on_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response_for(request, exc)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return bad_request_from(exc.errors)

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else TOKEN_REQUIRED
        return error_response_for(request, NotAuthenticated(message))

    def on_authorization(request: HttpRequest, exc: Any) -> HttpResponse:
        message = getattr(exc, "message", "") or str(exc) or "your role may not do this"
        return error_response_for(request, NotAllowed(message))

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response_for(request, NotFound(str(exc) or "not found"))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        codes = {
            400: ErrorCode.BAD_REQUEST,
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
            409: ErrorCode.CONFLICT,
            429: ErrorCode.THROTTLED,
        }
        return error_response(
            exc.status_code, codes.get(exc.status_code, f"HTTP_{exc.status_code}"), exc.message
        )

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            413, ErrorCode.PAYLOAD_TOO_LARGE, f"the request body is too large ({exc}); use `cepa import`"
        )

    def on_malformed(request: HttpRequest, exc: Any) -> HttpResponse:
        """Input no handler could read (issue 12, finding 9): a multipart body without a boundary or
        with an oversized part header; input nested or sized beyond what Python computes with (the
        parsers refuse these first, with the field; this is the net under them)."""
        if isinstance(exc, MultiPartParserError):
            problem = f"not a valid multipart/form-data body ({exc})"
        elif isinstance(exc, RecursionError):
            problem = str(jsonload.TooDeep())
        else:
            problem = "holds a date or number out of the range the registry computes with"
        logger.info("malformed input in %s %s: %r", request.method, request.path, exc)
        return error_response(
            400, ErrorCode.BAD_REQUEST, f"body: {problem}", errors=[{"field": "body", "message": problem}]
        )

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return error_response(500, ErrorCode.SERVER_ERROR, "an unexpected error occurred; it has been logged")

    def on_database_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if not is_database_busy(exc):
            return on_unexpected(request, exc)
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        with translation.override(request_language(request)):
            response = error_response(503, ErrorCode.SERVICE_UNAVAILABLE, str(BUSY_MESSAGE))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    api.add_exception_handler(CepaError, on_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_authorization)
    api.add_exception_handler(PermissionDenied, on_authorization)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(OperationalError, on_database_error)
    api.add_exception_handler(MultiPartParserError, on_malformed)
    api.add_exception_handler(RecursionError, on_malformed)
    api.add_exception_handler(OverflowError, on_malformed)
    api.add_exception_handler(Exception, on_unexpected)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Catch-all for unknown paths under the API, so they get JSON, not Django's HTML page."""
    return error_response(404, ErrorCode.NOT_FOUND, f"no such endpoint: {request.method} {request.path}")


def json_method_not_allowed(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """ninja answers 405 as plain text; keep its Allow header, give the body our shape."""
    allowed = response.get("Allow", "")
    json_response = error_response(
        405, ErrorCode.METHOD_NOT_ALLOWED, f"{request.method} is not allowed here; allowed: {allowed}"
    )
    json_response["Allow"] = allowed
    return json_response
