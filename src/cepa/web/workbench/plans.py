"""CNCA's designation plans: every plan (drafts too) by year, a new draft, and a plan's page where it is
published or closed early with a reason. Both changes are final, so each asks for confirmation first.
Every change goes through cepa.designation.services (which writes the history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.bodies.models import DesignationRole
from cepa.decisions.terms import BEIJING
from cepa.designation import clock, selectors, services
from cepa.designation.models import Plan, PlanStatus
from cepa.errors import CepaError, Conflict, InvalidInput
from cepa.web.paging import paged
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import explain, timeline
from cepa.web.workbench.officer_forms import attach, codes_of

CONFLICT = gettext_lazy("Someone else changed this plan first: it is now %(status)s. Nothing was changed.")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
# The services' limit on each requirements text (cepa.designation.services.base._requirements).
REQUIREMENTS_LENGTH = 20_000
# The plan form's fields for the services' requirements languages, and the other way round.
REQUIREMENT_FIELDS = {
    "en": "requirements_en",
    "zh-Hant": "requirements_zh_hant",
    "zh-Hans": "requirements_zh_hans",
}
# A service's refusal (by its field name) beside the form's field.
FIELD_OF_ERROR = {
    "window.opens": "opens",
    "window.closes": "closes",
    "window": "closes",
    **{f"requirements.{lang}": name for lang, name in REQUIREMENT_FIELDS.items()},
}


class PlanForm(forms.Form):
    id = forms.CharField(
        label=gettext_lazy("Plan id"),
        max_length=100,
        help_text=gettext_lazy("Letters, digits, spaces, dots, underscores or hyphens, e.g. 2027-lab-0701."),
        error_messages={"required": gettext_lazy("Enter the plan's id.")},
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": gettext_lazy("Enter the plan's year."),
            "invalid": gettext_lazy("Enter the year as four digits."),
            "min_value": gettext_lazy("Enter a year between 2000 and 2100."),
            "max_value": gettext_lazy("Enter a year between 2000 and 2100."),
        },
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Bodies designated"),
        choices=DesignationRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose laboratories or certification bodies.")},
    )
    product_types = forms.CharField(
        label=gettext_lazy("Product types"),
        max_length=2000,
        help_text=gettext_lazy("Catalogue codes or keys, separated by spaces or commas."),
        error_messages={"required": gettext_lazy("Enter at least one product type.")},
    )
    opens = forms.DateTimeField(
        label=gettext_lazy("Window opens (Beijing time)"),
        input_formats=MOMENT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter when the window opens."),
            "invalid": gettext_lazy("Enter a date and time such as 2027-03-01 09:00."),
        },
    )
    closes = forms.DateTimeField(
        label=gettext_lazy("Window closes (Beijing time)"),
        input_formats=MOMENT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter when the window closes."),
            "invalid": gettext_lazy("Enter a date and time such as 2027-03-01 09:00."),
        },
    )
    requires_expression_of_interest = forms.BooleanField(
        label=gettext_lazy("Applicants must have expressed interest"), required=False
    )
    requirements_en = forms.CharField(
        label=gettext_lazy("Requirements (English)"),
        required=False,
        max_length=REQUIREMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "en"}),
        help_text=gettext_lazy(
            "What a body must show to apply under the plan. Optional; the public sees it."
        ),
    )
    requirements_zh_hant = forms.CharField(
        label=gettext_lazy("Requirements (Traditional Chinese)"),
        required=False,
        max_length=REQUIREMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "zh-Hant"}),
    )
    requirements_zh_hans = forms.CharField(
        label=gettext_lazy("Requirements (Simplified Chinese)"),
        required=False,
        max_length=REQUIREMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "zh-Hans"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The window must close after it opens."))
        return _english_first(self, data)


def _english_first(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """Like a name, the requirements need English whenever a Chinese text is given: a reader of another
    language sees the English one."""
    chinese = (data.get("requirements_zh_hant") or "").strip() or (
        data.get("requirements_zh_hans") or ""
    ).strip()
    if chinese and not (data.get("requirements_en") or "").strip() and "requirements_en" in form.fields:
        form.add_error(
            "requirements_en", _("Enter the requirements in English too: readers of English see them.")
        )
    return data


class PlanChangeForm(PlanForm):
    """A draft's fields; its id stays. A published plan keeps only its requirements open to change."""

    def __init__(self, *args: Any, texts_only: bool = False, **kwargs: Any) -> None:
        self.texts_only = texts_only
        super().__init__(*args, **kwargs)
        kept = set(REQUIREMENT_FIELDS.values()) if texts_only else set(self.fields) - {"id"}
        for name in set(self.fields) - kept:
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        if self.texts_only:
            return _english_first(self, forms.Form.clean(self) or {})
        return super().clean()


def _requirements(data: dict[str, Any]) -> dict[str, str]:
    """The form's requirement texts in the services' shape ({"en": ..., "zh-Hant": ..., "zh-Hans": ...})."""
    return {lang: data[name].strip() for lang, name in REQUIREMENT_FIELDS.items()}


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the window closed early?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Enter the reason for closing the plan early.")},
    )


def _beijing(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).replace(tzinfo=BEIJING).isoformat()


