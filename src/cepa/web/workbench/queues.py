"""What waits for an officer, oldest first, each with its age in days (Beijing dates).

A queue is a queryset ordered down to the id and a way to show one of its records: the view pages the
queryset in the database (cepa.web.paging) and builds rows for that page only, so the home page costs
the same number of queries whatever the number of records waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cepa.decisions.terms import BEIJING
from cepa.designation import clock, selectors
from cepa.designation.models import ApplicationStatus, Objection, ObjectionStatus
from cepa.filings import selectors as filings
from cepa.filings.models import FilingStatus
from cepa.personnel import selectors as personnel
from cepa.personnel.models import TransferStatus
from cepa.web.paging import paged
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
    records: QuerySet[Any]  # ordered down to the id, so no record moves between pages
    row: Callable[[Any], Row]
    rows: list[Row] = field(default_factory=list)  # the page's, set by `page`
    paged: Any = None  # the page shown (cepa.web.paging.Paged), set by `page`

    def page(self, request: HttpRequest) -> None:
        """The page the request asks for, by the queue's own parameter (several queues share a page):
        two queries (the count, the page's records), then rows for those records alone."""
        self.paged = paged(request, self.records, f"{self.key}-page")
        self.rows = [self.row(record) for record in self.paged.rows]


def age_in_days(since: dt.datetime | dt.date | None, today: dt.date) -> int:
    if since is None:
        return 0
    day = since.astimezone(BEIJING).date() if isinstance(since, dt.datetime) else since
    return max(0, (today - day).days)


def application_queue(user: Any, status: str, key: str, title: str, empty: str, today: dt.date) -> Queue:
    def row(application: Any) -> Row:
        return Row(
            reverse("workbench:application", args=[application.pk]),
            _("Application %(id)s") % {"id": application.pk},
            application.organisation,
            application.submitted,
            age_in_days(application.submitted, today),
            application.get_status_display(),
            labels.tag(application.status),
        )

    records = (
        selectors.applications(user, status=status).select_related("organisation").order_by("submitted", "id")
    )
    return Queue(key, title, _("Submitted"), empty, records, row)


def objection_queue(user: Any, today: dt.date) -> Queue:
    def row(objection: Any) -> Row:
        return Row(
            reverse("workbench:objection", args=[objection.pk]),
            _("Objection %(id)s to application %(application)s")
            % {"id": objection.pk, "application": objection.application_id},
            objection.application.organisation,
            objection.lodged,
            age_in_days(objection.lodged, today),
            objection.get_status_display(),
            labels.tag(objection.status),
        )

    records = (
        Objection.objects.restrict(user, "view")
        .filter(status=ObjectionStatus.PENDING)
        .select_related("application__organisation")
        .order_by("lodged", "id")
    )
    return Queue(
        "objections",
        _("Objections to decide"),
        _("Lodged"),
        _("No objection is waiting for a decision."),
        records,
        row,
    )


def filing_queue(user: Any, today: dt.date) -> Queue:
    def row(filing: Any) -> Row:
        return Row(
            reverse("workbench:filing", args=[filing.pk]),
            filing.pk,
            filing.party,
            filing.filed_at,
            age_in_days(filing.filed_at, today),
            filing.get_status_display(),
            labels.tag(filing.status),
        )

    records = (
        filings.filings(user, status=FilingStatus.FILED).select_related("party").order_by("filed_at", "id")
    )
    return Queue(
        "filings",
        _("Agreement filings to review"),
        _("Filed"),
        _("No agreement filing is waiting."),
        records,
        row,
    )


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

    def row(transfer: Any) -> Row:
        return Row(
            reverse("workbench:transfer", args=[transfer.pk]),
            _("Transfer %(id)s of %(inspector)s") % {"id": transfer.pk, "inspector": transfer.inspector_id},
            transfer.to_organisation,
            transfer.requested_at,
            age_in_days(transfer.requested_at, today),
            transfer.get_status_display(),
            labels.tag(transfer.status),
        )

    records = (
        personnel.transfers(user, status=TransferStatus.REQUESTED)
        .select_related("to_organisation")
        .order_by("requested_at", "id")
    )
    return Queue(
        "transfers",
        _("Transfer requests to decide"),
        _("Requested"),
        _("No transfer request is waiting."),
        records,
        row,
    )
