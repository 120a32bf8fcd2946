"""The `designation` decision for each product type of an application, in the page's language, with
its reasons linked to the records they name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cepa.decisions import services
from cepa.decisions.terms import Decision
from cepa.web.public.references import ReasonView, RefResolver
from cepa.web.public.text import page_language


@dataclass(frozen=True)
class ProductDecision:
    code: str
    decision: Decision
    reasons: list[ReasonView]


def designation_decisions(subject: str, codes: Sequence[str], at: dt.datetime) -> list[ProductDecision]:
    """The decision for each of `codes` (in order) as of `at`; codes no catalogue has had are left out."""
    decisions = services.designation_decisions(subject, codes, at, page_language())
    resolver = RefResolver(decisions)
    return [ProductDecision(d.product_type, d, resolver.reasons(d)) for d in decisions]
