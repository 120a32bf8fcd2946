from ninja import Router

router = Router(tags=["Designation plans"])
