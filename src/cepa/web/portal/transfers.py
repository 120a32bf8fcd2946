"""Institution transfers ("change institution"): a certification body asks CCAA to move a registered
inspector to it from a date; the registrar approves or refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cepa.errors import CepaError, NotFound, Refused
from cepa.personnel import selectors
from cepa.personnel.models import Transfer, TransferStatus
from cepa.personnel.services import transfers as personnel
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import TimelineEntry, explain, own_organisation, refusal, status_change_label
from cepa.web.portal.forms import TransferForm
from cepa.web.public.text import page_language
from cepa.web.templatetags.public import day

# Which field of the form each refusal is about (the rest are about the request as a whole).
REFUSAL_FIELDS = {
    "ALREADY_AFFILIATED": "inspector",
    "TRANSFER_PENDING": "inspector",
    "REGISTRATION_CANCELLED": "inspector",
    "REGISTRATION_NOT_VALID": "effective",
    "LATER_AFFILIATION": "effective",
    "AFFILIATION_STARTS_ON_EFFECTIVE": "effective",
}


def refusal_messages(error: Refused) -> list[tuple[str, str]]:
    """(code, message in the page's language) for each rule that refused."""
    lang = page_language()
    return [(reason.code, reason.message(lang)) for reason in error.reasons]


def transfer_timeline(transfer: Transfer) -> list[TimelineEntry]:
    entries = []
    for step in selectors.transfer_history([transfer.pk])[transfer.pk]:
        at = dt.datetime.fromisoformat(step["when"])
        label = status_change_label(TransferStatus, step["from"], step["to"])
        entries.append(TimelineEntry(at, step["who"].removeprefix("user:"), label, step["reason"] or ""))
    return entries[::-1]  # the change log gives them oldest first


def next_action(transfer: Transfer, own: str) -> str:
    if transfer.status == TransferStatus.REQUESTED:
        return _("Nothing to do now: the CCAA registrar will decide the request.")
    if transfer.status == TransferStatus.APPROVED:
        if transfer.to_organisation_id == own:
            return _("Approved: the inspector works for your organisation from %(date)s.") % {
                "date": day(transfer.effective)
            }
        return _("Approved: the inspector left your organisation on %(date)s.") % {
            "date": day(transfer.effective - dt.timedelta(days=1))
        }
    return _("Refused. You may make a new request once the reason is dealt with.")


@require_GET
@applicant_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    rows = [
        {
            "transfer": transfer,
            "status": transfer.get_status_display(),
            "tag": labels.tag(transfer.status),
            "next": next_action(transfer, organisation.pk),
        }
        for transfer in selectors.transfers(request.user, organisation=organisation.pk)
        .select_related("inspector", "from_organisation", "to_organisation")
        .order_by("-requested_at", "-id")
    ]
    return render(
        request,
        "web/portal/transfers.html",
        {
            "org": organisation,
            "section": "transfers",
            "rows": rows,
            "may_request": organisation.kind == "certification_body",
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def new_transfer(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    problem = ""
    reasons: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        form = TransferForm(request.POST)
        refused = refusal(
            lambda: personnel.check_may_request_transfer(user=request.user, to_organisation=organisation.pk)
        )
        if refused is not None:
            problem, status = explain(refused), refused.status
        elif form.is_valid():
            data = form.cleaned_data
            try:
                transfer = personnel.request_transfer(
                    actor=actor_of(request),
                    user=request.user,
                    inspector_id=data["inspector"],
                    to_organisation=organisation.pk,
                    effective=data["effective"],
                    channel="web",
                )
            except Refused as error:
                status = 422
                for code, message in refusal_messages(error):
                    field = REFUSAL_FIELDS.get(code)
                    if field:
                        form.add_error(field, message)
                    else:
                        reasons.append((code, message))
            except NotFound:
                status = 400
                form.add_error("inspector", _("No inspector has this registration number."))
            except CepaError as error:
                problem, status = explain(error), error.status
            else:
                messages.success(request, _("Transfer request %(id)s sent to CCAA.") % {"id": transfer.pk})
                return HttpResponseRedirect(reverse("portal:transfer", args=[transfer.pk]))
        else:
            status = 400
    else:
        form = TransferForm()
    return render(
        request,
        "web/portal/transfer_new.html",
        {
            "org": organisation,
            "section": "transfers",
            "form": form,
            "problem": problem,
            "problems": [message for _code, message in reasons],
        },
        status=status,
    )


def transfer_context(transfer: Transfer) -> dict[str, Any]:
    """What both the portal's and the workbench's transfer pages show."""
    inspector = selectors.public_records([transfer.inspector_id])
    return {
        "transfer": transfer,
        "inspector": inspector[0] if inspector else None,
        "status_label": transfer.get_status_display(),
        "tag": labels.tag(transfer.status),
        "timeline": transfer_timeline(transfer),
    }


@require_GET
@applicant_required
def transfer(request: HttpRequest, transfer_id: int) -> HttpResponse:
    organisation = own_organisation(request)
    found = (
        selectors.transfers(request.user, organisation=organisation.pk)
        .select_related("inspector", "from_organisation", "to_organisation")
        .filter(pk=transfer_id)
        .first()
    )
    if found is None:
        raise Http404(_("Your organisation has no transfer with this number."))
    return render(
        request,
        "web/portal/transfer.html",
        {
            "org": organisation,
            "section": "transfers",
            "next": next_action(found, organisation.pk),
            **transfer_context(found),
        },
    )
