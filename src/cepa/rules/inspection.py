"""`inspection`: may SUBJECT (an inspector) carry out CCC factory inspection for ORG on PRODUCT_TYPE
on ON? (contract §2)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cepa.rules import messages
from cepa.rules.decision import Decision, Reason, Reasons, UnknownFact, new_decision
from cepa.rules.facts import (
    ACTIVE,
    CERTIFICATION_BODY,
    FACTORY_INSPECTION,
    HK,
    HKCAS,
    MAINLAND,
    PROVISIONAL,
    SUSPENDED,
    Accreditation,
    Agreement,
    Designation,
    Inspector,
    ProductType,
    Snapshot,
)
from cepa.rules.status import (
    accreditation_status,
    catalogue_reason,
    designated,
    inspector_grade,
    inspector_status,
    known_organisation,
)


def decide_inspection(
    snapshot: Snapshot, *, subject: str, org: str, product_type: str, on: dt.date, lang: str = "en"
) -> Decision:
    """May SUBJECT (an inspector) carry out CCC factory inspection for ORG on PRODUCT_TYPE (any of its
    codes, or its key) on ON?"""
    (decision,) = decide_inspection_for(
        snapshot, subjects=(subject,), org=org, product_type=product_type, on=on, lang=lang
    )
    return decision


def decide_inspection_for(
    snapshot: Snapshot,
    *,
    subjects: Sequence[str],
    org: str,
    product_type: str,
    on: dt.date,
    lang: str = "en",
) -> list[Decision]:
    """`decide_inspection` for several inspectors of one organisation on one day (a factory inspection's
    inspectors): the conditions on the organisation and the catalogue, the same for each, are judged
    once and their reasons shared (the same decisions)."""
    if not subjects:
        return []
    body = known_organisation(snapshot, "org", org)
    inspectors = []
    for subject in subjects:
        try:
            inspectors.append(snapshot.inspectors[subject])
        except KeyError:
            raise UnknownFact("subject", subject) from None
    code = product_type
    if body.kind != CERTIFICATION_BODY:
        gate: tuple[Reason, ...] = Reasons("inspection", lang).gate(
            "KIND_NOT_ELIGIBLE",
            "KIND_NOT_ELIGIBLE.failed.not_certification_body",
            (org,),
            org=org,
            kind=messages.term(body.kind, lang),
            on=on,
        )
        return [new_decision("inspection", code, gate, subject, org, on, lang) for subject in subjects]
    key = snapshot.key_of(code)
    # When a type leaves the catalogue its certification ends, and its factory inspections with it.
    shared = Reasons("inspection", lang)
    catalogue_reason(shared, snapshot, code, on)
    if body.seat == HK:
        _org_accredited(shared, snapshot, org, code, key, on)
        _org_agreement(shared, snapshot, org, code, key, on)
    elif body.seat == MAINLAND:
        _org_designated(shared, snapshot, org, code, key, on)
    catalogue, organisation = shared.items[0], shared.items[1:]
    candidates = _specialties_for(code, snapshot.catalogue.get(code))
    decisions = []
    for subject, inspector in zip(subjects, inspectors, strict=True):
        reasons = Reasons("inspection", lang)
        reasons.items.append(catalogue)
        _registered(reasons, inspector, subject, on)
        _grade(reasons, inspector, subject, on)
        _specialty(reasons, inspector, subject, code, candidates)
        _affiliated(reasons, inspector, subject, org, on)
        reasons.items.extend(organisation)
        decisions.append(new_decision("inspection", code, reasons.done(), subject, org, on, lang))
    return decisions


# --- the inspector ----------------------------------------------------------------------------------


def _registered(reasons: Reasons, inspector: Inspector, subject: str, on: dt.date) -> None:
    """REGISTERED: the registration is valid on the day and the inspector's status is active."""
    status, since = inspector_status(inspector, on)
    if on < inspector.registered:
        reasons.add(
            "REGISTERED",
            False,
            "REGISTERED.failed.not_yet",
            (subject,),
            subject=subject,
            registered=inspector.registered,
        )
    elif on > inspector.expires:
        reasons.add(
            "REGISTERED",
            False,
            "REGISTERED.failed.expired",
            (subject,),
            subject=subject,
            expires=inspector.expires,
        )
    elif status != ACTIVE:
        reasons.add(
            "REGISTERED", False, f"REGISTERED.failed.{status}", (subject,), subject=subject, since=since
        )
    else:
        reasons.add(
            "REGISTERED",
            True,
            "REGISTERED.held",
            (subject,),
            subject=subject,
            registered=inspector.registered,
            expires=inspector.expires,
            on=on,
        )


def _grade(reasons: Reasons, inspector: Inspector, subject: str, on: dt.date) -> None:
    """GRADE: the grade on the day is not provisional."""
    grade = inspector_grade(inspector, on)
    reasons.add(
        "GRADE",
        grade != PROVISIONAL,
        "GRADE.held" if grade != PROVISIONAL else "GRADE.failed",
        (subject,),
        subject=subject,
        on=on,
        grade=messages.term(grade, reasons.lang),
    )


