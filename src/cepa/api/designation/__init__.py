"""Designation plans (published ones are public), expressions of interest (not public), and the
designation applications with their documents and objections.

Handlers stay thin: the services check the role, the record, the organisation, the input, the
status and the rules in the contract's order (401 → 403 → 404 → 400 → 409 → 422). Handlers whose
403 or 404 depends on a record read the body only after the service's checks (`parse_body`); their
bodies are documented with `openapi_extra`. Per-record routes live on `records`, mounted last (see
cepa.api.api).
"""

from ninja import Router

from cepa.api.designation import applications, documents, expressions_of_interest, objections, plans

router = Router()
for resource in (expressions_of_interest, plans, applications, documents, objections):
    router.add_router("", resource.router)
records = Router()
for resource in (expressions_of_interest, plans):
    records.add_router("", resource.records)
