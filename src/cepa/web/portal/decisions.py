"""The `designation` decision for each product type of an application, in the page's language, with
its reasons linked to the records they name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cepa.decisions import services
from cepa.decisions.terms import BEIJING, Decision
from cepa.designation.models import Plan
from cepa.web.public.references import ReasonView, RefResolver
from cepa.web.public.text import page_language
from cepa.web.templatetags.public import day


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


def never_submittable(items: Sequence[ProductDecision], at: dt.datetime) -> list[str]:
    """Why an application for these product types could never be submitted as things stand (one sentence
    per product type that blocks it): no route, no plan, a window that has closed, or an expression of
    interest that can no longer be sent. Empty when waiting (for a window to open) may be enough."""
    plans = {d.decision.plan for d in items if d.decision.plan}
    years = dict(Plan.objects.filter(pk__in=plans).values_list("id", "year")) if plans else {}
    found = []
    for item in items:
        decision, code = item.decision, item.code
        failing = set(decision.failing)
        if decision.route == "none":
            found.append(_("%(code)s: only a body established in the Mainland may apply to be designated.")
                         % {"code": code})
        elif "PLAN_PUBLISHED" in failing:
            found.append(_("%(code)s: no published designation plan covers this product type for bodies "
                           "like yours.") % {"code": code})
        elif "WINDOW_OPEN" in failing and decision.window and decision.window[1] < at:
            found.append(_("%(code)s: the application window of plan %(plan)s closed on %(date)s.")
                         % {"code": code, "plan": decision.plan, "date": day(decision.window[1])})
        elif "EXPRESSION_OF_INTEREST" in failing and decision.plan in years:
            year = years[decision.plan]
            deadline = dt.datetime(year, 4, 1, tzinfo=BEIJING)
            if at >= deadline:
                found.append(_("%(code)s: plan %(plan)s needs an expression of interest sent before 1 April "
                               "%(year)s, and none was sent.") % {"code": code, "plan": decision.plan,
                                                                   "year": year})
    return found
