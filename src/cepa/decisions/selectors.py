"""Statuses on a date and deadlines, as the rules judge them, for the pages, handlers and commands that
show or check records: whether each product type of an accreditation is active, which bodies are
accredited, whether a designation or an agreement is in force, an inspector's standing, when
expressions of interest are due.

`services` answers the contract's questions; this module answers these smaller ones with the same
rules. Each either reads records its caller has already read (so a page adds no query) or loads facts
in a fixed number of queries through `loader`. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from cepa.bodies.models import Accreditation, Agreement, Designation
from cepa.catalogue.selectors import code_index
from cepa.decisions import loader
from cepa.designation.models import Plan
from cepa.rules import designation as rules_designation
from cepa.rules import facts, messages
from cepa.rules.decision import timestamp
from cepa.rules.designation import next_deadline
from cepa.rules.status import accreditation_status, inspector_grade, inspector_status

NOT_YET = "not_yet"  # the status of a product type before its accreditation is granted


# --- accreditations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeStatus:
    code: str
    status: str  # active, suspended, withdrawn; NOT_YET before the accreditation is granted
    since: dt.date


def accreditation_statuses(
    accreditations: Iterable[Accreditation], on: dt.date
) -> dict[str, list[ScopeStatus]]:
    """The status on `on` of each product type in each accreditation's scope (by code), by accreditation
    id. The accreditations come with `scope_entries` and `events` prefetched: no query here."""
    statuses: dict[str, list[ScopeStatus]] = {}
    for record in accreditations:
        accreditation = loader.accreditation_of_record(record)
        scope = []
        for code in sorted(accreditation.scope):
            status, since = accreditation_status(accreditation, code, on)
            scope.append(ScopeStatus(code, status if accreditation.granted <= on else NOT_YET, since))
        statuses[record.id] = scope
    return statuses


def accredited_organisations(
    organisations: Collection[str],
    on: dt.date,
    *,
    scheme: str | None = None,
    codes: Collection[str] | None = None,
) -> set[str]:
    """Those of the organisations with an accreditation (in `scheme`, if given) under which some product
    type (of `codes`, if given) is active on `on`. A type is one whichever of its codes or its key names it
    (contract §1, rev. 2). Two queries; a third reads the catalogue when `codes` are given or an event
    names a type under another code than the scope does."""
    found: set[str] = set()
    histories = loader.load_accreditation_histories(organisations, scheme)
    elsewhere = any(
        event.scope is not None and not event.scope <= accreditation.scope
        for accreditation in histories
        for event in accreditation.events
    )
    keys: frozenset[str] | None = None
    if codes is not None or elsewhere:
        index = code_index()
        histories = [loader.keyed(accreditation, index) for accreditation in histories]
        keys = None if codes is None else frozenset(index.get(code, code) for code in codes)
    for accreditation in histories:
        if accreditation.granted > on or accreditation.organisation in found:
            continue
        wanted = accreditation.scope if keys is None else accreditation.scope & keys
        if any(accreditation_status(accreditation, code, on)[0] == facts.ACTIVE for code in wanted):
            found.add(accreditation.organisation)
    return found


# --- designations and agreements -------------------------------------------------------------------


# The rules' own tests of being in force; the scope plays no part in them.
_NO_SCOPE: frozenset[str] = frozenset()


def designation_in_force(designation: Designation, on: dt.date) -> bool:
    return facts.designation(
        designation.id,
        designation.organisation_id,
        designation.role,
        _NO_SCOPE,
        designation.valid_from,
        designation.valid_until,
    ).in_force(on)


def agreement_in_force(agreement: Agreement, on: dt.date) -> bool:
    """In its validity and not yet terminated (`terminated_on` is the first day it is not in force)."""
    return facts.agreement(
        agreement.id,
        agreement.kind,
        agreement.party_id,
        agreement.counterparty_id,
        _NO_SCOPE,
        agreement.valid_from,
        agreement.valid_until,
        agreement.terminated_on,
    ).in_force(on)


# The same tests as database filters, for lists that select in the query rather than judge each record.


def in_force_filter(on: dt.date) -> Q:
    """`valid_from` ≤ `on` ≤ `valid_until` (null: open-ended), as the rules' `in_range`: for records with
    a validity (designations, affiliations, routine scope entries)."""
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def agreement_in_force_filter(on: dt.date) -> Q:
    """`agreement_in_force` as a filter on agreements."""
    return in_force_filter(on) & (Q(terminated_on__isnull=True) | Q(terminated_on__gt=on))


# --- inspectors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectorStanding:
    """An inspector's registration on a date."""

    status: str  # active, suspended or cancelled
    since: dt.date  # the day that status began
    grade: str
    registration_valid: bool  # the date is within the registration's term
    organisation: str | None  # the body it is affiliated with on the date


def _inspector(record: dict[str, Any]) -> facts.Inspector:
    """The facts of an interchange (`cepa-registry/1`) inspector record."""
    date = dt.date.fromisoformat
    return facts.Inspector(
        id=record["id"],
        grade=record["grade"],
        specialties=frozenset(record["specialties"]),
        registered=date(record["registered"]),
        expires=date(record["expires"]),
        affiliations=tuple(
            facts.Affiliation(
                a["organisation"], date(a["from"]), date(a["until"]) if a.get("until") else None
            )
            for a in record["affiliations"]
        ),
        events=tuple(
            facts.InspectorEvent(date(e["on"]), e.get("status", ""), e.get("grade", ""))
            for e in record.get("events", [])
        ),
    )


def inspector_standing(record: dict[str, Any], on: dt.date) -> InspectorStanding:
    """The standing on `on` of an inspector given as its interchange record (with its events), as read
    by `cepa.bodies.selectors.registry_records`: no query here."""
    inspector = _inspector(record)
    status, since = inspector_status(inspector, on)
    current = next((a for a in inspector.affiliations if a.covers(on)), None)
    return InspectorStanding(
        status=status,
        since=since,
        grade=inspector_grade(inspector, on),
        registration_valid=inspector.registered <= on <= inspector.expires,
        organisation=current.organisation if current else None,
    )


# --- deadlines -------------------------------------------------------------------------------------


def interest_deadline(year: int) -> dt.datetime:
    """Expressions of interest for `year`'s plans are due strictly before this moment (Beijing time)."""
    return rules_designation.interest_deadline(year)


def interest_deadline_passed(year: int, submitted: dt.datetime, lang: str = "en") -> str:
    """Why an expression of interest for `year`'s plans sent at `submitted` (on or after the deadline) is
    refused: the reading of "before 1 April" spelled out, and the instrument it comes from."""
    return messages.render(
        "EXPRESSION_OF_INTEREST.deadline_passed",
        lang,
        year=year,
        deadline=timestamp(interest_deadline(year)),
        submitted=timestamp(submitted),
        basis=messages.basis("EXPRESSION_OF_INTEREST", lang),
    )


def next_interest_deadline(moment: dt.datetime) -> dt.datetime:
    """The first deadline for expressions of interest strictly after `moment`."""
    return next_deadline(moment)


def plan_closes(plan: Plan) -> dt.datetime:
    """When a plan's application window closes: its end, or when the plan was closed early if sooner."""
    return loader.plan_of_record(plan).effective_closes
