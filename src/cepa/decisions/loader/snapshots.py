"""One snapshot per question, from the loaders of the facts it needs."""

from __future__ import annotations

from collections.abc import Collection

from cepa.decisions.loader.catalogue import load_catalogue, load_contacts, load_routine_scope
from cepa.decisions.loader.designations import load_agreements, load_designations
from cepa.decisions.loader.inspectors import load_inspectors
from cepa.decisions.loader.organisations import load_accreditations, load_organisations
from cepa.decisions.loader.plans import load_expressions_of_interest, load_plans
from cepa.rules import facts


def snapshot_for_testing(product_type: str, subject: str | None = None) -> facts.Snapshot:
    """Facts for `testing` of one product type: for `subject`, or for every laboratory (subject None).

    At most six queries: catalogue, organisations, accreditations and their events, agreements,
    designations. A subject that is not a Hong Kong laboratory needs fewer.
    """
    catalogue = load_catalogue(product_type)
    if subject is None:
        organisations = load_organisations(kinds=[facts.LABORATORY], names=False)
        accreditations = load_accreditations(product_type, facts.HOKLAS)
        agreements = load_agreements(product_type, facts.TESTING)
        designations = load_designations(product_type)
    else:
        organisations = load_organisations(ids=[subject])
        hong_kong = [o.id for o in organisations if o.kind == facts.LABORATORY and o.seat == facts.HK]
        accreditations = load_accreditations(product_type, facts.HOKLAS, ids=hong_kong) if hong_kong else []
        agreements = load_agreements(product_type, facts.TESTING, parties=hong_kong) if hong_kong else []
        laboratories = [
            o.id for o in organisations if o.kind == facts.LABORATORY and o.seat != facts.OVERSEAS
        ]
        relevant = set(laboratories) | {a.counterparty for a in agreements}
        designations = load_designations(product_type, relevant) if relevant else []
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
    catalogue = load_catalogue(product_type)
    if subject is None and org is None:
        inspectors = load_inspectors()
        organisations = load_organisations(
            ids={a.organisation for i in inspectors for a in i.affiliations}, names=False
        )
        accreditations = load_accreditations(product_type, facts.HKCAS)
        agreements = load_agreements(product_type, facts.FACTORY_INSPECTION)
        designations = load_designations(product_type)
    else:
        if subject is None or org is None:
            raise ValueError("give both subject and org, or neither")
        inspectors = load_inspectors([subject])
        organisations = load_organisations(ids=[org])
        bodies = [o for o in organisations if o.kind == facts.CERTIFICATION_BODY]
        hong_kong = [o.id for o in bodies if o.seat == facts.HK]
        accreditations = load_accreditations(product_type, facts.HKCAS, ids=hong_kong) if hong_kong else []
        agreements = (
            load_agreements(product_type, facts.FACTORY_INSPECTION, parties=hong_kong) if hong_kong else []
        )
        relevant = {o.id for o in bodies if o.seat == facts.MAINLAND} | {a.counterparty for a in agreements}
        designations = load_designations(product_type, relevant) if relevant else []
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
    catalogue = load_catalogue(product_type)
    if subject is None:
        organisations = [o for o in load_organisations(names=False) if o.seat == facts.MAINLAND]
        interest_of: Collection[str] | None = None
    else:
        organisations = load_organisations(ids=[subject])
        interest_of = [subject]
    mainland = [o for o in organisations if o.seat == facts.MAINLAND]
    return facts.Snapshot.of(
        organisations=organisations,
        routine_scope=load_routine_scope(product_type) if mainland else [],
        plans=load_plans(product_type) if mainland else [],
        expressions_of_interest=load_expressions_of_interest(interest_of) if mainland else [],
        catalogue=catalogue,
    )


def snapshot_for_enquiry(product_type: str) -> facts.Snapshot:
    """Facts for `enquiry`: the catalogue entries of the code and the contacts. Two queries."""
    catalogue = load_catalogue(product_type)
    return facts.Snapshot.of(catalogue=catalogue, contacts=load_contacts() if catalogue else [])
