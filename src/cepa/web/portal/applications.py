"""Designation applications: a Mainland body asks CNCA to designate it for some product types.

The route (routine or a designation plan) comes from the `designation` decision; a draft is submitted
when the decision allows it now, and otherwise the page shows each condition with a tick or a cross.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cepa.bodies.models import Organisation
from cepa.catalogue.selectors import product_types_by_codes, routine_scope_codes
from cepa.designation import clock, selectors
from cepa.designation import services as designation
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Objection,
    Plan,
    PlanStatus,
)
from cepa.errors import CepaError, InvalidInput
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import explain, last_reason, own_organisation, timeline
from cepa.web.portal.decisions import designation_decisions, never_submittable
from cepa.web.portal.forms import ApplicationForm, DocumentForm, ReasonForm
from cepa.web.public.text import local_name
from cepa.web.templatetags.public import day

SUBMITTABLE = (ApplicationStatus.DRAFT, ApplicationStatus.INFORMATION_REQUESTED)
WITHDRAWABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.INFORMATION_REQUESTED)
DOCUMENTS_ALLOWED = tuple(designation.DOCUMENT_STATUSES)


def own_applications(request: HttpRequest, organisation: Organisation) -> Any:
    """The organisation's applications (the scoping selector also lets everyone see approved ones)."""
    return selectors.applications(request.user, organisation=organisation.pk)


def next_action(application: Application, documents: int, may_submit: bool | None,
                blocked: bool = False) -> str:
    """What the applicant should do next, in one sentence."""
    status = application.status
    if blocked and status in SUBMITTABLE:
        return _("This application can never be submitted as it stands: see why below. You may withdraw it.")
    if status == ApplicationStatus.DRAFT:
        if may_submit is False:
            return _("You cannot submit this application now: see why under “Can you submit now?”.")
        if documents == 0:
            return _("Add your supporting documents, then submit the application.")
        return _("Submit the application when your supporting documents are complete.")
    if status == ApplicationStatus.SUBMITTED:
        return _("Nothing to do now: CNCA will start reviewing your application.")
    if status == ApplicationStatus.UNDER_REVIEW:
        return _("Nothing to do now: CNCA is reviewing your application.")
    if status == ApplicationStatus.INFORMATION_REQUESTED:
        return _("CNCA asked for more information: add documents that answer it, then submit again.")
    if status == ApplicationStatus.APPROVED:
        if application.designation_cancelled:
            if application.designation_id is None:
                return _("An objection was upheld: the designation was removed.")
            return _("An objection was upheld: the designation has ended.")
        dates = {"end": day(application.objection_period_ends), "start": day(application.designation_from)}
        if application.objection_period_ends and not clock.objection_period_running(
            application.objection_period_ends
        ):
            return _(
                "Approved. The designation is in force from %(start)s; the objection period ended %(end)s."
            ) % dates
        return _(
            "Approved. The designation is in force from %(start)s; objections may be lodged until "
            "%(end)s, and one that is upheld ends it."
        ) % dates
    if status == ApplicationStatus.REFUSED:
        return _("CNCA refused the application. You may make a new application.")
    return _("The application was withdrawn. You may make a new application.")


