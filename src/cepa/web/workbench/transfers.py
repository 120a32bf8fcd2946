"""A transfer request as the CCAA registrar sees it: approve (the inspector's affiliation moves on the
effective date) or refuse, always with a reason."""

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
from cepa.personnel import selectors
from cepa.personnel.models import Transfer, TransferStatus
from cepa.personnel.services import transfers as personnel
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain
from cepa.web.portal.transfers import refusal_messages, transfer_context
from cepa.web.workbench.forms import DecisionForm, choices, shown_form
from cepa.web.workbench.queues import age_in_days

ACTIONS = [
    ("approve", gettext_lazy("Approve: the inspector moves on the effective date")),
    ("refuse", gettext_lazy("Refuse")),
]
DONE = {
    "approve": gettext_lazy("Transfer %(id)s approved."),
    "refuse": gettext_lazy("Transfer %(id)s refused."),
}
CONFLICT = gettext_lazy(
    "Someone else decided this transfer first: it is now %(status)s. Nothing was changed."
)


def _find(request: HttpRequest, transfer_id: int) -> Transfer:
    found = (
        selectors.transfers(request.user)
        .select_related("inspector", "from_organisation", "to_organisation")
        .filter(pk=transfer_id)
        .first()
    )
    if found is None:
        raise Http404(_("No transfer has this number."))
    return found


def _page(
    request: HttpRequest,
    transfer: Transfer,
    *,
    form: DecisionForm | None = None,
    status: int = 200,
    problem: str = "",
    problems: list[str] | None = None,
) -> HttpResponse:
    pending = transfer.status == TransferStatus.REQUESTED
    actions = choices(ACTIONS) if pending else []
    form = shown_form(form, actions=actions, seen=transfer.status, problem=problem)
    return render(
        request,
        "web/workbench/transfer.html",
        {
            "role": permissions.role_of(request.user),
            "section": "home",
            "age": age_in_days(transfer.requested_at, clock.today()),
            "form": form,
            "problem": problem,
            "problems": problems or [],
            "may_decide": pending,
            **transfer_context(transfer),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CCAA_REGISTRAR.value)
def transfer(request: HttpRequest, transfer_id: int) -> HttpResponse:
    found = _find(request, transfer_id)
    if request.method == "GET":
        return _page(request, found)
    form = DecisionForm(request.POST, actions=choices(ACTIONS))
    conflict = str(CONFLICT)
    if found.status != TransferStatus.REQUESTED:
        label = found.get_status_display()
        return _page(request, found, form=form, status=409, problem=conflict % {"status": label})
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        personnel.review_transfer(
            actor=actor_of(request),
            user=request.user,
            transfer_id=transfer_id,
            action=action,
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except Refused as error:
        problems = [message for _code, message in refusal_messages(error)]
        return _page(
            request,
            found,
            form=form,
            status=422,
            problem=_("The rules do not allow this now. Nothing was changed: see the reasons below."),
            problems=problems,
        )
    except Conflict:
        current = _find(request, transfer_id)
        label = current.get_status_display()
        return _page(request, current, form=form, status=409, problem=conflict % {"status": label})
    except CepaError as error:
        return _page(request, found, form=form, status=error.status, problem=explain(error))
    messages.success(request, str(DONE[action]) % {"id": transfer_id})
    return HttpResponseRedirect(reverse("workbench:transfer", args=[transfer_id]))
