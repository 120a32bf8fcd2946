"""Certificates and their chain in the portal: a certification body issues and changes its certificates,
sees those affected by a link that is no longer eligible, and records its factory inspections; a
laboratory records its test reports. Every write goes through cepa.certificates.services; a refusal
says why in the page's language and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cepa.bodies.models import Organisation, OrganisationKind
from cepa.certificates import cascade, selectors, services
from cepa.certificates.models import CertificateStatus
from cepa.errors import CepaError, Conflict, ErrorCode, InvalidInput, Refused
from cepa.personnel.models import Inspector
from cepa.web.paging import paged
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import explain, own_organisation
from cepa.web.public.text import beijing_today, local_name, page_language

DATE_ERRORS = {
    "required": gettext_lazy("Enter the date, such as 2027-01-31."),
    "invalid": gettext_lazy("Enter a real date as year-month-day, such as 2027-01-31."),
}


def _date(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )


class IssueForm(forms.Form):
    holder_en = forms.CharField(label=gettext_lazy("Holder’s name in English"), max_length=300)
    holder_zh_hant = forms.CharField(
        label=gettext_lazy("Holder’s name in Traditional Chinese (optional)"), max_length=300, required=False
    )
    holder_zh_hans = forms.CharField(
        label=gettext_lazy("Holder’s name in Simplified Chinese (optional)"), max_length=300, required=False
    )
    product_type = forms.CharField(label=gettext_lazy("Product type code"), max_length=60)
    issued = _date(gettext_lazy("Issued on"), False, gettext_lazy("Leave empty for today."))
    expires = _date(gettext_lazy("Expires on"))
    test_reports = forms.MultipleChoiceField(
        label=gettext_lazy("Test reports it rests on"), widget=forms.CheckboxSelectMultiple
    )
    factory_inspections = forms.MultipleChoiceField(
        label=gettext_lazy("Factory inspections it rests on (optional)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, data: Any = None, *, reports: list[tuple[str, str]], inspections: list[tuple[str, str]]
    ) -> None:
        super().__init__(data)
        self.fields["test_reports"].choices = reports  # type: ignore[attr-defined]
        self.fields["factory_inspections"].choices = inspections  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Change"),
        widget=forms.RadioSelect,
        choices=[
            (services.SUSPEND, gettext_lazy("Suspend")),
            (services.REINSTATE, gettext_lazy("Reinstate")),
            (services.REVOKE, gettext_lazy("Revoke (final)")),
            (services.CANCEL, gettext_lazy("Cancel (final)")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=services.MAX_REASON
    )
    on = _date(gettext_lazy("From"), False, gettext_lazy("Leave empty for today."))


class ReportForm(forms.Form):
    id = forms.CharField(label=gettext_lazy("Report number"), max_length=100)
    product_type = forms.CharField(label=gettext_lazy("Product type code"), max_length=60)
    issued = _date(gettext_lazy("Issued on"))
    certification_body = forms.ChoiceField(label=gettext_lazy("Made for the certification body"))


class InspectionForm(forms.Form):
    id = forms.CharField(label=gettext_lazy("Inspection reference"), max_length=100)
    on_behalf_of = forms.ChoiceField(label=gettext_lazy("Made on behalf of the certification body"))
    inspectors = forms.CharField(
        label=gettext_lazy("Inspectors’ registration numbers"),
        max_length=2000,
        help_text=gettext_lazy("Separate them with commas."),
    )
    product_type = forms.CharField(label=gettext_lazy("Product type code"), max_length=60)
    on = _date(gettext_lazy("Inspected on"))

    def clean_inspectors(self) -> list[str]:
        return [item.strip() for item in self.cleaned_data["inspectors"].split(",") if item.strip()]


def _certification_bodies() -> list[tuple[str, str]]:
    rows = Organisation.objects.filter(kind=OrganisationKind.CERTIFICATION_BODY)
    return sorted(((o.pk, f"{local_name(o).text} ({o.pk})") for o in rows), key=lambda c: c[1])


def _field_errors(form: forms.Form, error: InvalidInput, names: dict[str, str]) -> None:
    for field, message in error.errors.items():
        form.add_error(names.get(field) if names.get(field) in form.fields else None, message)


def _refusal(error: Refused) -> str:
    if error.code == ErrorCode.CHAIN_NOT_ELIGIBLE:
        return _(
            "The certificate cannot rest on this chain: a condition of the certificate decision fails "
            "on the day of issue (%(codes)s). Nothing was changed."
        ) % {"codes": ", ".join(error.failing)}
    return explain(error)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"section": "certificates", **context}, status=status)


@require_http_methods(["GET"])
@applicant_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Its certificates (issuers), and those affected by a link no longer eligible; its records."""
    organisation = own_organisation(request)
    day = beijing_today()
    context: dict[str, Any] = {"org": organisation, "day": day}
    if organisation.kind == OrganisationKind.CERTIFICATION_BODY:
        # Several lists on one page: each pages by its own parameter.
        numbers = selectors.issued_by(organisation.pk).values_list("pk", flat=True)
        issued = paged(request, numbers, "issued_page")
        records = {r["id"]: r for r in selectors.certificate_records(issued.rows, day)}
        context["certificates"] = [records[pk] for pk in issued.rows if pk in records]
        context["issued_paged"] = issued
        context["affected_paged"] = paged(
            request, cascade.affected(day, issuer=organisation.pk, lang=page_language()), "affected_page"
        )
        context["affected"] = context["affected_paged"].rows
    if organisation.kind in (OrganisationKind.CERTIFICATION_BODY, OrganisationKind.INSPECTION_BODY):
        inspections = selectors.inspections_of(organisation.pk).order_by("-on", "id")
        context["inspections_paged"] = paged(request, inspections, "inspections_page")
        context["inspections"] = context["inspections_paged"].rows
    if organisation.kind == OrganisationKind.LABORATORY:
        reports = selectors.reports_of(organisation.pk).order_by("-issued", "id")
        context["reports_paged"] = paged(request, reports)
        context["reports"] = context["reports_paged"].rows
    context["status_labels"] = dict(CertificateStatus.choices)
    return _page(request, "web/portal/certificates.html", context)


