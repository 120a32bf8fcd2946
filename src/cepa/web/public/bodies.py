"""What the body page shows: the organisation, its records with their status on a date, the inspectors
affiliated with it, and the public history of all of these. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from cepa.bodies import selectors as bodies
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.certificates import selectors as certificate_selectors
from cepa.decisions import selectors as decisions
from cepa.decisions.selectors import ScopeStatus
from cepa.history.diff import field_changes
from cepa.history.models import Change
from cepa.history.selectors import PUBLIC_RECORD_TYPES
from cepa.personnel.models import Affiliation
from cepa.personnel.selectors import public_records
from cepa.web.public import actors

HISTORY_LIMIT = 100


@dataclass
class AccreditationView:
    record: Accreditation
    scope: list[ScopeStatus]
    events: list[Any]

    @property
    def summary(self) -> str:
        """active when every type in scope is active, withdrawn when all are withdrawn, else partial."""
        statuses = {s.status for s in self.scope}
        if statuses <= {"active"}:
            return "active"
        if statuses == {"withdrawn"}:
            return "withdrawn"
        if statuses == {"suspended"}:
            return "suspended"
        return "partial"


@dataclass
class AgreementView:
    record: Agreement
    partner: Organisation
    as_party: bool
    codes: list[str]
    in_force: bool


@dataclass
class HistoryEntry:
    change: Change
    fields: list[str]
    who: str = ""  # in words: "CNCA officer, on the website"


@dataclass
class BodyPage:
    organisation: Organisation
    day: dt.date
    accreditations: list[AccreditationView] = field(default_factory=list)
    designations: list[tuple[Designation, list[str], bool]] = field(default_factory=list)
    agreements: list[AgreementView] = field(default_factory=list)
    inspectors: list[dict[str, Any]] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    history_truncated: bool = False
    certificates: int = 0  # current certificates resting on its work (issued, tested, inspected)


def _accreditation_views(organisation_id: str, day: dt.date) -> list[AccreditationView]:
    records = list(
        bodies.accreditations(AnonymousUser(), organisation=organisation_id).prefetch_related(
            "scope_entries", "events"
        )
    )
    statuses = decisions.accreditation_statuses(records, day)
    return [AccreditationView(record, statuses[record.id], list(record.events.all())) for record in records]


def _history(organisation_id: str, records: dict[str, list[str]]) -> tuple[list[HistoryEntry], bool]:
    where = Q(record_type="organisations", record_id=organisation_id)
    for record_type, ids in records.items():
        if ids and record_type in PUBLIC_RECORD_TYPES:
            where |= Q(record_type=record_type, record_id__in=ids)
    changes = list(
        Change.objects.filter(where).select_related("changeset").order_by("-changeset__at", "-id")[
            : HISTORY_LIMIT + 1
        ]
    )
    words = actors.describe(change.changeset.actor for change in changes[:HISTORY_LIMIT])
    entries = [
        HistoryEntry(
            change,
            [item.field for item in field_changes(change.before, change.after)],
            actors.with_channel(words[change.changeset.actor], change.changeset.channel),
        )
        for change in changes[:HISTORY_LIMIT]
    ]
    return entries, len(changes) > HISTORY_LIMIT


def body_page(organisation_id: str, day: dt.date) -> BodyPage | None:
    anonymous = AnonymousUser()
    organisation = bodies.organisations(anonymous).filter(pk=organisation_id).first()
    if organisation is None:
        return None
    page = BodyPage(organisation, day)
    page.accreditations = _accreditation_views(organisation_id, day)
    page.certificates = certificate_selectors.resting_on(organisation_id, day)
    for designation in bodies.designations(anonymous, organisation=organisation_id).prefetch_related(
        "scope_entries"
    ):
        codes = sorted(entry.product_type for entry in designation.scope_entries.all())
        page.designations.append(
            (designation, codes, decisions.designation_in_force(designation, day))
        )
    agreements = (
        Agreement.objects.restrict(anonymous, "view")
        .filter(Q(party_id=organisation_id) | Q(counterparty_id=organisation_id))
        .select_related("party", "counterparty")
        .prefetch_related("scope_entries")
        .order_by("id")
    )
    for agreement in agreements:
        as_party = agreement.party_id == organisation_id
        page.agreements.append(
            AgreementView(
                agreement,
                agreement.counterparty if as_party else agreement.party,
                as_party,
                sorted(entry.product_type for entry in agreement.scope_entries.all()),
                decisions.agreement_in_force(agreement, day),
            )
        )
    affiliated = list(
        Affiliation.objects.filter(decisions.in_force_filter(day), organisation_id=organisation_id)
        .order_by("inspector_id")
        .values_list("inspector_id", flat=True)
        .distinct()
    )
    # Public fields only (personnel.selectors never reads personal data).
    page.inspectors = public_records(affiliated, day) if affiliated else []
    page.history, page.history_truncated = _history(
        organisation_id,
        {
            "accreditations": [view.record.id for view in page.accreditations],
            "designations": [designation.id for designation, _, _ in page.designations],
            "agreements": [view.record.id for view in page.agreements],
        },
    )
    return page
