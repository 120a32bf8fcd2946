"""The django-ninja API: one package of routers per domain, assembled here, with JSON errors everywhere
(404 and 405 included: see cepa.api.urls and cepa.api.middleware)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from cepa.api import (
    accounts,
    bodies,
    catalogue,
    certificates,
    decisions,
    designation,
    enquiries,
    filings,
    history,
    personnel,
    reminders,
)
from cepa.api.docs import SiteSwagger
from cepa.api.errors import BoundedParser, install_error_handlers
from cepa.api.imports import router as import_router
from cepa.api.openapi import registry_components


class CepaAPI(NinjaAPI):
    """NinjaAPI whose document holds the interchange format's schemas (the bodies of the registry
    writes), and whose operation ids stay those of the published document."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(registry_components())
        return document

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`cepa_<domain>_api_<function>`, as when each domain's API was the one module
        cepa/<domain>/api.py: clients generate code from these ids, so they outlive the move to
        cepa/api/<domain>/<resource>.py."""
        module = operation.view_func.__module__.split(".")
        if len(module) == 4 and module[:2] == ["cepa", "api"]:
            return f"cepa_{module[2]}_api_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)


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
    parser=BoundedParser(),
    docs=SiteSwagger(),
)
install_error_handlers(api)

api.add_router("/decisions", decisions.router)
api.add_router("/catalogue", catalogue.router)
api.add_router("/", bodies.router)
api.add_router("/", personnel.router)
api.add_router("/", designation.router)
api.add_router("/history", history.router)
api.add_router("/", accounts.router)
api.add_router("/", import_router)
api.add_router("/", filings.router)  # /agreements/filings…: before /agreements/{path:id} below
api.add_router("/", enquiries.router)
api.add_router("/", reminders.router)  # /organisations/{id}/calendar.ics: before /organisations/{path:id}
api.add_router("/", certificates.router)
# Per-record routes take ids with spaces and slashes ({path:id}); mounted after every other router
# so they never shadow a more specific path such as /plans/{id}/publish or /agreements/filings.
api.add_router("/", bodies.records)
api.add_router("/", personnel.records)
api.add_router("/", designation.records)