@require_http_methods(["GET", "POST"])
@applicant_required
def issue(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    if organisation.kind != OrganisationKind.CERTIFICATION_BODY:
        raise Http404(_("Only certification bodies issue certificates."))
    reports = [
        (r.pk, f"{r.pk} — {local_name(r.laboratory).text}, {r.product_type}, {r.issued.isoformat()}")
        for r in selectors.reports_for(organisation.pk)[:500]
    ]
    inspections = [
        (i.pk, f"{i.pk} — {local_name(i.organisation).text}, {i.product_type}, {i.on.isoformat()}")
        for i in selectors.inspections_for(organisation.pk)[:500]
    ]
    problem, status = "", 200
    if request.method == "POST":
        form = IssueForm(request.POST, reports=reports, inspections=inspections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificate = services.issue_certificate(
                    actor=actor_of(request),
                    user=request.user,
                    issuer=organisation.pk,
                    holder={
                        "en": data["holder_en"],
                        "zh-Hant": data["holder_zh_hant"],
                        "zh-Hans": data["holder_zh_hans"],
                    },
                    product_type=data["product_type"].strip(),
                    issued=data["issued"],
                    expires=data["expires"],
                    test_reports=data["test_reports"],
                    factory_inspections=data["factory_inspections"],
                    channel="web",
                )
            except InvalidInput as error:
                _field_errors(form, error, {"holder": "holder_en"})
                status = 400
            except Refused as error:
                problem, status = _refusal(error), 422
            except CepaError as error:
                problem, status = explain(error), error.status
            else:
                messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.pk})
                return HttpResponseRedirect(reverse("portal:certificate", args=[certificate.pk]))
        else:
            status = 400
    else:
        form = IssueForm(reports=reports, inspections=inspections)
    return _page(
        request,
        "web/portal/certificate_new.html",
        {"org": organisation, "form": form, "problem": problem},
        status,
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    organisation = own_organisation(request)
    day = beijing_today()
    record = selectors.certificate_record(number, day)
    if record is None or record["issuer"] != organisation.pk:
        raise Http404(_("Your organisation has issued no certificate with this number."))
    problem, status = "", 200
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_status(
                    actor=actor_of(request),
                    user=request.user,
                    number=number,
                    action=data["action"],
                    reason=data["reason"],
                    on=data["on"],
                    channel="web",
                )
            except InvalidInput as error:
                _field_errors(form, error, {})
                status = 400
            except Conflict as error:
                problem, status = str(error), 409
            except CepaError as error:
                problem, status = explain(error), error.status
            else:
                messages.success(request, _("The certificate’s status was changed."))
                return HttpResponseRedirect(reverse("portal:certificate", args=[number]))
        else:
            status = 400
    else:
        form = StatusForm()
    return _page(
        request,
        "web/portal/certificate.html",
        {
            "org": organisation,
            "record": record,
            "status_label": dict(CertificateStatus.choices).get(record["status"], record["status"]),
            "form": form,
            "problem": problem,
            "notices": cascade.affected(day, lang=page_language(), number=number),
        },
        status,
    )


def _record_link(
    request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], object], recorded: str
) -> tuple[HttpResponse | None, str, int]:
    """Submits a test report or factory inspection form through `write` (the service): a redirect to the
    certificates page once recorded, else the problem and status to show the form again with."""
    if request.method != "POST":
        return None, "", 200
    if not form.is_valid():
        return None, "", 400
    try:
        write(form.cleaned_data)
    except InvalidInput as error:
        _field_errors(form, error, {})
        return None, "", 400
    except CepaError as error:
        return None, explain(error), error.status
    messages.success(request, recorded % {"id": form.cleaned_data["id"]})
    return HttpResponseRedirect(reverse("portal:certificates")), "", 200


