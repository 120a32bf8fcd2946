"""An agreement filing as CNCA sees it: accept it (the agreement goes on the registry) or return it
with what the applicant must correct."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.designation import clock
from cepa.errors import CepaError, Conflict, Refused
from cepa.filings import selectors
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services import review as filings
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain, timeline
from cepa.web.workbench.forms import DecisionForm, choices, shown_form
from cepa.web.workbench.queues import age_in_days

ACTIONS = [
    ("accept", gettext_lazy("Accept: the agreement goes on the registry")),
    ("return", gettext_lazy("Return it to the applicant to correct")),
]
DONE = {
    "accept": gettext_lazy("Filing %(id)s accepted: the agreement is on the registry."),
    "return": gettext_lazy("Filing %(id)s returned to the applicant."),
}
CONFLICT = gettext_lazy(
    "Someone else acted on this filing after you opened it: it is now %(status)s. Nothing was changed."
)


def _find(request: HttpRequest, filing_id: str) -> AgreementFiling:
    found = (
        selectors.filings(request.user).select_related("party", "counterparty").filter(pk=filing_id).first()
    )
    if found is None:
        raise Http404(_("No filing has this reference."))
    return found


def _page(
    request: HttpRequest,
    filing: AgreementFiling,
    *,
    form: DecisionForm | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    pending = filing.status == FilingStatus.FILED
    actions = choices(ACTIONS) if pending else []
    form = shown_form(form, actions=actions, seen=filing.status, problem=problem)
    transitions = list(filing.transitions.order_by("at", "id"))
    return render(
        request,
        "web/workbench/filing.html",
        {
            "role": permissions.role_of(request.user),
            "section": "home",
            "filing": filing,
            "status_label": filing.get_status_display(),
            "tag": labels.tag(filing.status),
            "age": age_in_days(filing.filed_at, clock.today()),
            "timeline": timeline(transitions, FilingStatus),
            "form": form,
            "problem": problem,
            "may_decide": pending,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def filing(request: HttpRequest, filing_id: str) -> HttpResponse:
    found = _find(request, filing_id)
    if request.method == "GET":
        return _page(request, found)
    form = DecisionForm(request.POST, actions=choices(ACTIONS))
    if found.status != FilingStatus.FILED:
        return _page(
            request,
            found,
            form=form,
            status=409,
            problem=str(CONFLICT) % {"status": found.get_status_display()},
        )
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        filings.review_filing(
            actor=actor_of(request),
            user=request.user,
            filing_id=filing_id,
            action=action,
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except Conflict:
        current = _find(request, filing_id)
        return _page(
            request,
            current,
            form=form,
            status=409,
            problem=str(CONFLICT) % {"status": current.get_status_display()},
        )
    except Refused:
        return _page(
            request,
            found,
            form=form,
            status=422,
            problem=_(
                "The agreement's dates have already ended: accepted today it would never be in force. "
                "Return it instead."
            ),
        )
    except CepaError as error:
        return _page(request, found, form=form, status=error.status, problem=explain(error))
    messages.success(request, str(DONE[action]) % {"id": filing_id})
    return HttpResponseRedirect(reverse("workbench:filing", args=[filing_id]))
