"""The public registry of bodies: organisations, accreditations, designations and agreements.

Reading needs no account; PUT of a record (interchange shape) needs an administrator's token and
goes through the importer. Per-record routes live on `records`, mounted last (see cepa.api.api).
"""

from ninja import Router

from cepa.api.bodies import accreditations, agreements, designations, organisations

router = Router()
records = Router()
for resource in (organisations, accreditations, designations, agreements):
    router.add_router("", resource.router)
    records.add_router("", resource.records)
