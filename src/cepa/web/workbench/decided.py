"""CNCA's archive of cases: every application past the queues (decided ones first), found by status,
body, product type and the date of the decision; and the expressions of interest grouped by product
type and year, to write the next plans from. Reads only, through cepa.designation.selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.catalogue.selectors import same_type
from cepa.decisions.terms import BEIJING
from cepa.designation import clock, selectors
from cepa.designation.models import ApplicationStatus, Objection, ObjectionStatus
from cepa.web.paging import Paged, paged
from cepa.web.portal import labels
from cepa.web.portal.access import role_required

DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)


class CaseSearch(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any decision"))] + [(s.value, s.label) for s in DECIDED],
        error_messages={"invalid_choice": gettext_lazy("Choose one of the statuses listed.")},
    )
    body = forms.CharField(label=gettext_lazy("Body (name or id)"), required=False, max_length=200)
    product_type = forms.CharField(label=gettext_lazy("Product type code"), required=False, max_length=40)
    decided_from = forms.DateField(
        label=gettext_lazy("Decided from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a date such as 2026-11-30.")},
    )
    decided_until = forms.DateField(
        label=gettext_lazy("Decided until (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a date such as 2026-11-30.")},
    )


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


@require_GET
@role_required(Role.CNCA_OFFICER.value)
def decided(request: HttpRequest) -> HttpResponse:
    form = CaseSearch(request.GET or None)
    page: Paged | None = None
    searched = form.is_bound and form.is_valid()
    if not form.is_bound or searched:
        data: dict[str, Any] = form.cleaned_data if searched else {}
        found = selectors.applications(request.user).filter(status__in=[s.value for s in DECIDED])
        if data.get("status"):
            found = found.filter(status=data["status"])
        body = (data.get("body") or "").strip()
        if body:
            found = found.filter(
                Q(organisation__id__icontains=body)
                | Q(organisation__name_en__icontains=body)
                | Q(organisation__name_zh_hant__icontains=body)
                | Q(organisation__name_zh_hans__icontains=body)
            )
        if data.get("decided_from"):
            found = found.filter(decided__gte=_start(data["decided_from"]))
        if data.get("decided_until"):
            found = found.filter(decided__lt=_start(data["decided_until"] + dt.timedelta(days=1)))
        code = (data.get("product_type") or "").strip()
        if code:
            found = found.filter(_holds_any(same_type([code])))
        page = paged(request, found.select_related("organisation").order_by("-decided", "-id"))
    rows = [(application, labels.tag(application.status)) for application in page.rows] if page else []
    return render(
        request,
        "web/workbench/decided.html",
        {
            "role": permissions.role_of(request.user),
            "section": "decided",
            "search": form if form.is_bound else CaseSearch(),
            "form": form if form.is_bound and form.errors else None,
            "rows": rows,
            "paged": page,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _holds_any(codes: frozenset[str]) -> Q:
    """Records whose list of product types holds one of `codes`: each code as a quoted JSON string in the
    list's text, which both SQLite and PostgreSQL search (SQLite has no JSON containment)."""
    found = Q(pk__in=[])
    for code in sorted(codes):
        found |= Q(product_types__icontains=f'"{code}"')
    return found


@require_GET
@role_required(Role.CNCA_OFFICER.value)
def interest(request: HttpRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else clock.today().year
    page = paged(request, selectors.expressions_by_product_type(request.user, year=year))
    return render(
        request,
        "web/workbench/interest.html",
        {
            "role": permissions.role_of(request.user),
            "section": "interest",
            "year": year,
            "groups": page.rows,
            "paged": page,
            "years": [year - 1, year, year + 1],
        },
    )


@require_GET
@role_required(Role.CNCA_OFFICER.value)
def objections(request: HttpRequest) -> HttpResponse:
    """Every objection, the latest first, with the objection period of the application it is against."""
    status = request.GET.get("status", "")
    status = status if status in ObjectionStatus.values else ""
    found = Objection.objects.restrict(request.user, "view").select_related("application__organisation")
    if status:
        found = found.filter(status=status)
    page = paged(request, found.order_by("-lodged", "-id"))
    rows = [(o, labels.tag(o.status)) for o in page.rows]
    return render(
        request,
        "web/workbench/objections.html",
        {
            "role": permissions.role_of(request.user),
            "section": "objections",
            "rows": rows,
            "status": status,
            "statuses": ObjectionStatus.choices,
            "paged": page,
        },
    )
