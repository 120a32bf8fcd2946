"""Inspectors: the public register and lookup, the registrar's writes, institution transfers, and
personal data (only for the registrar and the inspector's own body's staff, every read logged).

Handlers check in the contract's order: 401 (auth class), 403 role or organisation, 404 record,
400 body (read with parse_body after the record is found), 409 status, 422 rules ("failing").
Per-record routes live on `records`, mounted last (see cepa.api.api).
"""

from ninja import Router

from cepa.api.personnel import inspectors, personal_data, transfers

router = Router()
for resource in (inspectors, personal_data, transfers):
    router.add_router("", resource.router)
records = inspectors.records
