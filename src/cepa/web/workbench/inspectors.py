"""The CCAA registrar's inspector register: find an inspector, register one, and on its page renew the
registration, record the annual confirmation, suspend, reinstate or cancel it (cancelling is final and
asks for confirmation), and change its grade. Every change goes through cepa.personnel.services, which
validates it and writes the history; the page shows the rules' refusals and conflicts beside the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.bodies.models import Organisation
from cepa.decisions.terms import CERTIFICATION_BODY
from cepa.errors import CepaError, Conflict, InvalidInput, Refused
from cepa.personnel import selectors
from cepa.personnel.models import Grade, InspectorStatus
from cepa.personnel.services import registration
from cepa.web.paging import paged
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain
from cepa.web.portal.transfers import refusal_messages
from cepa.web.workbench.officer_forms import attach, codes_of

DATE_ERROR = gettext_lazy("Enter a date such as 2026-11-30.")


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def optional_date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=date_widget(), error_messages={"invalid": DATE_ERROR}
    )


STATUS_TAGS = {"active": "ok", "suspended": "warn", "cancelled": "bad"}
EVENTS = {
    "registered": gettext_lazy("Registered"),
    "affiliated": gettext_lazy("Affiliated with a body"),
    "transferred": gettext_lazy("Transferred to another body"),
    "left": gettext_lazy("Left the body"),
    "grade": gettext_lazy("Grade changed"),
    "status": gettext_lazy("Status changed"),
    "renewed": gettext_lazy("Registration renewed"),
    "expired": gettext_lazy("Registration expired"),
}
STATUS_ACTIONS = [
    ("suspended", gettext_lazy("Suspend")),
    ("active", gettext_lazy("Reinstate")),
    ("cancelled", gettext_lazy("Cancel the registration (final)")),
]
DONE = {
    "renew": gettext_lazy("Registration %(id)s renewed."),
    "confirm": gettext_lazy("Annual confirmation of %(id)s recorded."),
    "suspended": gettext_lazy("Registration %(id)s suspended."),
    "active": gettext_lazy("Registration %(id)s reinstated."),
    "cancelled": gettext_lazy("Registration %(id)s cancelled."),
    "grade": gettext_lazy("Grade of %(id)s changed."),
}
REFUSED = gettext_lazy("The rules do not allow this now. Nothing was changed: see the reasons below.")
CONFLICT = gettext_lazy(
    "The registration's status does not allow this, or someone else changed it first. Nothing was "
    "changed: check its status and history below."
)


class RegisterForm(forms.Form):
    id = forms.CharField(
        label=gettext_lazy("Registration number"),
        max_length=100,
        error_messages={"required": gettext_lazy("Enter the CCAA registration number.")},
    )
    name_en = forms.CharField(
        label=gettext_lazy("Name in English"),
        max_length=300,
        error_messages={"required": gettext_lazy("Enter the inspector's name in English.")},
    )
    name_zh_hant = forms.CharField(
        label=gettext_lazy("Name in Traditional Chinese"), max_length=300, required=False
    )
    name_zh_hans = forms.CharField(
        label=gettext_lazy("Name in Simplified Chinese"), max_length=300, required=False
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the grade.")},
    )
    specialties = forms.CharField(
        label=gettext_lazy("Specialties"),
        max_length=2000,
        help_text=gettext_lazy("Product type families (2 digits) or types, separated by spaces or commas."),
        error_messages={"required": gettext_lazy("Enter at least one specialty.")},
    )
    registered = forms.DateField(
        label=gettext_lazy("Registered on"),
        widget=date_widget(),
        error_messages={"required": gettext_lazy("Enter the date of registration."), "invalid": DATE_ERROR},
    )
    organisation = forms.ChoiceField(label=gettext_lazy("Certification body"), required=False, choices=())
    date_of_birth = optional_date(gettext_lazy("Date of birth"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = (
            Organisation.objects.filter(kind=CERTIFICATION_BODY).order_by("id").values_list("id", "name_en")
        )
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None yet")), *[(pk, f"{name} ({pk})") for pk, name in bodies]]


class RenewForm(forms.Form):
    applied_on = optional_date(gettext_lazy("Applied for on (default today)"))


class ConfirmForm(forms.Form):
    confirmed_on = optional_date(gettext_lazy("Confirmed on (default today)"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=STATUS_ACTIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose suspend, reinstate or cancel."),
            "invalid_choice": gettext_lazy("Choose one of the changes listed."),
        },
    )
    on = forms.DateField(
        label=gettext_lazy("From"),
        widget=date_widget(),
        error_messages={
            "required": gettext_lazy("Enter the date the change takes effect."),
            "invalid": DATE_ERROR,
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the reason for the change.")},
    )


class GradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=pgettext_lazy("inspector", "New grade"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the new grade.")},
    )
    on = forms.DateField(
        label=gettext_lazy("From"),
        widget=date_widget(),
        error_messages={
            "required": gettext_lazy("Enter the date the change takes effect."),
            "invalid": DATE_ERROR,
        },
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the change rests on, e.g. the assessment that passed."),
        error_messages={"required": gettext_lazy("Enter the evidence for the new grade.")},
    )


FORMS: dict[str, type[forms.Form]] = {
    "renew": RenewForm,
    "confirm": ConfirmForm,
    "status": StatusForm,
    "grade": GradeForm,
}


def _names(ids: list[str]) -> dict[str, str]:
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name_en"))


@require_GET
@role_required(Role.CCAA_REGISTRAR.value)
def inspector_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    status = status if status in InspectorStatus.values else ""
    # Filtered by today's status and paged in the database; the page's records alone are read whole.
    day = selectors.beijing_today()
    found = selectors.inspectors(request.user, q=query or None, status=status or None, on=day)
    page = paged(request, found.values_list("pk", flat=True))
    shown = selectors.public_records(page.rows, day)
    names = _names([record["organisation"] for record in shown if record["organisation"]])
    rows = [
        (record, STATUS_TAGS.get(record["status"], "neutral"), names.get(record["organisation"] or "", ""))
        for record in shown
    ]
    return render(
        request,
        "web/workbench/inspectors.html",
        {
            "role": permissions.role_of(request.user),
            "section": "inspectors",
            "rows": rows,
            "q": query,
            "status": status,
            "statuses": InspectorStatus.choices,
            "paged": page,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CCAA_REGISTRAR.value)
def inspector_new(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    problem, problems = "", []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspector = registration.register_inspector(
                actor=actor_of(request),
                user=request.user,
                id=data["id"],
                name={
                    "en": data["name_en"],
                    "zh-Hant": data["name_zh_hant"],
                    "zh-Hans": data["name_zh_hans"],
                },
                grade=data["grade"],
                specialties=codes_of(data["specialties"]),
                registered=data["registered"],
                organisation=data["organisation"] or None,
                date_of_birth=data["date_of_birth"],
                channel="web",
            )
        except InvalidInput as error:
            names = {"name.en": "name_en", "name.zh-Hant": "name_zh_hant", "name.zh-Hans": "name_zh_hans"}
            attach(form, error, names)
        except Refused as error:
            problem = str(REFUSED)
            problems = [message for _code, message in refusal_messages(error)]
        except Conflict:
            form.add_error("id", _("An inspector with this registration number exists already."))
        except CepaError as error:
            problem = explain(error)
        else:
            messages.success(request, _("Inspector %(id)s registered.") % {"id": inspector.pk})
            return HttpResponseRedirect(reverse("workbench:inspector", args=[inspector.pk]))
    return render(
        request,
        "web/workbench/inspector_new.html",
        {
            "role": permissions.role_of(request.user),
            "section": "inspectors",
            "form": form,
            "problem": problem,
            "problems": problems,
        },
        status=200 if request.method == "GET" else (400 if form.errors else 422 if problems else 409),
    )


def _record(request: HttpRequest, inspector_id: str) -> dict[str, Any]:
    record = selectors.inspector(request.user, inspector_id) if "\x00" not in inspector_id else None
    if record is None:
        raise Http404(_("No inspector has this registration number."))
    return record


def _label(value: Any) -> str:
    if value in Grade.values:
        return str(Grade(value).label)
    if value in InspectorStatus.values:
        return str(InspectorStatus(value).label)
    return "" if value is None else str(value)


def _history(record: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    entries = []
    for entry in reversed(record["history"]):
        change = [names.get(v, _label(v)) if isinstance(v, str) else "" for v in (entry["from"], entry["to"])]
        entries.append(
            {
                "on": dt.date.fromisoformat(entry["on"]),
                "label": str(EVENTS.get(entry["event"], entry["event"])),
                "change": " → ".join(part for part in change if part),
                "reason": entry.get("reason", ""),
            }
        )
    return entries


def _page(
    request: HttpRequest,
    inspector_id: str,
    *,
    posted: str = "",
    form: forms.Form | None = None,
    confirm: bool = False,
    problem: str = "",
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    record = _record(request, inspector_id)
    bodies = [a["organisation"] for a in record["affiliations"]]
    names = _names(bodies)
    shown = {
        key: (form if key == posted and form is not None else cls(prefix=key)) for key, cls in FORMS.items()
    }
    return render(
        request,
        "web/workbench/inspector.html",
        {
            "role": permissions.role_of(request.user),
            "section": "inspectors",
            "record": record,
            "status_label": _label(record["status"]),
            "grade_label": _label(record["current_grade"]),
            "tag": STATUS_TAGS.get(record["status"], "neutral"),
            "organisation_name": names.get(record["organisation"] or "", ""),
            "confirmations": selectors.confirmations(record["id"]),
            "history": _history(record, names),
            "forms": shown,
            "posted": posted,
            "confirm": confirm,
            "form": form if form is not None and form.errors else None,
            "problem": problem,
            "problems": problems or [],
            "cancelled": record["status"] == InspectorStatus.CANCELLED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CCAA_REGISTRAR.value)
def inspector(request: HttpRequest, inspector_id: str) -> HttpResponse:
    if request.method == "GET":
        return _page(request, inspector_id)
    _record(request, inspector_id)  # 404 before reading the form
    action = request.POST.get("action", "")
    if action not in FORMS:
        return _page(request, inspector_id, problem=_("Choose what to do with the registration."), status=400)
    form = FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _page(request, inspector_id, posted=action, form=form, status=400)
    data = form.cleaned_data
    common: dict[str, Any] = {
        "actor": actor_of(request),
        "user": request.user,
        "inspector_id": inspector_id,
        "channel": "web",
    }
    done = action
    try:
        if action == "renew":
            registration.renew_registration(**common, applied_on=data["applied_on"])
        elif action == "confirm":
            registration.confirm_annual(**common, confirmed_on=data["confirmed_on"])
        elif action == "status":
            done = data["status"]
            if done == InspectorStatus.CANCELLED and request.POST.get("confirmed") != "yes":
                return _page(request, inspector_id, posted=action, form=form, confirm=True)
            registration.change_status(**common, status=data["status"], on=data["on"], reason=data["reason"])
        else:
            registration.change_grade(**common, grade=data["grade"], on=data["on"], evidence=data["evidence"])
    except InvalidInput as error:
        fields = {"applied_on": "applied_on", "confirmed_on": "confirmed_on"}
        attach(form, error, fields)
        return _page(request, inspector_id, posted=action, form=form, status=400)
    except Refused as error:
        problems = [message for _code, message in refusal_messages(error)]
        return _page(
            request,
            inspector_id,
            posted=action,
            form=form,
            problem=str(REFUSED),
            problems=problems,
            status=422,
        )
    except Conflict:
        return _page(request, inspector_id, posted=action, form=form, problem=str(CONFLICT), status=409)
    except CepaError as error:
        return _page(
            request, inspector_id, posted=action, form=form, problem=explain(error), status=error.status
        )
    messages.success(request, str(DONE[done]) % {"id": inspector_id})
    return HttpResponseRedirect(reverse("workbench:inspector", args=[inspector_id]))
