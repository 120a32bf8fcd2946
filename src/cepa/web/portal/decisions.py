"""The `designation` decision for each product type of an application, in the page's language.

`decide()` loads a snapshot per product type (five queries each); a page shows several product types
at once, so this builds one snapshot for all of them through the same loader (three queries plus two
per product type) and asks the same engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cepa.decisions import loader
from cepa.rules import facts
from cepa.rules.decision import Decision
from cepa.rules.designation import decide_designation
from cepa.web.public.references import ReasonView, RefResolver
from cepa.web.public.text import page_language


@dataclass(frozen=True)
class ProductDecision:
    code: str
    decision: Decision
    reasons: list[ReasonView]


def designation_decisions(subject: str, codes: Sequence[str], at: dt.datetime) -> list[ProductDecision]:
    """The decision for each of `codes` (in order) as of `at`; codes no catalogue has had are left out."""
    lang = page_language()
    organisations = loader.load_organisations(ids=[subject])
    if not organisations:
        return []
    mainland = organisations[0].seat == facts.MAINLAND
    wanted = set(codes)
    catalogue = [entry for entry in loader.load_catalogue(None) if entry.code in wanted]
    plans: dict[str, facts.Plan] = {}
    routine: list[facts.RoutineScopeEntry] = []
    if mainland:
        for code in codes:
            routine.extend(loader.load_routine_scope(code))
            plans.update((plan.id, plan) for plan in loader.load_plans(code))
    snapshot = facts.Snapshot.of(
        organisations=organisations,
        routine_scope=routine,
        plans=plans.values(),
        expressions_of_interest=loader.load_expressions_of_interest([subject]) if mainland else [],
        catalogue=catalogue,
    )
    known = {entry.code for entry in catalogue}
    decisions = [
        decide_designation(snapshot, subject=subject, product_type=code, at=at, lang=lang)
        for code in codes
        if code in known
    ]
    resolver = RefResolver(decisions)
    return [ProductDecision(d.product_type, d, resolver.reasons(d)) for d in decisions]
