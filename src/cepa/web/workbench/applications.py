"""A designation application as CNCA sees it: the record, its documents, objections and history, and
the decision form. Deciding calls the designation service; when someone else acted first, nothing
changes and the page says so."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.catalogue.selectors import product_types_by_codes
from cepa.designation import clock, selectors
from cepa.designation import services as designation
from cepa.designation.models import Application, ApplicationDocument, ApplicationStatus, Objection
from cepa.errors import CepaError
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain, timeline
from cepa.web.portal.decisions import designation_decisions
from cepa.web.workbench.forms import DecisionForm, shown_form
from cepa.web.workbench.queues import age_in_days

ACTION_LABELS = {
    "start": gettext_lazy("Start the review"),
    "request_information": gettext_lazy("Ask the applicant for more information"),
    "approve": gettext_lazy("Approve: publish for objections, then designate"),
    "refuse": gettext_lazy("Refuse"),
}
DONE = {
    "start": gettext_lazy("Review of application %(id)s started."),
    "request_information": gettext_lazy("Application %(id)s: more information requested."),
    "approve": gettext_lazy("Application %(id)s approved and published for objections."),
    "refuse": gettext_lazy("Application %(id)s refused."),
}

cnca_only = role_required(Role.CNCA_OFFICER.value)
CONFIRMED_ACTIONS = ("approve", "refuse")


def actions_for(status: str) -> list[tuple[str, str]]:
    return [
        (action, str(ACTION_LABELS[action]))
        for action, (allowed, _to) in designation.REVIEW_ACTIONS.items()
        if status in allowed
    ]


def _find(request: HttpRequest, application_id: int) -> Application:
    found = (
        selectors.applications(request.user)
        .select_related("organisation", "plan")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise Http404(_("No application has this number."))
    return found


def version(application: Application, events: list[Any]) -> str:
    """What the officer saw: the status and the latest step of the history."""
    return f"{application.status}:{events[-1].pk if events else 0}"


def _page(
    request: HttpRequest,
    application_id: int,
    *,
    form: DecisionForm | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    application = _find(request, application_id)
    events = list(application.events.order_by("at", "id"))
    documents = list(
        ApplicationDocument.objects.restrict(request.user, "view")
        .filter(application=application)
        .order_by("uploaded", "id")
    )
    objections = list(
        Objection.objects.restrict(request.user, "view")
        .filter(application=application)
        .order_by("lodged", "id")
    )
    actions = actions_for(application.status)
    seen = version(application, events)
    form = shown_form(form, actions=actions, seen=seen, problem=problem)
    names = product_types_by_codes(application.product_types)
    may_decide = bool(actions) and permissions.can(request.user, "applications.review")
    # Beside the decision form: what the rules say of the applicant for each product type now.
    eligibility = (
        designation_decisions(application.organisation_id, application.product_types, clock.now())
        if may_decide
        else []
    )
    return render(
        request,
        "web/workbench/application.html",
        {
            "role": permissions.role_of(request.user),
            "section": "home",
            "application": application,
            "status_label": application.get_status_display(),
            "tag": labels.tag(application.status),
            "route_label": application.get_route_display(),
            "products": [(code, names.get(code)) for code in application.product_types],
            "age": age_in_days(application.submitted, clock.today()) if application.submitted else None,
            "documents": documents,
            "objections": [
                (o, o.get_status_display(), labels.tag(o.status))
                for o in objections
            ],
            "timeline": timeline(events, ApplicationStatus),
            "form": form,
            "actions": actions,
            "problem": problem,
            "may_decide": may_decide,
            "eligibility": eligibility,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@cnca_only
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    if request.method == "GET":
        return _page(request, application_id)
    current = _find(request, application_id)
    events = list(current.events.order_by("at", "id"))
    form = DecisionForm(request.POST, actions=actions_for(current.status), seen=version(current, events))
    if request.POST.get("seen") and request.POST["seen"] != version(current, events):
        return _page(
            request,
            application_id,
            form=form,
            status=409,
            problem=_(
                "Someone else acted on this application after you opened it: it is now %(status)s. "
                "Nothing was changed. Read its history below, then decide again if it still needs a decision."
            )
            % {"status": current.get_status_display()},
        )
    if not form.is_valid():
        return _page(request, application_id, form=form, status=400)
    action = form.cleaned_data["action"]
    if action in CONFIRMED_ACTIONS and request.POST.get("confirmed") != "yes":
        # A confirmation step before a decision that is published (approve) or final (refuse).
        names = product_types_by_codes(current.product_types)
        return render(request, "web/workbench/application_confirm.html", {
            "role": permissions.role_of(request.user), "section": "home", "application": current,
            "action": action, "action_label": dict(actions_for(current.status))[action],
            "reason": form.cleaned_data["reason"], "seen": version(current, events),
            "products": [(code, names.get(code)) for code in current.product_types],
        })
    try:
        designation.review_application(
            actor=actor_of(request),
            user=request.user,
            application_id=application_id,
            action=action,
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except CepaError as error:
        return _page(request, application_id, form=form, status=error.status, problem=explain(error))
    messages.success(request, str(DONE[action]) % {"id": application_id})
    return HttpResponseRedirect(reverse("workbench:application", args=[application_id]))


@require_GET
@cnca_only
def document(request: HttpRequest, application_id: int, document_id: int) -> FileResponse:
    found = (
        ApplicationDocument.objects.restrict(request.user, "view")
        .filter(pk=document_id, application_id=application_id)
        .first()
    )
    if found is None:
        raise Http404(_("No such document."))
    return FileResponse(
        found.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=found.filename
    )
