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

from cepa.decisions.selectors import interest_deadline
from cepa.designation import clock, selectors
from cepa.designation import services as designation
from cepa.errors import CepaError, ErrorCode
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import explain, own_organisation
from cepa.web.portal.forms import ExpressionOfInterestForm


def open_year() -> int:
    """The first year whose expressions of interest are still accepted now."""
    now = clock.now()
    return now.year if now < interest_deadline(now.year) else now.year + 1


@require_http_methods(["GET", "POST"])
@applicant_required
def expressions(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    year = open_year()
    problem = ""
    status = 200
    if request.method == "POST":
        form = ExpressionOfInterestForm(request.POST)
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
        form = ExpressionOfInterestForm(initial={"year": year})
    deadline = interest_deadline(year)
    context: dict[str, Any] = {
        "org": organisation,
        "section": "expressions",
        "form": form,
        "problem": problem,
        "open_year": year,
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
