"""503 with Retry-After, never 500, when the database is too busy to take a write (SQLite's one
writer at a time, past the busy timeout: cepa.errors.is_database_busy). Nothing was written: the
write's transaction rolled back, and the same request may be sent again.

`DatabaseBusyMiddleware` answers for the pages' views; `server_error` (the project's handler500) for a
write that fails outside a view, such as saving the session. The API answers its own (cepa.api.errors).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cepa.errors import BUSY_MESSAGE, RETRY_AFTER_SECONDS, ErrorCode, is_database_busy
from cepa.web import views

logger = logging.getLogger("cepa.web")


def busy_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"code": ErrorCode.SERVICE_UNAVAILABLE, "message": str(BUSY_MESSAGE)}, status=503
        )
    else:
        response = render(request, "web/busy.html", {"seconds": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        return busy_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a busy database is a 503 wherever it was met; anything else the site's 500 page."""
    error = sys.exc_info()[1]
    if error is not None and is_database_busy(error):
        return busy_response(request)
    return views.server_error(request)