@require_http_methods(["GET", "POST"])
@applicant_required
def record_report(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    if organisation.kind != OrganisationKind.LABORATORY:
        raise Http404(_("Only laboratories record test reports."))
    form = ReportForm(request.POST or None)
    form.fields["certification_body"].choices = [("", _("Choose a body")), *_certification_bodies()]  # type: ignore[attr-defined]
    done, problem, status = _record_link(
        request,
        form,
        lambda data: services.record_test_report(
            actor=actor_of(request),
            user=request.user,
            report_id=data["id"],
            laboratory=organisation.pk,
            product_type=data["product_type"].strip(),
            issued=data["issued"],
            certification_body=data["certification_body"],
            channel="web",
        ),
        _("Test report %(id)s recorded."),
    )
    if done is not None:
        return done
    return _page(
        request,
        "web/portal/chain_record.html",
        {"org": organisation, "form": form, "problem": problem, "title": _("Record a test report")},
        status,
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def record_inspection(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    if organisation.kind not in (OrganisationKind.CERTIFICATION_BODY, OrganisationKind.INSPECTION_BODY):
        raise Http404(_("Only certification and inspection bodies record factory inspections."))
    form = InspectionForm(request.POST or None)
    form.fields["on_behalf_of"].choices = [("", _("Choose a body")), *_certification_bodies()]  # type: ignore[attr-defined]
    done, problem, status = _record_link(
        request,
        form,
        lambda data: services.record_factory_inspection(
            actor=actor_of(request),
            user=request.user,
            inspection_id=data["id"],
            organisation=organisation.pk,
            on_behalf_of=data["on_behalf_of"],
            inspectors=data["inspectors"],
            product_type=data["product_type"].strip(),
            on=data["on"],
            channel="web",
        ),
        _("Factory inspection %(id)s recorded."),
    )
    if done is not None:
        return done
    known = Inspector.objects.filter(affiliations__organisation_id=organisation.pk).distinct().order_by("pk")
    return _page(
        request,
        "web/portal/chain_record.html",
        {
            "org": organisation,
            "form": form,
            "problem": problem,
            "title": _("Record a factory inspection"),
            "inspectors": list(known),
        },
        status,
    )