@require_GET
@applicant_required
def applications(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    rows = []
    for application in own_applications(request, organisation).order_by("-created", "-id"):
        rows.append(
            {
                "application": application,
                "status": application.get_status_display(),
                "tag": labels.tag(application.status),
                "next": next_action(application, 1, None),
            }
        )
    return render(
        request,
        "web/portal/applications.html",
        {
            "org": organisation,
            "section": "applications",
            "rows": rows,
            "mainland": organisation.seat == "MAINLAND",
        },
    )


Choices = list[tuple[str, str]]


def _suggestions(user: Any, organisation: Organisation) -> tuple[Choices, Choices]:
    """Product types worth offering: those of published plans for this kind of body whose window has not
    closed, and (for a laboratory) those of routine designation today."""
    now = clock.now()
    plan_codes: set[str] = set()
    for codes in (
        Plan.objects.restrict(user, "view")
        .filter(status=PlanStatus.PUBLISHED, role=organisation.kind, closes__gte=now)
        .values_list("product_types", flat=True)
    ):
        plan_codes.update(codes)
    routine = set(routine_scope_codes(clock.today())) if organisation.kind == "laboratory" else set()
    names = product_types_by_codes(plan_codes | routine)

    def choice(code: str) -> tuple[str, str]:
        product = names.get(code)
        return code, f"{code} {local_name(product).text}" if product else code

    return [choice(c) for c in sorted(plan_codes)], [choice(c) for c in sorted(routine - plan_codes)]


@require_http_methods(["GET", "POST"])
@applicant_required
def new_application(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    plan_choices, routine_choices = _suggestions(request.user, organisation)
    choices = plan_choices + routine_choices
    problem = ""
    decisions: list[Any] = []
    blockers: list[str] = []
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, choices=choices)
        if form.is_valid():
            codes = form.cleaned_data["product_types"]
            # Eligibility first: a draft that could never be submitted is not created.
            decisions = designation_decisions(organisation.pk, codes, clock.now())
            blockers = never_submittable(decisions, clock.now())
        if form.is_valid() and blockers:
            problem = _("No draft was created: an application for these product types could never be "
                        "submitted. See why below.")
            status = 422
        elif form.is_valid():
            try:
                created = designation.create_application(
                    actor=actor_of(request),
                    user=request.user,
                    organisation=organisation.pk,
                    product_types=codes,
                    channel="web",
                )
            except CepaError as error:
                problem = explain(error)
                status = error.status
            else:
                messages.success(request, _("Draft application %(id)s created.") % {"id": created.pk})
                return HttpResponseRedirect(reverse("portal:application", args=[created.pk]))
        else:
            status = 400
    else:
        form = ApplicationForm(choices=choices)
    return render(
        request,
        "web/portal/application_new.html",
        {
            "org": organisation,
            "section": "applications",
            "form": form,
            "problem": problem,
            "plan_choices": plan_choices,
            "routine_choices": routine_choices,
            "decisions": decisions,
            "blockers": blockers,
            "chosen": set(form["suggested"].value() or []),
        },
        status=status,
    )


def _own_application(request: HttpRequest, organisation: Organisation, application_id: int) -> Application:
    found = own_applications(request, organisation).select_related("plan").filter(pk=application_id).first()
    if found is None:
        raise Http404(_("Your organisation has no application with this number."))
    return found


def _detail(request: HttpRequest, application_id: int, *, status: int = 200, **extra: Any) -> HttpResponse:
    organisation = own_organisation(request)
    application = _own_application(request, organisation, application_id)
    events = list(application.events.order_by("at", "id"))
    documents = list(application.documents.order_by("uploaded", "id"))
    objections = list(
        Objection.objects.restrict(request.user, "view")
        .filter(application=application)
        .order_by("lodged", "id")
    )
    names = product_types_by_codes(application.product_types)
    decisions = []
    may_submit = None
    blockers: list[str] = []
    if application.status in SUBMITTABLE:
        decisions = designation_decisions(organisation.pk, application.product_types, clock.now())
        may_submit = all(item.decision.allowed for item in decisions)
        blockers = [] if may_submit else never_submittable(decisions, clock.now())
    context: dict[str, Any] = {
        "org": organisation,
        "section": "applications",
        "application": application,
        "status_label": application.get_status_display(),
        "tag": labels.tag(application.status),
        "route_label": application.get_route_display(),
        "products": [(code, names.get(code)) for code in application.product_types],
        "timeline": timeline(events, ApplicationStatus),
        "documents": documents,
        "objections": [
            (
                objection,
                objection.get_status_display(),
                labels.tag(objection.status),
            )
            for objection in objections
        ],
        "decisions": decisions,
        "may_submit": may_submit,
        "next": next_action(application, len(documents), may_submit, bool(blockers)),
        "blockers": blockers,
        "information_request": last_reason(events, ApplicationStatus.INFORMATION_REQUESTED)
        if application.status == ApplicationStatus.INFORMATION_REQUESTED
        else "",
        "refusal": last_reason(events, ApplicationStatus.REFUSED)
        if application.status == ApplicationStatus.REFUSED
        else "",
        "can_submit": application.status in SUBMITTABLE,
        "can_withdraw": application.status in WITHDRAWABLE,
        "can_add_documents": application.status in DOCUMENTS_ALLOWED,
        "document_form": extra.pop("document_form", None) or DocumentForm(),
        "withdraw_form": extra.pop("withdraw_form", None) or ReasonForm(),
        "max_document_megabytes": designation.max_document_bytes() // (1024 * 1024),
        **extra,
    }
    return render(request, "web/portal/application.html", context, status=status)


@require_GET
@applicant_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    return _detail(request, application_id)


def _refused(request: HttpRequest, application_id: int, error: CepaError, **extra: Any) -> HttpResponse:
    return _detail(
        request,
        application_id,
        status=error.status,
        problem=explain(error),
        refused_codes=error.failing,
        **extra,
    )


@require_POST
@applicant_required
def submit(request: HttpRequest, application_id: int) -> HttpResponse:
    organisation = own_organisation(request)
    found = _own_application(request, organisation, application_id)
    if request.POST.get("confirmed") != "yes":
        # A confirmation step: what goes to CNCA, and that it cannot be changed while CNCA reviews it.
        names = product_types_by_codes(found.product_types)
        return render(request, "web/portal/application_confirm.html", {
            "org": organisation, "section": "applications", "application": found,
            "products": [(code, names.get(code)) for code in found.product_types],
            "route_label": found.get_route_display(),
            "documents": found.documents.count(),
        })
    try:
        designation.submit_application(
            actor=actor_of(request), user=request.user, application_id=application_id, channel="web"
        )
    except CepaError as error:
        return _refused(request, application_id, error)
    messages.success(request, _("Application %(id)s submitted to CNCA.") % {"id": application_id})
    return HttpResponseRedirect(reverse("portal:application", args=[application_id]))


@require_POST
@applicant_required
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    _own_application(request, own_organisation(request), application_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, application_id, status=400, withdraw_form=form)
    try:
        designation.withdraw_application(
            actor=actor_of(request),
            user=request.user,
            application_id=application_id,
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except CepaError as error:
        return _refused(request, application_id, error, withdraw_form=form)
    messages.success(request, _("Application %(id)s withdrawn.") % {"id": application_id})
    return HttpResponseRedirect(reverse("portal:application", args=[application_id]))


@require_POST
@applicant_required
def add_document(request: HttpRequest, application_id: int) -> HttpResponse:
    _own_application(request, own_organisation(request), application_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, application_id, status=400, document_form=form)
    upload = form.cleaned_data["file"]
    if upload.size > designation.max_document_bytes():
        form.add_error(
            "file",
            _("The file is larger than %(size)s MB. Choose a smaller PDF.")
            % {"size": designation.max_document_bytes() // (1024 * 1024)},
        )
        return _detail(request, application_id, status=413, document_form=form)
    try:
        document = designation.add_document(
            actor=actor_of(request),
            user=request.user,
            application_id=application_id,
            filename=upload.name,
            content_type=upload.content_type or "",
            data=upload.read(),
            channel="web",
        )
    except InvalidInput as error:
        message = _("The file must be a PDF document.") if error.field == "file" else explain(error)
        form.add_error("file", message)
        return _detail(request, application_id, status=400, document_form=form)
    except CepaError as error:
        return _refused(request, application_id, error)
    messages.success(request, _("Document %(name)s added.") % {"name": document.filename})
    return HttpResponseRedirect(reverse("portal:application", args=[application_id]) + "#documents")


@require_GET
@applicant_required
def document(request: HttpRequest, application_id: int, document_id: int) -> FileResponse:
    organisation = own_organisation(request)
    found = (
        ApplicationDocument.objects.restrict(request.user, "view")
        .filter(pk=document_id, application_id=application_id, application__organisation_id=organisation.pk)
        .first()
    )
    if found is None:
        raise Http404(_("Your organisation has no such document."))
    return FileResponse(
        found.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=found.filename
    )
