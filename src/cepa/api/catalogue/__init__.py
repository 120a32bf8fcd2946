"""Public reads of the CCC catalogue (mounted at /api/v1/catalogue). No account needed; no writes."""

from ninja import Router

from cepa.api.catalogue import categories, contacts, instruments, product_types, routine_scope, versions

router = Router()
for resource in (versions, categories, product_types, routine_scope, contacts, instruments):
    router.add_router("", resource.router)
