"""The django-ninja API: one Router per app, assembled here, with JSON errors everywhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from cepa.accounts.api import router as accounts_router
from cepa.api.errors import install_error_handlers, json_method_not_allowed, not_found_view
from cepa.api.imports import router as import_router
from cepa.api.openapi import registry_components
from cepa.bodies.api import records as registry_records
from cepa.bodies.api import router as registry_router
from cepa.catalogue.api import router as catalogue_router
from cepa.decisions.api import router as decisions_router
from cepa.designation.api import records as designation_records
from cepa.designation.api import router as designation_router
from cepa.filings.api import router as filings_router
from cepa.history.api import router as history_router
from cepa.personnel.api import records as personnel_records
from cepa.personnel.api import router as personnel_router
from cepa.reminders.api import router as reminders_router


def _json_405(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return json_method_not_allowed(response, request)
        return response

    for attribute in ("csrf_exempt",):
        if hasattr(view, attribute):
            setattr(wrapped, attribute, getattr(view, attribute))
    return wrapped


class CepaAPI(NinjaAPI):
    """NinjaAPI whose 404 and 405 answers are JSON like every other error, and whose document holds
    the interchange format's schemas (the bodies of the registry writes)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(registry_components())
        return document

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        urls.append(re_path(r"^.*$", not_found_view, name="not-found"))
        return urls


api = CepaAPI(
    title="CEPA Registry API",
    version="1",
    description=(
        "Public registry of bodies taking part in China Compulsory Certification under CEPA, "
        "its CCC catalogue and the decisions of its rules engine.\n\n"
        "Reading the registry and the decisions needs no account. Writes need an API token "
        "(`cepa token create USERNAME`), sent as `Authorization: Bearer TOKEN`. Every error is JSON "
        '`{"code": ..., "message": ...}`.'
    ),
    urls_namespace="api-v1",
)
install_error_handlers(api)

api.add_router("/decisions", decisions_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/", registry_router)
api.add_router("/", personnel_router)
api.add_router("/", designation_router)
api.add_router("/history", history_router)
api.add_router("/", accounts_router)
api.add_router("/", import_router)
api.add_router("/", filings_router)  # /agreements/filings…: before /agreements/{path:id} below
api.add_router("/", reminders_router)  # /organisations/{id}/calendar.ics: before /organisations/{path:id}
# Per-record routes take ids with spaces and slashes ({path:id}); mounted after every other router
# so they never shadow a more specific path such as /plans/{id}/publish or /agreements/filings.
api.add_router("/", registry_records)
api.add_router("/", personnel_records)
api.add_router("/", designation_records)
