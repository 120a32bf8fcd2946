"""HKAS's accreditations: find one, see its scope with each product type's status today and its dated
events, and record a suspension, reinstatement or withdrawal of the whole accreditation or part of its
scope. Withdrawal is final, so it asks for confirmation first. Every change goes through
cepa.bodies.services, which validates it and writes the history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.bodies import services
from cepa.bodies.models import Accreditation, AccreditationStatus
from cepa.decisions.selectors import accreditation_statuses
from cepa.designation import clock
from cepa.errors import CepaError, Conflict, InvalidInput
from cepa.web.paging import paged
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain
from cepa.web.workbench.officer_forms import attach

STATUS_TAGS = {"active": "ok", "suspended": "warn", "withdrawn": "bad"}
ACTIONS = [
    ("suspended", gettext_lazy("Suspend")),
    ("active", gettext_lazy("Reinstate")),
    ("withdrawn", gettext_lazy("Withdraw (final)")),
]
EXTENTS = [
    ("whole", gettext_lazy("The whole accreditation")),
    ("part", gettext_lazy("Only the product types chosen below")),
]
DONE = {
    "suspended": gettext_lazy("Accreditation %(id)s: suspension recorded."),
    "active": gettext_lazy("Accreditation %(id)s: reinstatement recorded."),
    "withdrawn": gettext_lazy("Accreditation %(id)s: withdrawal recorded."),
}
CONFLICT = gettext_lazy(
    "The status does not allow this: the product types are already in that status, or were withdrawn "
    "(withdrawal is final), or someone else changed them first. Nothing was changed."
)


class EventForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Change"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose suspend, reinstate or withdraw.")},
    )
    extent = forms.ChoiceField(
        label=gettext_lazy("Applies to"),
        choices=EXTENTS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the whole accreditation or some product types.")},
    )
    scope = forms.MultipleChoiceField(
        label=gettext_lazy("Product types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("Choose product types of this accreditation's scope.")
        },
    )
    on = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the date the change takes effect."),
            "invalid": gettext_lazy("Enter a date such as 2026-11-30."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the reason for the change.")},
    )

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, code) for code in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("extent") == "part" and not data.get("scope"):
            self.add_error("scope", _("Choose at least one product type, or the whole accreditation."))
        return data


@require_GET
@role_required(Role.HKAS_OFFICER.value)
def accreditation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    found = Accreditation.objects.select_related("organisation").order_by("id")
    if query:
        found = found.filter(
            Q(id__icontains=query)
            | Q(organisation__id__icontains=query)
            | Q(organisation__name_en__icontains=query)
            | Q(organisation__name_zh_hant__icontains=query)
            | Q(organisation__name_zh_hans__icontains=query)
        )
    page = paged(request, found.prefetch_related("scope_entries", "events"))
    rows = page.rows
    statuses = accreditation_statuses(rows, clock.today())
    table = []
    for row in rows:
        counts: dict[str, int] = {}
        for entry in statuses[row.pk]:
            counts[entry.status] = counts.get(entry.status, 0) + 1
        table.append((row, counts))
    return render(
        request,
        "web/workbench/accreditations.html",
        {
            "role": permissions.role_of(request.user),
            "section": "accreditations",
            "rows": table,
            "paged": page,
            "q": query,
        },
    )


def _find(accreditation_id: str) -> Accreditation:
    found = (
        Accreditation.objects.select_related("organisation")
        .prefetch_related("scope_entries", "events")
        .filter(pk=accreditation_id)
        .first()
        if "\x00" not in accreditation_id
        else None
    )
    if found is None:
        raise Http404(_("No accreditation has this number."))
    return found


def _page(
    request: HttpRequest,
    accreditation: Accreditation,
    *,
    form: EventForm | None = None,
    confirm: bool = False,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    codes = [entry.product_type for entry in accreditation.scope_entries.all()]
    today = clock.today()
    scope = [
        (entry, STATUS_TAGS.get(entry.status, "neutral"))
        for entry in accreditation_statuses([accreditation], today)[accreditation.pk]
    ]
    events = sorted(accreditation.events.all(), key=lambda e: (e.on, e.position), reverse=True)
    shown = form if form is not None else EventForm(codes=codes, initial={"on": today, "extent": "part"})
    return render(
        request,
        "web/workbench/accreditation.html",
        {
            "role": permissions.role_of(request.user),
            "section": "accreditations",
            "accreditation": accreditation,
            "scope": scope,
            "events": [(e, STATUS_TAGS.get(e.status, "neutral")) for e in events],
            "event_form": shown,
            "form": form if form is not None and form.errors else None,
            "confirm": confirm,
            "problem": problem,
            "today": today,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.HKAS_OFFICER.value)
def accreditation(request: HttpRequest, accreditation_id: str) -> HttpResponse:
    found = _find(accreditation_id)
    if request.method == "GET":
        return _page(request, found)
    codes = [entry.product_type for entry in found.scope_entries.all()]
    form = EventForm(request.POST, codes=codes)
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    data = form.cleaned_data
    if data["status"] == AccreditationStatus.WITHDRAWN and request.POST.get("confirmed") != "yes":
        return _page(request, found, form=form, confirm=True)
    try:
        services.record_accreditation_event(
            actor=actor_of(request),
            user=request.user,
            accreditation_id=found.pk,
            status=data["status"],
            on=data["on"],
            scope=data["scope"] if data["extent"] == "part" else None,
            reason=data["reason"],
            channel="web",
        )
    except InvalidInput as error:
        attach(form, error)
        return _page(request, found, form=form, status=400)
    except Conflict:
        return _page(request, _find(accreditation_id), form=form, problem=str(CONFLICT), status=409)
    except CepaError as error:
        return _page(request, found, form=form, problem=explain(error), status=error.status)
    messages.success(request, str(DONE[data["status"]]) % {"id": found.pk})
    return HttpResponseRedirect(reverse("workbench:accreditation", args=[found.pk]))
