"""JSON for the API's 405 answers, which django-ninja gives as plain text."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cepa.api.errors import json_method_not_allowed

API_PREFIX = "/api/"


class JsonMethodNotAllowed:
    """Under /api/, a 405 that is not JSON gets the API's error shape (its Allow header kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path_info.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return json_method_not_allowed(response, request)
        return response
