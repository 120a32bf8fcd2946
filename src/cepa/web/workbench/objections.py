"""An objection to an approved application: CNCA upholds it (the designation, in force from the day of
approval, ends the day before) or dismisses it, always with a reason."""

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
from cepa.designation import services as designation
from cepa.designation.models import Objection, ObjectionStatus
from cepa.errors import CepaError
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain
from cepa.web.workbench.forms import DecisionForm, choices, shown_form
from cepa.web.workbench.queues import age_in_days

ACTIONS = [
    ("dismiss", gettext_lazy("Dismiss: the designation stays in force")),
    ("uphold", gettext_lazy("Uphold: end the designation (removed if upheld on the day of approval)")),
]
DONE = {
    "dismiss": gettext_lazy("Objection %(id)s dismissed."),
    "uphold": gettext_lazy("Objection %(id)s upheld: the designation was ended."),
}


def _find(request: HttpRequest, objection_id: int) -> Objection:
    found = (
        Objection.objects.restrict(request.user, "view")
        .select_related("application", "application__organisation")
        .filter(pk=objection_id)
        .first()
    )
    if found is None:
        raise Http404(_("No objection has this number."))
    return found


def _page(
    request: HttpRequest,
    objection: Objection,
    *,
    form: DecisionForm | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    pending = objection.status == ObjectionStatus.PENDING
    actions = choices(ACTIONS) if pending else []
    form = shown_form(form, actions=actions, seen=objection.status, problem=problem)
    return render(
        request,
        "web/workbench/objection.html",
        {
            "role": permissions.role_of(request.user),
            "section": "home",
            "objection": objection,
            "application": objection.application,
            "status_label": objection.get_status_display(),
            "tag": labels.tag(objection.status),
            "age": age_in_days(objection.lodged, clock.today()),
            "form": form,
            "problem": problem,
            "may_decide": pending,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def objection(request: HttpRequest, objection_id: int) -> HttpResponse:
    found = _find(request, objection_id)
    if request.method == "GET":
        return _page(request, found)
    form = DecisionForm(request.POST, actions=choices(ACTIONS))
    if found.status != ObjectionStatus.PENDING:
        return _page(
            request,
            found,
            form=form,
            status=409,
            problem=_("Someone else decided this objection first: it is now %(status)s. Nothing was changed.")
            % {"status": found.get_status_display()},
        )
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        designation.review_objection(
            actor=actor_of(request),
            user=request.user,
            objection_id=objection_id,
            action=action,
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except CepaError as error:
        found = _find(request, objection_id)
        return _page(request, found, form=form, status=error.status, problem=explain(error))
    messages.success(request, str(DONE[action]) % {"id": objection_id})
    return HttpResponseRedirect(reverse("workbench:objection", args=[objection_id]))
