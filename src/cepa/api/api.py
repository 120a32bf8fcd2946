"""The django-ninja API: one Router per app, assembled here."""

from __future__ import annotations

from ninja import NinjaAPI

from cepa.accounts.api import router as accounts_router
from cepa.bodies.api import router as registry_router
from cepa.catalogue.api import router as catalogue_router
from cepa.decisions.api import router as decisions_router
from cepa.designation.api import router as designation_router
from cepa.history.api import router as history_router
from cepa.personnel.api import router as personnel_router

api = NinjaAPI(
    title="CEPA Registry API",
    version="1",
    description=(
        "Public registry of bodies taking part in China Compulsory Certification under CEPA, "
        "its CCC catalogue and the decisions of its rules engine."
    ),
    urls_namespace="api-v1",
)
api.add_router("/decisions", decisions_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/", registry_router)
api.add_router("/", personnel_router)
api.add_router("/", designation_router)
api.add_router("/history", history_router)
api.add_router("/", accounts_router)
