"""Builds rules-engine Snapshots from the database in a small, fixed number of queries.

Each loader reads what one question needs about one product type, either for one subject (and the
counterparties it relies on) or for every body at once. The number of queries does not depend on the
size of the registry. Scope rows are read for the asked product type only, so a loaded snapshot's
scopes (accreditation, designation, agreement) hold at most that one code: the engine looks at no other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    Designation,
    Organisation,
)
from cepa.catalogue.models import Contact, ProductType, RoutineScopeEntry
from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.rules import facts

NAME_FIELDS = ("name_en", "name_zh_hant", "name_zh_hans")


def _name(row: dict[str, Any], prefix: str = "") -> facts.Name:
    return facts.Name(
        row[f"{prefix}name_en"] or "", row[f"{prefix}name_zh_hant"] or "", row[f"{prefix}name_zh_hans"] or ""
    )


def _codes(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(value) for value in values or ())


# --- catalogue -------------------------------------------------------------------------------------


def load_catalogue() -> list[facts.CatalogueEntry]:
    """Every code (main and bundled) of every product type any catalogue version has had. One query."""
    entries: list[facts.CatalogueEntry] = []
    rows = ProductType.objects.values_list(
        "key", "code", "other_codes", "applications_from", "removed_on", "sector", "category__sector"
    )
    for key, code, others, applications_from, removed_on, sector, category_sector in rows:
        codes = ([code] if code else []) + [str(other) for other in others or ()]
        for one in dict.fromkeys(codes):
            entries.append(
                facts.CatalogueEntry(
                    code=one,
                    applications_from=applications_from,
                    removed_on=removed_on,
                    sector=sector or category_sector or "",
                    key=key,
                )
            )
    return entries


def load_routine_scope(code: str) -> list[facts.RoutineScopeEntry]:
    """Routine-designation scope entries whose product type has `code` (main or bundled). One query."""
    rows = RoutineScopeEntry.objects.values(
        "product_type__code",
        "product_type__other_codes",
        "valid_from",
        "valid_until",
        "instrument__title_en",
        "instrument__title_zh_hant",
        "instrument__title_zh_hans",
    )
    entries = []
    for row in rows:
        codes = {row["product_type__code"], *(str(o) for o in row["product_type__other_codes"] or ())}
        if code in codes:
            instrument = facts.Name(
                row["instrument__title_en"] or "",
                row["instrument__title_zh_hant"] or "",
                row["instrument__title_zh_hans"] or "",
            )
            entries.append(facts.RoutineScopeEntry(code, row["valid_from"], row["valid_until"], instrument))
    return entries


def load_contacts() -> list[facts.Contact]:
    rows = Contact.objects.values(
        "sector",
        *NAME_FIELDS,
        "organisation_en",
        "organisation_zh_hant",
        "organisation_zh_hans",
        "phone",
        "email",
    )
    return [
        facts.Contact(
            sector=row["sector"],
            name=_name(row),
            organisation=facts.Name(
                row["organisation_en"] or "",
                row["organisation_zh_hant"] or "",
                row["organisation_zh_hans"] or "",
            ),
            phone=row["phone"] or "",
            email=row["email"] or "",
        )
        for row in rows
    ]


# --- registry --------------------------------------------------------------------------------------


def _organisation_filter(prefix: str, ids: Collection[str] | None, kinds: Collection[str] | None) -> Q:
    """Restricts a query to organisations by id, else by kind, else not at all."""
    if ids is not None:
        return Q(**{f"{prefix}id__in": list(ids)})
    if kinds is not None:
        return Q(**{f"{prefix}kind__in": list(kinds)})
    return Q()


def load_organisations(
    ids: Collection[str] | None = None, kinds: Collection[str] | None = None
) -> list[facts.Organisation]:
    rows = Organisation.objects.filter(_organisation_filter("", ids, kinds)).values(
        "id", "kind", "seat", "hk_invested", *NAME_FIELDS
    )
    return [
        facts.Organisation(row["id"], row["kind"], row["seat"], row["hk_invested"], _name(row))
        for row in rows
    ]


def load_accreditations(
    code: str, scheme: str, ids: Collection[str] | None = None, kinds: Collection[str] | None = None
) -> list[facts.Accreditation]:
    """Accreditations in `scheme` of the organisations, with `code` in scope or not, and the events of
    those covering it. Two queries."""
    where = _organisation_filter("organisation__", ids, kinds) & Q(scheme=scheme)
    covers = AccreditationScope.objects.filter(accreditation=OuterRef("pk"), product_type=code)
    rows = list(
        Accreditation.objects.filter(where)
        .annotate(covers=Exists(covers))
        .values("id", "organisation_id", "scheme", "granted", "covers")
    )
    events: dict[str, list[facts.AccreditationEvent]] = {}
    if any(row["covers"] for row in rows):
        event_where = _organisation_filter("accreditation__organisation__", ids, kinds) & Q(
            accreditation__scheme=scheme, accreditation__scope_entries__product_type=code
        )
        event_rows = (
            AccreditationEvent.objects.filter(event_where)
            .order_by("accreditation_id", "position")
            .values_list("accreditation_id", "on", "status", "scope")
        )
        for accreditation_id, on, status, scope in event_rows:
            events.setdefault(accreditation_id, []).append(
                facts.AccreditationEvent(on, status, None if scope is None else _codes(scope))
            )
    return [
        facts.Accreditation(
            id=row["id"],
            organisation=row["organisation_id"],
            scheme=row["scheme"],
            granted=row["granted"],
            scope=frozenset({code}) if row["covers"] else frozenset(),
            events=tuple(events.get(row["id"], ())),
        )
        for row in rows
    ]


def load_agreements(code: str, kind: str, parties: Collection[str] | None = None) -> list[facts.Agreement]:
    """Agreements of `kind` covering `code`, of the given parties (None: every party). One query."""
    where = Q(kind=kind, scope_entries__product_type=code)
    if parties is not None:
        where &= Q(party_id__in=list(parties))
    rows = Agreement.objects.filter(where).values_list(
        "id", "kind", "party_id", "counterparty_id", "valid_from", "valid_until", "terminated_on"
    )
    return [
        facts.Agreement(
            id_, kind_, party, counterparty, frozenset({code}), valid_from, valid_until, terminated
        )
        for id_, kind_, party, counterparty, valid_from, valid_until, terminated in rows
    ]


def load_designations(code: str, organisations: Collection[str] | None = None) -> list[facts.Designation]:
    """Designations covering `code` of the given organisations (None: all). One query."""
    where = Q(scope_entries__product_type=code)
    if organisations is not None:
        where &= Q(organisation_id__in=list(organisations))
    rows = Designation.objects.filter(where).values_list(
        "id", "organisation_id", "role", "valid_from", "valid_until"
    )
    return [
        facts.Designation(id_, organisation, role, frozenset({code}), valid_from, valid_until)
        for id_, organisation, role, valid_from, valid_until in rows
    ]


def load_plans(code: str) -> list[facts.Plan]:
    """Published plans (published or closed early) covering `code`. One query; drafts never count."""
    rows = Plan.objects.filter(status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED]).values(
        "id",
        "year",
        "role",
        "product_types",
        "status",
        "published",
        "opens",
        "closes",
        "requires_expression_of_interest",
        "closed_early_at",
    )
    plans = []
    for row in rows:
        product_types = _codes(row["product_types"])
        if code in product_types:
            plans.append(
                facts.Plan(
                    id=row["id"],
                    year=row["year"],
                    role=row["role"],
                    product_types=product_types,
                    published=row["published"],
                    opens=row["opens"],
                    closes=row["closes"],
                    requires_expression_of_interest=row["requires_expression_of_interest"],
                    status=row["status"],
                    closed_early_at=row["closed_early_at"],
                )
            )
    return plans


def load_expressions_of_interest(organisations: Collection[str] | None) -> list[facts.ExpressionOfInterest]:
    where = Q() if organisations is None else Q(organisation_id__in=list(organisations))
    rows = ExpressionOfInterest.objects.filter(where).values_list(
        "id", "organisation_id", "year", "product_types", "submitted"
    )
    return [
        facts.ExpressionOfInterest(id_, organisation, year, _codes(product_types), submitted)
        for id_, organisation, year, product_types, submitted in rows
    ]


def load_inspectors(ids: Collection[str] | None = None) -> list[facts.Inspector]:
    """Inspectors with their affiliations and events. Three queries."""
    inspector_where = Q() if ids is None else Q(id__in=list(ids))
    child_where = Q() if ids is None else Q(inspector_id__in=list(ids))
    affiliations: dict[str, list[facts.Affiliation]] = {}
    for inspector_id, organisation, valid_from, valid_until in (
        Affiliation.objects.filter(child_where)
        .order_by("inspector_id", "valid_from", "id")
        .values_list("inspector_id", "organisation_id", "valid_from", "valid_until")
    ):
        affiliations.setdefault(inspector_id, []).append(
            facts.Affiliation(organisation, valid_from, valid_until)
        )
    events: dict[str, list[facts.InspectorEvent]] = {}
    for inspector_id, on, status, grade in (
        InspectorEvent.objects.filter(child_where)
        .order_by("inspector_id", "position", "id")
        .values_list("inspector_id", "on", "status", "grade")
    ):
        events.setdefault(inspector_id, []).append(facts.InspectorEvent(on, status or "", grade or ""))
    rows = Inspector.objects.filter(inspector_where).values(
        "id", "grade", "specialties", "registered", "expires", *NAME_FIELDS
    )
    return [
        facts.Inspector(
            id=row["id"],
            grade=row["grade"],
            specialties=_codes(row["specialties"]),
            registered=row["registered"],
            expires=row["expires"],
            affiliations=tuple(affiliations.get(row["id"], ())),
            events=tuple(events.get(row["id"], ())),
            name=_name(row),
        )
        for row in rows
    ]


# --- one snapshot per question ---------------------------------------------------------------------


def snapshot_for_testing(product_type: str, subject: str | None = None) -> facts.Snapshot:
    """Facts for `testing` of one product type: for `subject`, or for every laboratory (subject None).

    At most six queries: catalogue, organisations, accreditations (+ their events), agreements,
    designations. A subject that is not a Hong Kong laboratory needs fewer.
    """
    catalogue = load_catalogue()
    if subject is None:
        organisations = load_organisations(kinds=[facts.LABORATORY])
        hong_kong = None
        accreditations = load_accreditations(product_type, facts.HOKLAS, kinds=[facts.LABORATORY])
        agreements = load_agreements(product_type, facts.TESTING)
        designations = load_designations(product_type)
    else:
        organisations = load_organisations(ids=[subject])
        hong_kong = [o.id for o in organisations if o.kind == facts.LABORATORY and o.seat == facts.HK]
        accreditations = load_accreditations(product_type, facts.HOKLAS, ids=hong_kong) if hong_kong else []
        agreements = load_agreements(product_type, facts.TESTING, parties=hong_kong) if hong_kong else []
        relevant = {o.id for o in organisations} | {a.counterparty for a in agreements}
        designations = load_designations(product_type, relevant) if organisations else []
    return facts.Snapshot.of(
        organisations=organisations,
        accreditations=accreditations,
        agreements=agreements,
        designations=designations,
        catalogue=catalogue,
    )


def snapshot_for_inspection(
    product_type: str, subject: str | None = None, org: str | None = None
) -> facts.Snapshot:
    """Facts for `inspection` of one product type: for one inspector and ORG, or (both None) for every
    inspector and every organisation any inspector is affiliated with. At most ten queries."""
    catalogue = load_catalogue()
    if subject is None and org is None:
        inspectors = load_inspectors()
        affiliated = {a.organisation for i in inspectors for a in i.affiliations}
        organisations = load_organisations(ids=affiliated)
        bodies: Collection[str] | None = None
        kinds: Collection[str] | None = [facts.CERTIFICATION_BODY]
    else:
        if subject is None or org is None:
            raise ValueError("give both subject and org, or neither")
        inspectors = load_inspectors([subject])
        organisations = load_organisations(ids=[org])
        bodies = [o.id for o in organisations if o.kind == facts.CERTIFICATION_BODY]
        kinds = None
    hong_kong = (
        None if bodies is None else [o.id for o in organisations if o.id in bodies and o.seat == facts.HK]
    )
    accreditations: list[facts.Accreditation] = []
    agreements: list[facts.Agreement] = []
    if hong_kong is None or hong_kong:
        accreditations = load_accreditations(product_type, facts.HKCAS, ids=hong_kong, kinds=kinds)
        agreements = load_agreements(product_type, facts.FACTORY_INSPECTION, parties=hong_kong)
    designations: list[facts.Designation] = []
    if bodies is None:
        designations = load_designations(product_type)
    elif bodies:
        designations = load_designations(product_type, set(bodies) | {a.counterparty for a in agreements})
    return facts.Snapshot.of(
        organisations=organisations,
        inspectors=inspectors,
        accreditations=accreditations,
        agreements=agreements,
        designations=designations,
        catalogue=catalogue,
    )


def snapshot_for_designation(product_type: str, subject: str | None = None) -> facts.Snapshot:
    """Facts for `designation` of one product type: for `subject`, or for every Mainland body.
    Five queries: catalogue, organisations, routine scope, plans, expressions of interest."""
    catalogue = load_catalogue()
    if subject is None:
        organisations = [o for o in load_organisations() if o.seat == facts.MAINLAND]
        interest_of: Collection[str] | None = None
    else:
        organisations = load_organisations(ids=[subject])
        interest_of = [subject]
    return facts.Snapshot.of(
        organisations=organisations,
        routine_scope=load_routine_scope(product_type),
        plans=load_plans(product_type),
        expressions_of_interest=load_expressions_of_interest(interest_of),
        catalogue=catalogue,
    )


def snapshot_for_enquiry(product_type: str) -> facts.Snapshot:
    """Facts for `enquiry`: the catalogue and the contacts. Two queries."""
    return facts.Snapshot.of(catalogue=load_catalogue(), contacts=load_contacts())


def today_in_beijing() -> dt.date:
    return dt.datetime.now(facts.BEIJING).date()
