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
from cepa.history.diff import field_changes
from cepa.history.models import Change
from cepa.history.selectors import PUBLIC_RECORD_TYPES
from cepa.personnel.models import Affiliation
from cepa.personnel.selectors import public_records
from cepa.rules import engine, facts

HISTORY_LIMIT = 100


@dataclass
class ScopeStatus:
    code: str
    status: str
    since: dt.date


@dataclass
class AccreditationView:
    record: Accreditation
    scope: list[ScopeStatus]
    events: list[Any]

    @property
    def summary(self) -> str:
        """active when every type in scope is active, withdrawn when all are withdrawn, else partial."""
        statuses = {s.status for s in self.scope}
        if statuses <= {facts.ACTIVE}:
            return facts.ACTIVE
        if statuses == {facts.WITHDRAWN}:
            return facts.WITHDRAWN
        if statuses == {facts.SUSPENDED}:
            return facts.SUSPENDED
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


def _accreditation_views(organisation_id: str, day: dt.date) -> list[AccreditationView]:
    views = []
    queryset = bodies.accreditations(AnonymousUser(), organisation=organisation_id).prefetch_related(
        "scope_entries", "events"
    )
    for record in queryset:
        codes = [entry.product_type for entry in record.scope_entries.all()]
        events = list(record.events.all())
        fact = facts.Accreditation(
            record.id, organisation_id, record.scheme, record.granted, frozenset(codes),
            tuple(facts.AccreditationEvent(e.on, e.status, None if e.scope is None else frozenset(e.scope))
                  for e in events),
        )
        scope = []
        for code in sorted(codes):
            status, since = engine.accreditation_status(fact, code, day)
            scope.append(ScopeStatus(code, status if record.granted <= day else "not_yet", since))
        views.append(AccreditationView(record, scope, events))
    return views


def _in_force(valid_from: dt.date, valid_until: dt.date | None, day: dt.date,
              terminated_on: dt.date | None = None) -> bool:
    return facts.in_range(day, valid_from, valid_until) and (terminated_on is None or day < terminated_on)


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
    entries = [
        HistoryEntry(change, [item.field for item in field_changes(change.before, change.after)])
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
    for designation in bodies.designations(anonymous, organisation=organisation_id).prefetch_related(
        "scope_entries"
    ):
        codes = sorted(entry.product_type for entry in designation.scope_entries.all())
        page.designations.append(
            (designation, codes, _in_force(designation.valid_from, designation.valid_until, day))
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
                _in_force(agreement.valid_from, agreement.valid_until, day, agreement.terminated_on),
            )
        )
    affiliated = list(
        Affiliation.objects.filter(
            Q(organisation_id=organisation_id, valid_from__lte=day)
            & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        )
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
