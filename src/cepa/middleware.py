"""Refuses requests that no part of the application can handle, before any of it runs (issue 12,
finding 9): a NUL character in the path, in a query parameter (name or value) or in a urlencoded form
field. PostgreSQL stores no NUL in text, so such a value reached a query as a server error; no id,
code or search term of the registry holds one. The answer is 400: JSON in the API's error shape under
/api/, Django's plain 400 page elsewhere.

Imports no face: the API's JSON shape ({"code", "message", "errors"}) is written out here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request

NUL = "\x00"
API_PREFIX = "/api/"
FORM = "application/x-www-form-urlencoded"


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first parameter whose name or a value holds a NUL, else None."""
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\x00")
    return None


def nul_field(request: HttpRequest) -> str | None:
    """Which part of the request holds a NUL character: "path", a parameter's name, or None."""
    if NUL in request.path_info or NUL in request.path:
        return "path"
    found = _has_nul(request.GET.lists())
    if found is not None:
        return found
    if request.method == "POST" and request.content_type == FORM:
        try:
            return _has_nul(request.POST.lists())
        except Exception:  # a body too large or unreadable: the view's own checks answer it
            return None
    return None


class RefuseNulCharacters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        message = f"{field}: may not contain NUL characters"
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "code": "BAD_REQUEST",
                    "message": message,
                    "errors": [{"field": field, "message": "may not contain NUL characters"}],
                },
                status=400,
            )
        return bad_request(request, ValueError(message))
