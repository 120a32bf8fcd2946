"""The applicant portal: one organisation's records and its requests to the authorities.

Views parse and authorise; reads come from selectors and writes from the services (which also check
the rules). Every page shows what is asked of the applicant next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cepa.bodies.models import Organisation
from cepa.designation import selectors as designation
from cepa.designation.models import ApplicationDocument, ApplicationStatus
from cepa.filings import selectors as filings
from cepa.filings.models import FilingStatus
from cepa.personnel import selectors as personnel
from cepa.personnel.models import TransferStatus
from cepa.web.portal import labels
from cepa.web.portal.access import applicant_required
from cepa.web.portal.common import own_organisation
from cepa.web.portal.interest import open_year
from cepa.web.public import bodies as body_pages
from cepa.web.public.text import beijing_today


@dataclass
class Task:
    url: str
    title: str
    hint: str
    next: str = ""
    status: str = ""
    tag: str = ""


def _counts(queryset: Any) -> Counter[str]:
    return Counter({row["status"]: row["n"] for row in queryset.values("status").annotate(n=Count("pk"))})


def _action_needed(task: Task, message: str) -> None:
    task.next, task.status, task.tag = message, _("Action needed"), "warn"


def _waiting(task: Task, message: str) -> None:
    task.next, task.status, task.tag = message, _("Waiting for the authority"), "neutral"


def _tasks(request: HttpRequest, organisation: Organisation) -> list[Task]:
    own = organisation.pk
    mainland = organisation.seat == "MAINLAND"
    tasks = [
        Task(
            reverse("portal:records"),
            _("Records"),
            _("Accreditations, designations, cooperation agreements and inspectors on the registry."),
        )
    ]
    if mainland:
        year = open_year()
        tasks.append(
            Task(
                reverse("portal:expressions"),
                _("Expressions of interest"),
                _("Tell CNCA before 1 April which product types you want designation plans to cover."),
                _("Expressions of interest for %(year)s are open until 31 March %(year)s.") % {"year": year},
            )
        )
        counts = _counts(designation.applications(request.user, organisation=own))
        task = Task(
            reverse("portal:applications"),
            _("Designation applications"),
            _("Apply to CNCA to be designated, follow the review and the objection period."),
        )
        if counts[ApplicationStatus.INFORMATION_REQUESTED]:
            _action_needed(task, _("CNCA asked for more information on an application."))
        elif counts[ApplicationStatus.DRAFT]:
            n = counts[ApplicationStatus.DRAFT]
            _action_needed(
                task,
                _("Drafts to complete and submit: %(n)s.") % {"n": n},
            )
        elif counts[ApplicationStatus.SUBMITTED] or counts[ApplicationStatus.UNDER_REVIEW]:
            _waiting(task, _("CNCA is dealing with your applications."))
        tasks.append(task)
    filing_counts = _counts(filings.filings(request.user, party=own))
    task = Task(
        reverse("portal:filings"),
        _("Agreement filings"),
        _("File the cooperation agreements your organisation signs with Mainland certification bodies."),
    )
    if filing_counts[FilingStatus.RETURNED]:
        n = filing_counts[FilingStatus.RETURNED]
        _action_needed(
            task,
            _("Filings returned to correct: %(n)s.") % {"n": n},
        )
    elif filing_counts[FilingStatus.FILED]:
        _waiting(task, _("CNCA is reviewing your filings."))
    tasks.append(task)
    if organisation.kind == "certification_body":
        transfer_counts = _counts(personnel.transfers(request.user, organisation=own))
        task = Task(
            reverse("portal:transfers"),
            _("Inspector transfers"),
            _("Ask CCAA to move a registered inspector to your organisation."),
        )
        if transfer_counts[TransferStatus.REQUESTED]:
            _waiting(task, _("The CCAA registrar is deciding your requests."))
        tasks.append(task)
    if mainland and ApplicationDocument.objects.restrict(request.user, "view").exists():
        tasks.append(
            Task(
                reverse("portal:documents"),
                _("Supporting documents"),
                _("Every document your organisation has added to its applications."),
            )
        )
    return tasks


@require_GET
@applicant_required
def home(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    return render(
        request,
        "web/portal/home.html",
        {"org": organisation, "section": "home", "tasks": _tasks(request, organisation)},
    )


@require_GET
@applicant_required
def records(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    day = beijing_today()
    page = body_pages.body_page(organisation.pk, day)
    context: dict[str, Any] = {
        "org": organisation,
        "page": page,
        "day": day,
        "section": "records",
    }
    return render(request, "web/portal/records.html", context)


@require_GET
@applicant_required
def documents(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    rows = [
        (
            document,
            document.application.get_status_display(),
            labels.tag(document.application.status),
        )
        for document in ApplicationDocument.objects.restrict(request.user, "view")
        .filter(application__organisation_id=organisation.pk)
        .select_related("application")
        .order_by("-uploaded", "-id")
    ]
    return render(
        request, "web/portal/documents.html", {"org": organisation, "section": "documents", "rows": rows}
    )
