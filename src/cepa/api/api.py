"""The django-ninja API: one Router per app, assembled here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="CEPA Registry API",
    version="1",
    description=(
        "Public registry of bodies taking part in China Compulsory Certification under CEPA, "
        "its CCC catalogue and the decisions of its rules engine."
    ),
    urls_namespace="api-v1",
)
