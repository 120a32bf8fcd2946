"""Expressions of interest: a Mainland body's written request, before 1 April of the year, to be
considered in that year's designation plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cepa.bodies.models import AccreditationScope, Organisation
from cepa.catalogue.selectors import product_types_by_codes
from cepa.decisions.selectors import interest_deadline
from cepa.designation import clock, selectors
from cepa.designation import services as designation
from cepa.designation.models import Plan
from cepa.errors import CepaError, ErrorCode
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import explain, own_organisation
from cepa.web.portal.forms import ExpressionOfInterestForm
from cepa.web.public.text import local_name

Choices = list[tuple[str, str]]


def open_year() -> int:
    """The first year whose expressions of interest are still accepted now."""
    now = clock.now()
    return now.year if now < interest_deadline(now.year) else now.year + 1


def _suggestions(user: Any, organisation: Organisation, year: int) -> tuple[Choices, Choices]:
    """Product types to tick, as the application form offers them: those of the year's plans (published
    or closed) for bodies of its kind, and the others of its accreditation scope. Three queries."""
    plan_codes: set[str] = set()
    for codes in (
        Plan.objects.restrict(user, "view")
        .filter(year=year, role=organisation.kind)
        .values_list("product_types", flat=True)
    ):
        plan_codes.update(codes)
    scope = set(
        AccreditationScope.objects.filter(accreditation__organisation=organisation).values_list(
            "product_type", flat=True
        )
    )
    names = product_types_by_codes(plan_codes | scope)

    def choice(code: str) -> tuple[str, str]:
        product = names.get(code)
        return code, f"{code} {local_name(product).text}" if product else code

    return [choice(c) for c in sorted(plan_codes)], [choice(c) for c in sorted(scope - plan_codes)]


@require_http_methods(["GET", "POST"])
@applicant_required
def expressions(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    year = open_year()
    problem = ""
    status = 200
    plan_choices, scope_choices = _suggestions(request.user, organisation, year)
    choices = plan_choices + scope_choices
    if request.method == "POST":
        form = ExpressionOfInterestForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                created = designation.express_interest(
                    actor=actor_of(request),
                    user=request.user,
                    organisation=organisation.pk,
                    year=form.cleaned_data["year"],
                    product_types=form.cleaned_data["product_types"],
                    channel="web",
                )
            except CepaError as error:
                problem = explain(error)
                if error.code == ErrorCode.DEADLINE_PASSED:
                    form.add_error(
                        "year",
                        _(
                            "Expressions of interest for %(year)s closed at the end of 31 March %(year)s "
                            "(Beijing time). You can still express interest in the %(open)s plans."
                        )
                        % {"year": form.cleaned_data["year"], "open": year},
                    )
                    problem = ""
                status = error.status
            else:
                messages.success(
                    request,
                    _("Expression of interest %(id)s sent for %(year)s.")
                    % {
                        "id": created.pk,
                        "year": created.year,
                    },
                )
                return HttpResponseRedirect(reverse("portal:expressions"))
        else:
            status = 400
    else:
        form = ExpressionOfInterestForm(initial={"year": year}, choices=choices)
    deadline = interest_deadline(year)
    context: dict[str, Any] = {
        "org": organisation,
        "section": "expressions",
        "form": form,
        "problem": problem,
        "open_year": year,
        "plan_choices": plan_choices,
        "scope_choices": scope_choices,
        "chosen": set(form["suggested"].value() or []),
        "last_day": deadline.date() - dt.timedelta(days=1),
        "expressions": [
            (expression, expression.submitted < interest_deadline(expression.year))
            for expression in selectors.expressions_of_interest(
                request.user, organisation=organisation.pk
            ).order_by("-submitted", "-id")
        ],
        "mainland": organisation.seat == "MAINLAND",
    }
    return render(request, "web/portal/expressions.html", context, status=status)
