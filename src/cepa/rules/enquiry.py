"""`enquiry`: where does an enquiry about PRODUCT_TYPE go? (contract §2)"""

from __future__ import annotations

import datetime as dt

from cepa.rules.decision import Decision, UnknownFact
from cepa.rules.facts import Snapshot


def enquiry_sector(snapshot: Snapshot, code: str, day: dt.date | None = None) -> str | None:
    """The enquiry sector of a code: of the entry in the catalogue on `day`, else the latest entry."""
    entries = snapshot.catalogue.get(code, ())
    if not entries:
        return None
    current = [e for e in entries if day is not None and e.in_catalogue(day)]
    return (current or list(entries))[-1].sector or None


def decide_enquiry(
    snapshot: Snapshot, *, product_type: str, lang: str = "en", on: dt.date | None = None
) -> Decision:
    """Where does an enquiry about PRODUCT_TYPE go? No conditions; adds the sector and its contact."""
    if product_type not in snapshot.catalogue:
        raise UnknownFact("product_type", product_type)
    sector = enquiry_sector(snapshot, product_type, on)
    contact = snapshot.contacts.get(sector) if sector else None
    return Decision("enquiry", product_type, (), lang=lang, sector=sector, contact=contact)
