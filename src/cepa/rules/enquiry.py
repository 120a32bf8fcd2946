"""`enquiry`: where does an enquiry about PRODUCT_TYPE go? (contract §2)"""

from __future__ import annotations

from cepa.rules.decision import Decision, UnknownFact
from cepa.rules.facts import Snapshot


def enquiry_sector(snapshot: Snapshot, code: str) -> str | None:
    """The enquiry sector of the product type named `code` (any of its codes, or its key)."""
    product_type = snapshot.catalogue.get(code)
    return (product_type.sector or None) if product_type is not None else None


def decide_enquiry(snapshot: Snapshot, *, product_type: str, lang: str = "en") -> Decision:
    """Where does an enquiry about PRODUCT_TYPE go? No conditions; adds the sector and its contact."""
    if product_type not in snapshot.catalogue:
        raise UnknownFact("product_type", product_type)
    sector = enquiry_sector(snapshot, product_type)
    contact = snapshot.contacts.get(sector) if sector else None
    return Decision("enquiry", product_type, (), lang=lang, sector=sector, contact=contact)
