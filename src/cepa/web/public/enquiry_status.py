"""The enquirer follows their enquiry: its reference and the email it was sent with show its status, the
replies CNCA sent and when it changed (a POST form, so the email never sits in a URL)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cepa.enquiries import selectors
from cepa.enquiries.models import EnquiryStatus

TAGS = {EnquiryStatus.NEW: "warn", EnquiryStatus.ANSWERED: "ok", EnquiryStatus.CLOSED: "neutral"}
EVENTS = {
    "received": gettext_lazy("Received by the registry"),
    "reply": gettext_lazy("CNCA replied by email"),
    "close": gettext_lazy("Enquiry closed"),
    "reopen": gettext_lazy("Enquiry reopened"),
}


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference number"),
        max_length=20,
        error_messages={
            "required": gettext_lazy("Enter the reference number you were given."),
            "max_length": gettext_lazy("A reference number looks like ENQ-7KQ2M9XA."),
        },
    )
    email = forms.CharField(
        label=gettext_lazy("Email address"),
        max_length=254,
        error_messages={"required": gettext_lazy("Enter the email address you sent the enquiry with.")},
    )


@require_http_methods(["GET", "POST"])
def enquiry_status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "web/public/enquiry_status.html", {"form": StatusForm()})
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "web/public/enquiry_status.html", {"form": form}, status=400)
    found = selectors.enquiry_for_enquirer(form.cleaned_data["reference"], form.cleaned_data["email"])
    if found is None:
        return render(
            request,
            "web/public/enquiry_status.html",
            {
                "form": form,
                "problem": _(
                    "No enquiry has this reference number and email address. Check both and try again."
                ),
                "problem_anchor": "id_reference",
            },
            status=404,
        )
    record = selectors.enquirer_record(found)
    steps = [{"when": h["when"], "label": EVENTS.get(h["event"], h["event"])} for h in record["history"]][
        ::-1
    ]
    return render(
        request,
        "web/public/enquiry_status.html",
        {
            "form": StatusForm(),
            "enquiry": found,
            "record": record,
            "steps": steps,
            "tag": TAGS[EnquiryStatus(found.status)],
        },
    )