@require_GET
@role_required(Role.CNCA_OFFICER.value)
def plan_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = year if year.isdigit() and len(year) == 4 else ""
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    found = selectors.plans(request.user, year=year or None, status=status or None).order_by("-year", "id")
    page = paged(request, found)
    return render(
        request,
        "web/workbench/plans.html",
        {
            "role": permissions.role_of(request.user),
            "section": "plans",
            "plans": [(plan, labels.tag(plan.status)) for plan in page.rows],
            "paged": page,
            "year": year,
            "status": status,
            "statuses": PlanStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"year": clock.today().year + 1})
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                actor=actor_of(request),
                user=request.user,
                id=data["id"],
                year=data["year"],
                role=data["role"],
                product_types=codes_of(data["product_types"]),
                window={"opens": _beijing(data["opens"]), "closes": _beijing(data["closes"])},
                requires_expression_of_interest=data["requires_expression_of_interest"],
                requirements=_requirements(data),
                channel="web",
            )
        except InvalidInput as error:
            attach(form, error, FIELD_OF_ERROR)
        except Conflict:
            form.add_error("id", _("A plan with this id already exists. Choose another id."))
        except CepaError as error:
            problem = explain(error)
        else:
            messages.success(
                request, _("Draft plan %(id)s saved. It is not public until published.") % {"id": plan.pk}
            )
            return HttpResponseRedirect(reverse("workbench:plan", args=[plan.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/workbench/plan_new.html",
        {"role": permissions.role_of(request.user), "section": "plans", "form": form, "problem": problem},
        status=status,
    )


def _drafted(plan: Plan) -> dict[str, Any]:
    """A draft's fields as its change form shows them (times in Beijing)."""
    return {
        "year": plan.year,
        "role": plan.role,
        "product_types": " ".join(plan.product_types),
        "opens": plan.opens.astimezone(BEIJING).replace(tzinfo=None),
        "closes": plan.closes.astimezone(BEIJING).replace(tzinfo=None),
        "requires_expression_of_interest": plan.requires_expression_of_interest,
        **{name: getattr(plan, name) for name in REQUIREMENT_FIELDS.values()},
    }


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    found = _find(request, plan_id)
    draft = found.status == PlanStatus.DRAFT
    form = PlanChangeForm(request.POST or None, initial=_drafted(found), texts_only=not draft)
    problem, status = "", 200
    if found.status not in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        problem, status = _("Only a draft or a published plan can be changed here. Nothing was changed."), 409
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {"requirements": _requirements(data)}
        if draft:
            changes.update(
                year=data["year"],
                role=data["role"],
                product_types=codes_of(data["product_types"]),
                window={"opens": _beijing(data["opens"]), "closes": _beijing(data["closes"])},
                requires_expression_of_interest=data["requires_expression_of_interest"],
            )
        try:
            services.update_plan(
                actor=actor_of(request), user=request.user, plan_id=found.pk, changes=changes, channel="web"
            )
        except InvalidInput as error:
            attach(form, error, FIELD_OF_ERROR)
        except Conflict:
            current = _find(request, plan_id)
            problem = str(CONFLICT) % {"status": current.get_status_display()}
            status = 409
        except CepaError as error:
            problem, status = explain(error), error.status
        else:
            done = _("Draft plan %(id)s changed.") if draft else _("The requirements of plan %(id)s changed.")
            messages.success(request, done % {"id": found.pk})
            return HttpResponseRedirect(reverse("workbench:plan", args=[found.pk]))
    if request.method == "POST" and status == 200:
        status = 400
    return render(
        request,
        "web/workbench/plan_edit.html",
        {
            "role": permissions.role_of(request.user),
            "section": "plans",
            "plan": found,
            "form": form,
            "problem": problem,
            "may_change": found.status in (PlanStatus.DRAFT, PlanStatus.PUBLISHED),
            "draft": draft,
        },
        status=status,
    )


def _find(request: HttpRequest, plan_id: str) -> Plan:
    plan = selectors.plans(request.user).filter(pk=plan_id).first() if "\x00" not in plan_id else None
    if plan is None:
        raise Http404(_("No plan has this id."))
    return plan


def _page(
    request: HttpRequest,
    plan: Plan,
    *,
    close_form: CloseForm | None = None,
    confirm: str = "",
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/workbench/plan.html",
        {
            "role": permissions.role_of(request.user),
            "section": "plans",
            "plan": plan,
            "tag": labels.tag(plan.status),
            "close_form": close_form or CloseForm(),
            "confirm": confirm,
            "problem": problem,
            "form": close_form if close_form is not None and close_form.errors else None,
            "timeline": timeline(plan.events.all(), PlanStatus),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def plan(request: HttpRequest, plan_id: str) -> HttpResponse:
    found = _find(request, plan_id)
    if request.method == "GET":
        return _page(request, found)
    action = request.POST.get("action", "")
    confirmed = request.POST.get("confirmed") == "yes"
    close_form: CloseForm | None = None
    try:
        if action == "publish":
            if not confirmed:
                return _page(request, found, confirm="publish")
            services.publish_plan(actor=actor_of(request), user=request.user, plan_id=found.pk, channel="web")
            done = _("Plan %(id)s published: the public and the decisions see it now.")
        elif action == "close":
            close_form = CloseForm(request.POST)
            if not close_form.is_valid():
                return _page(request, found, close_form=close_form, status=400)
            if not confirmed:
                return _page(request, found, close_form=close_form, confirm="close")
            services.close_plan(
                actor=actor_of(request),
                user=request.user,
                plan_id=found.pk,
                reason=close_form.cleaned_data["reason"],
                channel="web",
            )
            done = _("Plan %(id)s closed early.")
        else:
            return _page(request, found, problem=_("Choose what to do with the plan."), status=400)
    except Conflict:
        current = _find(request, plan_id)
        problem = str(CONFLICT) % {"status": current.get_status_display()}
        return _page(request, current, close_form=close_form, problem=problem, status=409)
    except CepaError as error:
        return _page(request, found, close_form=close_form, problem=explain(error), status=error.status)
    messages.success(request, done % {"id": found.pk})
    return HttpResponseRedirect(reverse("workbench:plan", args=[found.pk]))
