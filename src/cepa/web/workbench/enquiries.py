"""CNCA's enquiries queue: by sector, oldest first; an enquiry with its message, the replies sent and its
history; reply (emailed in the enquirer's language), close and reopen. Every change goes through
cepa.enquiries.services."""

from __future__ import annotations

from dataclasses import dataclass
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
from cepa.catalogue.models import Sector
from cepa.designation import clock
from cepa.enquiries import selectors, services
from cepa.enquiries.models import Enquiry, EnquiryStatus
from cepa.errors import CepaError, Conflict
from cepa.web.paging import paged
from cepa.web.portal.access import actor_of, role_required
from cepa.web.portal.common import TimelineEntry
from cepa.web.public import actors
from cepa.web.workbench.queues import age_in_days

TAGS = {EnquiryStatus.NEW: "warn", EnquiryStatus.ANSWERED: "ok", EnquiryStatus.CLOSED: "neutral"}
LANGUAGE_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
EVENTS = {
    "received": gettext_lazy("Enquiry received"),
    "reply": gettext_lazy("Reply sent by email"),
    "close": gettext_lazy("Enquiry closed"),
    "reopen": gettext_lazy("Enquiry reopened"),
}
SHOWN = {
    "open": gettext_lazy("Open (new and answered)"),
    "closed": pgettext_lazy("status", "Closed"),
    "all": gettext_lazy("All"),
}
CONFLICT = gettext_lazy(
    "Someone else acted on this enquiry after you opened it: it is now %(status)s. Nothing was changed."
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=services.MAX_REPLY,
        widget=forms.Textarea,
        error_messages={
            "required": gettext_lazy("Write the reply the enquirer will receive."),
            "max_length": gettext_lazy("The reply must be 10,000 characters or fewer."),
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.MAX_REASON,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": gettext_lazy("The reason must be 2,000 characters or fewer.")},
    )


class ReopenForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = gettext_lazy("Say why the enquiry is reopened.")


@dataclass
class QueueRow:
    enquiry: Enquiry
    age: int
    tag: str


def who_in_words(who: str, words: dict[str, str], channel: str) -> str:
    if who == "public":
        return _("The enquirer")
    return actors.with_channel(words[who], channel)


def history(enquiry: Enquiry) -> list[TimelineEntry]:
    steps = list(enquiry.transitions.all())
    words = actors.describe(t.who for t in steps)
    return [
        TimelineEntry(
            t.at,
            who_in_words(t.who, words, t.channel),
            f"{EVENTS.get(t.event, t.event)} ({t.get_to_status_display()})",
            t.reason,
        )
        for t in steps
    ][::-1]


@require_GET
@role_required(Role.CNCA_OFFICER.value)
def queue(request: HttpRequest) -> HttpResponse:
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    shown = request.GET.get("show", "open")
    shown = shown if shown in SHOWN else "open"
    status = EnquiryStatus.CLOSED if shown == "closed" else None
    found = selectors.enquiries(request.user, queue=sector or None, status=status, open_only=shown == "open")
    today = clock.today()
    page = paged(request, found)
    rows = [QueueRow(e, age_in_days(e.submitted_at, today), TAGS[EnquiryStatus(e.status)]) for e in page.rows]
    return render(
        request,
        "web/workbench/enquiries.html",
        {
            "role": permissions.role_of(request.user),
            "section": "enquiries",
            "rows": rows,
            "paged": page,
            "sectors": Sector.choices,
            "sector": sector,
            "shown": shown,
            "shown_choices": list(SHOWN.items()),
            "sector_label": dict(Sector.choices).get(sector, ""),
        },
    )


def _find(request: HttpRequest, reference: str) -> Enquiry:
    found = (
        selectors.enquiries(request.user)
        .filter(reference=reference)
        .prefetch_related("replies", "transitions")
        .first()
    )
    if found is None:
        raise Http404(_("No enquiry has this reference."))
    return found


def _page(
    request: HttpRequest,
    enquiry: Enquiry,
    *,
    reply_form: ReplyForm | None = None,
    reason_form: ReasonForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    is_open = enquiry.status in selectors.OPEN
    posted = next((f for f in (reply_form, reason_form) if f is not None and f.is_bound and f.errors), None)
    return render(
        request,
        "web/workbench/enquiry.html",
        {
            "role": permissions.role_of(request.user),
            "section": "enquiries",
            "enquiry": enquiry,
            "tag": TAGS[EnquiryStatus(enquiry.status)],
            "age": age_in_days(enquiry.submitted_at, clock.today()),
            "language_name": LANGUAGE_NAMES.get(enquiry.language, enquiry.language),
            "replies": list(enquiry.replies.all()),
            "timeline": history(enquiry),
            "is_open": is_open,
            "reply_form": reply_form or ReplyForm(),
            "reason_form": reason_form or (ReasonForm() if is_open else ReopenForm()),
            "problem": problem,
            "form": posted,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CNCA_OFFICER.value)
def enquiry(request: HttpRequest, reference: str) -> HttpResponse:
    found = _find(request, reference)
    if request.method == "GET":
        return _page(request, found)
    action = request.POST.get("action", "")
    reply_form: ReplyForm | None = None
    reason_form: ReasonForm | None = None
    try:
        if action == "reply":
            reply_form = ReplyForm(request.POST)
            if not reply_form.is_valid():
                return _page(request, found, reply_form=reply_form, status=400)
            services.reply_to_enquiry(
                actor=actor_of(request),
                user=request.user,
                reference=reference,
                body=reply_form.cleaned_data["body"],
                channel="web",
            )
            done = _("Reply sent to %(email)s.") % {"email": found.email}
        elif action in ("close", "reopen"):
            reason_form = ReasonForm(request.POST) if action == "close" else ReopenForm(request.POST)
            if not reason_form.is_valid():
                return _page(request, found, reason_form=reason_form, status=400)
            act = services.close_enquiry if action == "close" else services.reopen_enquiry
            act(
                actor=actor_of(request),
                user=request.user,
                reference=reference,
                reason=reason_form.cleaned_data["reason"],
                channel="web",
            )
            done = (
                _("Enquiry %(reference)s closed.")
                if action == "close"
                else _("Enquiry %(reference)s reopened.")
            )
            done = done % {"reference": reference}
        else:
            return _page(request, found, problem=_("Choose what to do with the enquiry."), status=400)
    except Conflict:
        current = _find(request, reference)
        return _page(
            request,
            current,
            reply_form=reply_form,
            status=409,
            problem=str(CONFLICT) % {"status": current.get_status_display()},
        )
    except CepaError as error:
        return _page(
            request,
            found,
            reply_form=reply_form,
            reason_form=reason_form,
            status=error.status,
            problem=error.message,
        )
    messages.success(request, done)
    return HttpResponseRedirect(reverse("workbench:enquiry", args=[reference]))