def _specialties_for(code: str, product_type: ProductType | None) -> tuple[str, ...]:
    """The specialties that qualify for the type, in the order they are looked for: the type itself
    (any of its codes, or its key), or the two-digit family of one of its codes (a type without a code
    has no family)."""
    if product_type is None:  # not in the snapshot's catalogue: the code as given
        return (code, code[:2]) if code.isdigit() else (code,)
    return (code, *product_type.names, *product_type.families)


def _specialty(
    reasons: Reasons, inspector: Inspector, subject: str, code: str, candidates: tuple[str, ...]
) -> None:
    """SPECIALTY: the inspector has one of `candidates` (`_specialties_for` the type)."""
    specialties = inspector.specialties
    specialty = None
    for candidate in candidates:
        if candidate in specialties:
            specialty = candidate
            break
    if specialty:
        reasons.add("SPECIALTY", True, "SPECIALTY.held", (subject,), specialty=specialty, code=code)
    else:
        reasons.add(
            "SPECIALTY",
            False,
            "SPECIALTY.failed",
            (subject,),
            code=code,
            specialties=messages.join(sorted(inspector.specialties), reasons.lang),
        )


def _affiliated(reasons: Reasons, inspector: Inspector, subject: str, org: str, on: dt.date) -> None:
    """AFFILIATED: an affiliation with ORG covers the day."""
    affiliated = False
    for affiliation in inspector.affiliations:
        if affiliation.organisation == org and affiliation.covers(on):
            affiliated = True
            break
    reasons.add(
        "AFFILIATED",
        affiliated,
        "AFFILIATED.held" if affiliated else "AFFILIATED.failed",
        (org,),
        subject=subject,
        org=org,
        on=on,
    )


# --- the organisation -------------------------------------------------------------------------------


def _org_accredited(reasons: Reasons, snapshot: Snapshot, org: str, code: str, key: str, on: dt.date) -> None:
    """ORG_ACCREDITED (ORG in Hong Kong): an HKCAS accreditation covering the code, active for it on
    the day; when none is, a suspended one is named before a withdrawn one."""
    # One pass: the first covering accreditation active on the day, else the first suspended, else
    # the first covering one (the group is in id order).
    active: Accreditation | None = None
    suspended: tuple[Accreditation, tuple[str, dt.date]] | None = None
    first: tuple[Accreditation, tuple[str, dt.date]] | None = None
    for a in snapshot.accreditations.get(org, ()):
        if a.scheme == HKCAS and a.granted <= on and key in a.scope:
            judged = accreditation_status(a, key, on)
            if judged[0] == ACTIVE:
                active = a
                break
            if first is None:
                first = (a, judged)
            if suspended is None and judged[0] == SUSPENDED:
                suspended = (a, judged)
    if active is not None:
        reasons.add(
            "ORG_ACCREDITED",
            True,
            "ORG_ACCREDITED.held",
            (active.id,),
            org=org,
            accreditation=active.id,
            code=code,
            on=on,
        )
    elif first is not None:
        used, (status, since) = suspended or first
        reasons.add(
            "ORG_ACCREDITED",
            False,
            "ORG_ACCREDITED.failed.inactive",
            (used.id,),
            org=org,
            code=code,
            on=on,
            accreditation=used.id,
            status=messages.term(status, reasons.lang),
            since=since,
        )
    else:
        reasons.add("ORG_ACCREDITED", False, "ORG_ACCREDITED.failed", (), org=org, code=code, on=on)


def _org_agreement(reasons: Reasons, snapshot: Snapshot, org: str, code: str, key: str, on: dt.date) -> None:
    """ORG_AGREEMENT (ORG in Hong Kong): ORG is the party of a factory inspection agreement covering
    the code, in force on the day, with a counterparty designated as a certification body for it."""
    candidates: list[tuple[Agreement, Designation]] = []
    covering = [
        a for a in snapshot.agreements.get(org, ()) if a.kind == FACTORY_INSPECTION and key in a.product_types
    ]
    for agreement in covering:
        if agreement.in_force(on):
            designation = designated(snapshot, agreement.counterparty, CERTIFICATION_BODY, key, on)
            if designation is not None:
                candidates.append((agreement, designation))
    if candidates:
        agreement, designation = candidates[0]
        reasons.add(
            "ORG_AGREEMENT",
            True,
            "ORG_AGREEMENT.held",
            (agreement.id, agreement.counterparty),
            agreement=agreement.id,
            counterparty=agreement.counterparty,
            designation=designation.id,
            code=code,
            on=on,
        )
    else:
        # Name the agreements that cover the type but are not in force or lack a designated partner.
        reasons.add(
            "ORG_AGREEMENT",
            False,
            "ORG_AGREEMENT.failed",
            [a.id for a in covering],
            org=org,
            code=code,
            on=on,
        )


def _org_designated(reasons: Reasons, snapshot: Snapshot, org: str, code: str, key: str, on: dt.date) -> None:
    """ORG_DESIGNATED (ORG in the Mainland): designated as a certification body for the type on the day."""
    found = designated(snapshot, org, CERTIFICATION_BODY, key, on)
    if found:
        reasons.add(
            "ORG_DESIGNATED",
            True,
            "ORG_DESIGNATED.held",
            (found.id,),
            org=org,
            code=code,
            on=on,
            designation=found.id,
        )
    else:
        reasons.add("ORG_DESIGNATED", False, "ORG_DESIGNATED.failed", [], org=org, code=code, on=on)
