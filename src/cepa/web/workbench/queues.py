"""What waits for an officer, oldest first, each with its age in days (Beijing dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from cepa.decisions.terms import BEIJING
from cepa.designation import clock, selectors
from cepa.designation.models import ApplicationStatus, Objection, ObjectionStatus
from cepa.filings import selectors as filings
from cepa.filings.models import FilingStatus
from cepa.personnel import selectors as personnel
from cepa.personnel.models import TransferStatus
from cepa.web.portal import labels


@dataclass
class Row:
    url: str
    label: str
    organisation: Any
    since: dt.datetime | None
    age: int
    status_label: str
    tag: str


@dataclass
class Queue:
    key: str
    title: str
    since_label: str
    empty: str
    rows: list[Row] = field(default_factory=list)
    paged: Any = None  # the page of rows shown (cepa.web.paging.Paged), set by the view


def age_in_days(since: dt.datetime | dt.date | None, today: dt.date) -> int:
    if since is None:
        return 0
    day = since.astimezone(BEIJING).date() if isinstance(since, dt.datetime) else since
    return max(0, (today - day).days)


def application_queue(user: Any, status: str, key: str, title: str, empty: str, today: dt.date) -> Queue:
    queue = Queue(key, title, _("Submitted"), empty)
    for application in (
        selectors.applications(user, status=status).select_related("organisation").order_by("submitted", "id")
    ):
        queue.rows.append(
            Row(
                reverse("workbench:application", args=[application.pk]),
                _("Application %(id)s") % {"id": application.pk},
                application.organisation,
                application.submitted,
                age_in_days(application.submitted, today),
                application.get_status_display(),
                labels.tag(application.status),
            )
        )
    return queue


def objection_queue(user: Any, today: dt.date) -> Queue:
    queue = Queue(
        "objections", _("Objections to decide"), _("Lodged"), _("No objection is waiting for a decision.")
    )
    for objection in (
        Objection.objects.restrict(user, "view")
        .filter(status=ObjectionStatus.PENDING)
        .select_related("application__organisation")
        .order_by("lodged", "id")
    ):
        queue.rows.append(
            Row(
                reverse("workbench:objection", args=[objection.pk]),
                _("Objection %(id)s to application %(application)s")
                % {"id": objection.pk, "application": objection.application_id},
                objection.application.organisation,
                objection.lodged,
                age_in_days(objection.lodged, today),
                objection.get_status_display(),
                labels.tag(objection.status),
            )
        )
    return queue


def filing_queue(user: Any, today: dt.date) -> Queue:
    queue = Queue(
        "filings", _("Agreement filings to review"), _("Filed"), _("No agreement filing is waiting.")
    )
    for filing in (
        filings.filings(user, status=FilingStatus.FILED).select_related("party").order_by("filed_at", "id")
    ):
        queue.rows.append(
            Row(
                reverse("workbench:filing", args=[filing.pk]),
                filing.pk,
                filing.party,
                filing.filed_at,
                age_in_days(filing.filed_at, today),
                filing.get_status_display(),
                labels.tag(filing.status),
            )
        )
    return queue


def cnca_queues(user: Any) -> list[Queue]:
    today = clock.today()
    return [
        application_queue(
            user,
            ApplicationStatus.SUBMITTED,
            "submitted",
            _("Applications to start reviewing"),
            _("No submitted application is waiting."),
            today,
        ),
        application_queue(
            user,
            ApplicationStatus.UNDER_REVIEW,
            "under-review",
            _("Applications under review"),
            _("No application is under review."),
            today,
        ),
        objection_queue(user, today),
        filing_queue(user, today),
    ]


def transfer_queue(user: Any) -> Queue:
    today = clock.today()
    queue = Queue(
        "transfers", _("Transfer requests to decide"), _("Requested"), _("No transfer request is waiting.")
    )
    for transfer in (
        personnel.transfers(user, status=TransferStatus.REQUESTED)
        .select_related("to_organisation")
        .order_by("requested_at", "id")
    ):
        queue.rows.append(
            Row(
                reverse("workbench:transfer", args=[transfer.pk]),
                _("Transfer %(id)s of %(inspector)s")
                % {"id": transfer.pk, "inspector": transfer.inspector_id},
                transfer.to_organisation,
                transfer.requested_at,
                age_in_days(transfer.requested_at, today),
                transfer.get_status_display(),
                labels.tag(transfer.status),
            )
        )
    return queue
