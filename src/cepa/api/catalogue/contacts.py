"""CNCA enquiry contacts per sector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cepa.api.catalogue.records import names, provenance
from cepa.api.catalogue.schemas import ContactOut
from cepa.catalogue import selectors
from cepa.catalogue.models import Contact

router = Router(tags=["Catalogue"])


@router.get("/contacts", response=list[ContactOut], summary="CNCA enquiry contacts per sector")
def list_contacts(request: HttpRequest) -> list[dict[str, Any]]:
    return [contact_out(contact) for contact in selectors.contacts()]


def contact_out(contact: Contact) -> dict[str, Any]:
    organisation = {"en": contact.organisation_en}
    if contact.organisation_zh_hant:
        organisation["zh-Hant"] = contact.organisation_zh_hant
    if contact.organisation_zh_hans:
        organisation["zh-Hans"] = contact.organisation_zh_hans
    return {
        "sector": contact.sector,
        "name": names(contact),
        "organisation": organisation,
        "phone": contact.phone,
        "email": contact.email,
        **provenance(contact),
    }
