"""The rules' vocabulary that the rest of the registry shares, so that only `cepa.decisions` imports
`cepa.rules`: Beijing time (the regime's clock), the kinds and seats of bodies, the `Decision` and
`Reason` an answer is made of and the codes its reasons may carry, and the languages answers are given
in. Constants and types only."""

from __future__ import annotations

from cepa.rules.decision import Decision, Reason
from cepa.rules.facts import BEIJING, CERTIFICATION_BODY, HK, MAINLAND, beijing_date
from cepa.rules.messages import CODES as REASON_CODES
from cepa.rules.messages import LANGUAGES, normalise_language
from cepa.rules.status import INSPECTOR_STATUS_ORDER

__all__ = [
    "BEIJING",
    "CERTIFICATION_BODY",
    "HK",
    "INSPECTOR_STATUS_ORDER",
    "LANGUAGES",
    "MAINLAND",
    "REASON_CODES",
    "Decision",
    "Reason",
    "beijing_date",
    "normalise_language",
]
