"""The rules engine: the four questions of the contract (§2) answered over a `Snapshot`.

Every function lists each condition it checked. A condition judged on an empty set of records is not
listed; a failing gate is listed alone. Where several records could satisfy a condition, the one
named in `refs` is the one that also satisfies the conditions chained after it, ties by smallest id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from cepa.rules import messages
from cepa.rules.facts import (
    ACTIVE,
    BEIJING,
    CANCELLED,
    CERTIFICATION_BODY,
    FACTORY_INSPECTION,
    HK,
    HKCAS,
    HOKLAS,
    LABORATORY,
    MAINLAND,
    OVERSEAS,
    PROVISIONAL,
    SUSPENDED,
    TESTING,
    WITHDRAWN,
    Accreditation,
    Agreement,
    Contact,
    Designation,
    ExpressionOfInterest,
    Inspector,
    Organisation,
    Plan,
    Snapshot,
    beijing_date,
)

QUESTIONS = ("testing", "inspection", "designation", "enquiry")


class UnknownFact(LookupError):
    """The snapshot lacks a record the question names (the services validate ids before asking)."""

    def __init__(self, field_name: str, value: str) -> None:
        super().__init__(f"{field_name}: no record {value!r}")
        self.field = field_name
        self.value = value


class Reason(NamedTuple):
    """One checked condition. `message` and `basis` are rendered when read (in `lang`), so deciding
    for thousands of bodies costs no text until a decision is shown. A NamedTuple: immutable and
    several times cheaper to build than a frozen dataclass, which counts when deciding for every body."""

    code: str
    holds: bool
    refs: tuple[str, ...] = ()
    key: str = ""  # the message key (messages.MESSAGES)
    params: Mapping[str, Any] = MappingProxyType({})
    lang: str = "en"
    question: str = ""

    @property
    def message(self) -> str:
        return messages.render(self.key, self.lang, **self.params)

    @property
    def basis(self) -> str:
        return messages.basis(self.code, self.lang, self.question)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "holds": self.holds,
            "message": self.message,
            "basis": self.basis,
            "refs": list(self.refs),
        }


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in Beijing time (+08:00)."""
    return moment.astimezone(BEIJING).isoformat()


# Not slotted: fields at their defaults are then read from the class, which lets `_testing_decision`
# build the thousands of decisions of a batch by setting only what a testing decision has.
@dataclass(frozen=True)
class Decision:
    question: str
    product_type: str
    reasons: tuple[Reason, ...]
    subject: str | None = None
    org: str | None = None
    on: dt.date | None = None
    at: dt.datetime | None = None
    lang: str = "en"
    # designation
    route: str | None = None
    plan: str | None = None
    window: tuple[dt.datetime, dt.datetime] | None = None
    next_deadline: dt.datetime | None = None
    # enquiry
    sector: str | None = None
    contact: Contact | None = field(default=None)

    @property
    def allowed(self) -> bool:
        return all(reason.holds for reason in self.reasons)

    @property
    def failing(self) -> list[str]:
        return [reason.code for reason in self.reasons if not reason.holds]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "subject": self.subject}
        if self.question == "inspection":
            out["org"] = self.org
        out["product_type"] = self.product_type
        if self.on is not None:
            out["on"] = self.on.isoformat()
        if self.at is not None:
            out["at"] = timestamp(self.at)
        out["allowed"] = self.allowed
        out["reasons"] = [reason.to_json() for reason in self.reasons]
        if self.question == "designation":
            out["route"] = self.route
            if self.route == "plan":
                out["plan"] = self.plan
                out["window"] = (
                    {"opens": timestamp(self.window[0]), "closes": timestamp(self.window[1])}
                    if self.window
                    else None
                )
                out["next_deadline"] = timestamp(self.next_deadline) if self.next_deadline else None
        if self.question == "enquiry":
            out["sector"] = self.sector
            out["contact"] = _contact_json(self.contact, self.lang) if self.contact else None
        return out


_new_object = object.__new__


def _testing_decision(
    code: str, reasons: tuple[Reason, ...], subject: str, on: dt.date, lang: str
) -> Decision:
    """`Decision("testing", code, reasons, subject, None, on, None, lang)`, several times faster: the
    generated __init__ of a frozen dataclass sets each of its fourteen fields through a call."""
    decision = _new_object(Decision)
    decision.__dict__.update(
        question="testing", product_type=code, reasons=reasons, subject=subject, on=on, lang=lang
    )
    return decision


def _contact_json(contact: Contact, lang: str) -> dict[str, str]:
    return {
        "sector": contact.sector,
        "name": contact.name.in_lang(lang),
        "organisation": contact.organisation.in_lang(lang),
        "phone": contact.phone,
        "email": contact.email,
    }


Refs = tuple[str, ...] | list[str]
_new_reason: Callable[[type[Reason], tuple[Any, ...]], Reason] = tuple.__new__


class _Reasons:
    """Collects reasons for one decision in one language."""

    __slots__ = ("items", "lang", "question")

    def __init__(self, question: str, lang: str) -> None:
        self.question = question
        self.lang = lang
        self.items: list[Reason] = []

    # Positional-only, so that messages may take a `code` parameter of their own.
    def add(self, reason: str, holds: bool, key: str, refs: Refs = (), /, **params: Any) -> None:
        # Built as a tuple directly (no argument parsing): this runs for every body at once.
        self.items.append(
            _new_reason(
                Reason,
                (
                    reason,
                    holds,
                    refs if type(refs) is tuple else tuple(refs),
                    key,
                    params,
                    self.lang,
                    self.question,
                ),
            )
        )

    def gate(self, reason: str, key: str, refs: Refs = (), /, **params: Any) -> tuple[Reason]:
        self.add(reason, False, key, refs, **params)
        return (self.items[-1],)

    def done(self) -> tuple[Reason, ...]:
        return tuple(self.items)


# --- status over time -------------------------------------------------------------------------------

_ACCREDITATION_ORDER = {ACTIVE: 0, SUSPENDED: 1, WITHDRAWN: 2}
_INSPECTOR_ORDER = {ACTIVE: 0, SUSPENDED: 1, CANCELLED: 2}


def accreditation_status(accreditation: Accreditation, code: str, day: dt.date) -> tuple[str, dt.date]:
    """The status of `code` under `accreditation` on `day`, and the day that status began.

    Set by the latest event on or before `day` whose scope covers the code; same-day events apply in
    the order active, suspended, withdrawn (so the last wins); withdrawal is final.
    """
    if not accreditation.events:
        return ACTIVE, accreditation.granted
    events = sorted(
        (e for e in accreditation.events if e.on <= day and e.covers(code)),
        key=lambda e: (e.on, _ACCREDITATION_ORDER.get(e.status, 0)),
    )
    status, since = ACTIVE, accreditation.granted
    for event in events:
        if event.status != status:
            status, since = event.status, event.on
        if status == WITHDRAWN:
            break
    return status, since


def inspector_status(inspector: Inspector, day: dt.date) -> tuple[str, dt.date]:
    """The inspector's status on `day` and the day it began; cancellation is final."""
    events = sorted(
        (e for e in inspector.events if e.status and e.on <= day),
        key=lambda e: (e.on, _INSPECTOR_ORDER.get(e.status, 0)),
    )
    status, since = ACTIVE, inspector.registered
    for event in events:
        if event.status != status:
            status, since = event.status, event.on
        if status == CANCELLED:
            break
    return status, since


def inspector_grade(inspector: Inspector, day: dt.date) -> str:
    """The grade on `day`: the grade at registration, changed by the latest grade event up to `day`."""
    grade = inspector.grade
    # sorted() is stable: events of the same day keep the order they were given in.
    for event in sorted((e for e in inspector.events if e.grade and e.on <= day), key=lambda e: e.on):
        grade = event.grade
    return grade


def next_deadline(moment: dt.datetime) -> dt.datetime:
    """The first 1 April 00:00 Beijing time strictly after `moment`."""
    local = moment.astimezone(BEIJING)
    deadline = dt.datetime(local.year, 4, 1, tzinfo=BEIJING)
    if deadline <= moment:
        deadline = dt.datetime(local.year + 1, 4, 1, tzinfo=BEIJING)
    return deadline


def interest_deadline(year: int) -> dt.datetime:
    """Expressions of interest for `year` are due strictly before this moment."""
    return dt.datetime(year, 4, 1, tzinfo=BEIJING)


def _designated(
    snapshot: Snapshot, organisation: str, role: str, code: str, day: dt.date
) -> Designation | None:
    for designation in snapshot.designations.get(organisation, ()):
        if designation.role == role and code in designation.product_types and designation.in_force(day):
            return designation
    return None


def _org(snapshot: Snapshot, field_name: str, identifier: str) -> Organisation:
    try:
        return snapshot.organisations[identifier]
    except KeyError:
        raise UnknownFact(field_name, identifier) from None


# --- testing ---------------------------------------------------------------------------------------


def _catalogue_reason(reasons: _Reasons, snapshot: Snapshot, code: str, day: dt.date) -> None:
    entries = snapshot.catalogue.get(code, ())
    if any(entry.in_catalogue(day) for entry in entries):
        reasons.add("PRODUCT_IN_CATALOGUE", True, "PRODUCT_IN_CATALOGUE.held", [code], code=code, on=day)
        return
    upcoming = sorted(e.applications_from for e in entries if e.applications_from > day)
    removed = sorted(e.removed_on for e in entries if e.removed_on is not None and e.removed_on <= day)
    if upcoming:
        reasons.add(
            "PRODUCT_IN_CATALOGUE",
            False,
            "PRODUCT_IN_CATALOGUE.failed.not_yet",
            [code],
            code=code,
            on=day,
            opens=upcoming[0],
        )
    elif removed:
        reasons.add(
            "PRODUCT_IN_CATALOGUE",
            False,
            "PRODUCT_IN_CATALOGUE.failed.removed",
            [code],
            code=code,
            on=day,
            removed=removed[-1],
        )
    else:
        reasons.add("PRODUCT_IN_CATALOGUE", False, "PRODUCT_IN_CATALOGUE.failed", [code], code=code, on=day)


def decide_testing(
    snapshot: Snapshot, *, subject: str, product_type: str, on: dt.date, lang: str = "en"
) -> Decision:
    """May SUBJECT carry out CCC testing of PRODUCT_TYPE on ON?"""
    return _testing(snapshot, subject, product_type, on, lang, None, {}, _Reasons("testing", lang))


def decide_testing_for(
    snapshot: Snapshot, *, subjects: Iterable[str], product_type: str, on: dt.date, lang: str = "en"
) -> list[Decision]:
    """`decide_testing` for many subjects at once; the catalogue condition, the same for every
    subject, is judged once, and so is each counterparty's designation."""
    shared = _Reasons("testing", lang)
    _catalogue_reason(shared, snapshot, product_type, on)
    catalogue = shared.items[0]
    partners: dict[str, Designation | None] = {}
    # One collector (its list emptied per subject) for the whole batch: two objects fewer per subject.
    reasons = _Reasons("testing", lang)
    return [
        _testing(snapshot, subject, product_type, on, lang, catalogue, partners, reasons)
        for subject in subjects
    ]


def _testing(
    snapshot: Snapshot,
    subject: str,
    code: str,
    on: dt.date,
    lang: str,
    catalogue: Reason | None,
    partners: dict[str, Designation | None],
    reasons: _Reasons,
) -> Decision:
    """`partners`: counterparty → its designation as a certification body for `code` on `on`, filled
    as counterparties come up (shared by the decisions of one batch). `reasons`: a collector for
    `lang`, reused by the decisions of one batch (emptied here)."""
    lab = snapshot.organisations.get(subject)
    if lab is None:
        raise UnknownFact("subject", subject)
    reasons.items.clear()
    if lab.kind != LABORATORY:
        items: tuple[Reason, ...] = reasons.gate(
            "KIND_NOT_ELIGIBLE",
            "KIND_NOT_ELIGIBLE.failed.not_laboratory",
            (subject,),
            subject=subject,
            kind=messages.term(lab.kind, lang),
        )
    elif lab.seat == OVERSEAS:
        items = reasons.gate(
            "KIND_NOT_ELIGIBLE", "KIND_NOT_ELIGIBLE.failed.overseas", (subject,), subject=subject
        )
    else:
        if catalogue is None:
            _catalogue_reason(reasons, snapshot, code, on)
        else:
            reasons.items.append(catalogue)
        if lab.seat == HK:
            _hong_kong_laboratory(reasons, snapshot, subject, code, on)
            _agreement_reasons(reasons, snapshot, subject, code, on, partners)
        elif lab.seat == MAINLAND:
            found = _designated(snapshot, subject, LABORATORY, code, on)
            if found:
                reasons.add(
                    "DESIGNATED",
                    True,
                    "DESIGNATED.held",
                    (found.id,),
                    subject=subject,
                    code=code,
                    on=on,
                    designation=found.id,
                )
            else:
                # Built inline (as `add` would) for the commonest reasons: thousands of bodies at once.
                reasons.items.append(
                    _new_reason(
                        Reason,
                        (
                            "DESIGNATED",
                            False,
                            (),
                            "DESIGNATED.failed",
                            {"subject": subject, "code": code, "on": on},
                            reasons.lang,
                            reasons.question,
                        ),
                    )
                )
        items = tuple(reasons.items)
    return _testing_decision(code, items, subject, on, lang)


def _hong_kong_laboratory(
    reasons: _Reasons, snapshot: Snapshot, subject: str, code: str, on: dt.date
) -> None:
    # One pass (this runs for every laboratory at once): granted by `on`, of those covering the code,
    # and granted later.
    hoklas: list[Accreditation] = []
    covering: list[Accreditation] = []
    future: list[Accreditation] = []
    for accreditation in snapshot.accreditations.get(subject, ()):
        if accreditation.scheme == HOKLAS:
            if accreditation.granted <= on:
                hoklas.append(accreditation)
                if code in accreditation.scope:
                    covering.append(accreditation)
            else:
                future.append(accreditation)
    if not hoklas:
        later = sorted(future, key=lambda a: (a.granted, a.id))
        if later:
            reasons.add(
                "ACCREDITED",
                False,
                "ACCREDITED.failed.not_yet",
                (later[0].id,),
                subject=subject,
                on=on,
                accreditation=later[0].id,
                granted=later[0].granted,
            )
        else:
            reasons.add("ACCREDITED", False, "ACCREDITED.failed", (), subject=subject, on=on)
        return

    if not covering:
        used = hoklas[0]
        refs = (used.id,)
        reasons.items.append(
            _new_reason(
                Reason,
                (
                    "ACCREDITED",
                    True,
                    refs,
                    "ACCREDITED.held",
                    {"subject": subject, "accreditation": used.id, "granted": used.granted},
                    reasons.lang,
                    reasons.question,
                ),
            )
        )
        ids = [a.id for a in hoklas]
        reasons.add(
            "ACCREDITATION_SCOPE",
            False,
            "ACCREDITATION_SCOPE.failed",
            refs if len(ids) == 1 else ids,  # the usual single accreditation: the same tuple
            accreditations=messages.join(ids, reasons.lang),
            code=code,
        )
        return

    statuses = [accreditation_status(a, code, on) for a in covering]
    active = [a for a, (status, _) in zip(covering, statuses, strict=True) if status == ACTIVE]
    used = (active or covering)[0]
    refs = (used.id,)  # one tuple for the reasons below that name the same record
    reasons.add(
        "ACCREDITED",
        True,
        "ACCREDITED.held",
        refs,
        subject=subject,
        accreditation=used.id,
        granted=used.granted,
    )
    reasons.add(
        "ACCREDITATION_SCOPE",
        True,
        "ACCREDITATION_SCOPE.held",
        refs,
        accreditation=used.id,
        code=code,
    )
    if active:
        reasons.add(
            "ACCREDITATION_ACTIVE",
            True,
            "ACCREDITATION_ACTIVE.held",
            refs,
            accreditation=used.id,
            code=code,
            on=on,
        )
        return
    # A suspension can be lifted; name it before a withdrawal.
    index = next((i for i, (status, _) in enumerate(statuses) if status == SUSPENDED), 0)
    used, (status, since) = covering[index], statuses[index]
    code_name = "ACCREDITATION_SUSPENDED" if status == SUSPENDED else "ACCREDITATION_WITHDRAWN"
    reasons.add(
        code_name,
        False,
        f"{code_name}.failed",
        (used.id,),
        accreditation=used.id,
        code=code,
        since=since,
    )


def _agreement_reasons(
    reasons: _Reasons,
    snapshot: Snapshot,
    subject: str,
    code: str,
    on: dt.date,
    partners: dict[str, Designation | None],
) -> None:
    agreements = snapshot.agreements.get(subject)
    covering = (
        [a for a in agreements if a.kind == TESTING and code in a.product_types] if agreements else None
    )
    if not covering:
        reasons.items.append(
            _new_reason(
                Reason,
                (
                    "AGREEMENT_IN_FORCE",
                    False,
                    (),
                    "AGREEMENT_IN_FORCE.failed",
                    {"subject": subject, "code": code, "on": on},
                    reasons.lang,
                    reasons.question,
                ),
            )
        )
        return
    in_force = [a for a in covering if a.in_force(on)]
    if not in_force:
        ids = [a.id for a in covering]
        reasons.add(
            "AGREEMENT_IN_FORCE",
            False,
            "AGREEMENT_IN_FORCE.failed.lapsed",
            ids,
            subject=subject,
            code=code,
            on=on,
            agreements=messages.join(ids, reasons.lang),
        )
        return
    # The first agreement in force whose counterparty is designated, else the first in force.
    chosen: tuple[Agreement, Designation] | None = None
    for agreement in in_force:
        counterparty = agreement.counterparty
        if counterparty in partners:
            designation = partners[counterparty]
        else:
            designation = partners[counterparty] = _designated(
                snapshot, counterparty, CERTIFICATION_BODY, code, on
            )
        if designation is not None:
            chosen = (agreement, designation)
            break
    used = in_force[0] if chosen is None else chosen[0]
    reasons.add(
        "AGREEMENT_IN_FORCE",
        True,
        "AGREEMENT_IN_FORCE.held",
        (used.id, used.counterparty),
        agreement=used.id,
        counterparty=used.counterparty,
        code=code,
        on=on,
    )
    if chosen is not None:
        agreement, designation = chosen
        reasons.add(
            "PARTNER_DESIGNATED",
            True,
            "PARTNER_DESIGNATED.held",
            (agreement.counterparty, designation.id),
            counterparty=agreement.counterparty,
            code=code,
            on=on,
            designation=designation.id,
        )
    else:
        counterparties = sorted({a.counterparty for a in in_force})
        reasons.add(
            "PARTNER_DESIGNATED",
            False,
            "PARTNER_DESIGNATED.failed",
            counterparties,
            counterparties=messages.join(counterparties, reasons.lang),
            code=code,
            on=on,
        )


# --- inspection ------------------------------------------------------------------------------------


def decide_inspection(
    snapshot: Snapshot, *, subject: str, org: str, product_type: str, on: dt.date, lang: str = "en"
) -> Decision:
    """May SUBJECT (an inspector) carry out CCC factory inspection for ORG on PRODUCT_TYPE on ON?"""
    body = _org(snapshot, "org", org)
    try:
        inspector = snapshot.inspectors[subject]
    except KeyError:
        raise UnknownFact("subject", subject) from None
    reasons = _Reasons("inspection", lang)
    code = product_type

    def decision(items: tuple[Reason, ...]) -> Decision:
        return Decision("inspection", code, items, subject=subject, org=org, on=on, lang=lang)

    if body.kind != CERTIFICATION_BODY:
        return decision(
            reasons.gate(
                "KIND_NOT_ELIGIBLE",
                "KIND_NOT_ELIGIBLE.failed.not_certification_body",
                [org],
                org=org,
                kind=messages.term(body.kind, lang),
            )
        )

    status, since = inspector_status(inspector, on)
    if on < inspector.registered:
        reasons.add(
            "REGISTERED",
            False,
            "REGISTERED.failed.not_yet",
            [subject],
            subject=subject,
            registered=inspector.registered,
        )
    elif on > inspector.expires:
        reasons.add(
            "REGISTERED",
            False,
            "REGISTERED.failed.expired",
            [subject],
            subject=subject,
            expires=inspector.expires,
        )
    elif status != ACTIVE:
        reasons.add(
            "REGISTERED", False, f"REGISTERED.failed.{status}", [subject], subject=subject, since=since
        )
    else:
        reasons.add(
            "REGISTERED",
            True,
            "REGISTERED.held",
            [subject],
            subject=subject,
            registered=inspector.registered,
            expires=inspector.expires,
            on=on,
        )

    grade = inspector_grade(inspector, on)
    reasons.add(
        "GRADE",
        grade != PROVISIONAL,
        "GRADE.held" if grade != PROVISIONAL else "GRADE.failed",
        [subject],
        subject=subject,
        on=on,
        grade=messages.term(grade, lang),
    )

    specialty = next((s for s in (code, code[:2]) if s in inspector.specialties), None)
    if specialty:
        reasons.add("SPECIALTY", True, "SPECIALTY.held", [subject], specialty=specialty, code=code)
    else:
        reasons.add(
            "SPECIALTY",
            False,
            "SPECIALTY.failed",
            [subject],
            code=code,
            specialties=messages.join(sorted(inspector.specialties), lang),
        )

    affiliated = any(a.organisation == org and a.covers(on) for a in inspector.affiliations)
    reasons.add(
        "AFFILIATED",
        affiliated,
        "AFFILIATED.held" if affiliated else "AFFILIATED.failed",
        [org],
        subject=subject,
        org=org,
        on=on,
    )

    if body.seat == HK:
        _org_accredited(reasons, snapshot, org, code, on)
        _org_agreement(reasons, snapshot, org, code, on)
    elif body.seat == MAINLAND:
        found = _designated(snapshot, org, CERTIFICATION_BODY, code, on)
        if found:
            reasons.add(
                "ORG_DESIGNATED",
                True,
                "ORG_DESIGNATED.held",
                [found.id],
                org=org,
                code=code,
                on=on,
                designation=found.id,
            )
        else:
            reasons.add("ORG_DESIGNATED", False, "ORG_DESIGNATED.failed", [], org=org, code=code, on=on)
    return decision(reasons.done())


def _org_accredited(reasons: _Reasons, snapshot: Snapshot, org: str, code: str, on: dt.date) -> None:
    covering = [
        a
        for a in snapshot.accreditations.get(org, ())
        if a.scheme == HKCAS and a.granted <= on and code in a.scope
    ]
    statuses = {a.id: accreditation_status(a, code, on) for a in covering}
    active = [a for a in covering if statuses[a.id][0] == ACTIVE]
    if active:
        reasons.add(
            "ORG_ACCREDITED",
            True,
            "ORG_ACCREDITED.held",
            [active[0].id],
            org=org,
            accreditation=active[0].id,
            code=code,
            on=on,
        )
    elif covering:
        suspended = [a for a in covering if statuses[a.id][0] == SUSPENDED]
        used = (suspended or covering)[0]
        status, since = statuses[used.id]
        reasons.add(
            "ORG_ACCREDITED",
            False,
            "ORG_ACCREDITED.failed.inactive",
            [used.id],
            org=org,
            code=code,
            on=on,
            accreditation=used.id,
            status=messages.term(status, reasons.lang),
            since=since,
        )
    else:
        reasons.add("ORG_ACCREDITED", False, "ORG_ACCREDITED.failed", [], org=org, code=code, on=on)


def _org_agreement(reasons: _Reasons, snapshot: Snapshot, org: str, code: str, on: dt.date) -> None:
    candidates: list[tuple[Agreement, Designation]] = []
    covering = [
        a
        for a in snapshot.agreements.get(org, ())
        if a.kind == FACTORY_INSPECTION and code in a.product_types
    ]
    for agreement in covering:
        if agreement.in_force(on):
            designation = _designated(snapshot, agreement.counterparty, CERTIFICATION_BODY, code, on)
            if designation is not None:
                candidates.append((agreement, designation))
    if candidates:
        agreement, designation = candidates[0]
        reasons.add(
            "ORG_AGREEMENT",
            True,
            "ORG_AGREEMENT.held",
            [agreement.id, agreement.counterparty],
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


# --- designation -----------------------------------------------------------------------------------


def _interest(
    snapshot: Snapshot, subject: str, plan: Plan, code: str
) -> tuple[ExpressionOfInterest | None, ExpressionOfInterest | None]:
    """(an expression of interest that counts for the plan, else one that came too late)."""
    deadline = interest_deadline(plan.year)
    relevant = [
        e
        for e in snapshot.expressions_of_interest.get(subject, ())
        if e.year == plan.year and code in e.product_types
    ]
    on_time = [e for e in relevant if e.submitted < deadline]
    if on_time:
        return on_time[0], None
    return None, (relevant[0] if relevant else None)


def choose_plan(snapshot: Snapshot, subject: str, role: str, code: str, at: dt.datetime) -> Plan | None:
    """The plan PLAN_PUBLISHED is judged on (contract §2), or None when no plan qualifies."""
    day = beijing_date(at)
    plans = [p for p in snapshot.plans if p.role == role and code in p.product_types and p.is_published(day)]
    if not plans:
        return None
    open_now = [p for p in plans if p.window_open(at)]
    if open_now:
        complete = [
            p
            for p in open_now
            if not p.requires_expression_of_interest or _interest(snapshot, subject, p, code)[0] is not None
        ]
        return min(complete or open_now, key=lambda p: p.id)
    upcoming = [p for p in plans if p.opens > at]
    if upcoming:
        return min(upcoming, key=lambda p: (p.opens, p.id))
    latest_close = max(p.effective_closes for p in plans)
    return min((p for p in plans if p.effective_closes == latest_close), key=lambda p: p.id)


def decide_designation(
    snapshot: Snapshot, *, subject: str, product_type: str, at: dt.datetime, lang: str = "en"
) -> Decision:
    """How may SUBJECT apply to be designated for PRODUCT_TYPE, as of AT?"""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    body = _org(snapshot, "subject", subject)
    reasons = _Reasons("designation", lang)
    code = product_type
    day = beijing_date(at)

    if body.seat != MAINLAND:
        items = reasons.gate(
            "MAINLAND_ESTABLISHED",
            "MAINLAND_ESTABLISHED.failed",
            [subject],
            subject=subject,
            seat=messages.term(body.seat, lang),
        )
        return Decision("designation", code, items, subject=subject, at=at, lang=lang, route="none")

    if body.kind == LABORATORY:
        routine = [r for r in snapshot.routine_scope.get(code, ()) if r.covers(day)]
        if routine:
            reasons.add(
                "ROUTINE_SCOPE",
                True,
                "ROUTINE_SCOPE.held",
                [code],
                code=code,
                on=day,
                instrument=(
                    routine[0].instrument.in_lang(lang)
                    if routine[0].instrument
                    else messages.basis("ROUTINE_SCOPE", lang)
                ),
                subject=subject,
            )
            return Decision(
                "designation", code, reasons.done(), subject=subject, at=at, lang=lang, route="routine"
            )

    deadline = next_deadline(at)
    plan = choose_plan(snapshot, subject, body.kind, code, at)
    role_name = messages.term(f"plural:{body.kind}", lang)
    if plan is None:
        reasons.add(
            "PLAN_PUBLISHED",
            False,
            "PLAN_PUBLISHED.failed",
            [],
            role=role_name,
            code=code,
            on=day,
            deadline=timestamp(deadline),
        )
        return Decision(
            "designation",
            code,
            reasons.done(),
            subject=subject,
            at=at,
            lang=lang,
            route="plan",
            next_deadline=deadline,
        )

    reasons.add(
        "PLAN_PUBLISHED",
        True,
        "PLAN_PUBLISHED.held",
        [plan.id],
        plan=plan.id,
        role=role_name,
        code=code,
        published=plan.published,
    )
    closes = plan.effective_closes
    if plan.window_open(at):
        reasons.add(
            "WINDOW_OPEN",
            True,
            "WINDOW_OPEN.held",
            [plan.id],
            plan=plan.id,
            opens=timestamp(plan.opens),
            closes=timestamp(closes),
        )
    elif at < plan.opens:
        reasons.add(
            "WINDOW_OPEN",
            False,
            "WINDOW_OPEN.failed.not_yet",
            [plan.id],
            plan=plan.id,
            opens=timestamp(plan.opens),
        )
    else:
        reasons.add(
            "WINDOW_OPEN",
            False,
            "WINDOW_OPEN.failed.closed",
            [plan.id],
            plan=plan.id,
            closes=timestamp(closes),
        )

    if plan.requires_expression_of_interest:
        used, late = _interest(snapshot, subject, plan, code)
        due = timestamp(interest_deadline(plan.year))
        if used is not None:
            reasons.add(
                "EXPRESSION_OF_INTEREST",
                True,
                "EXPRESSION_OF_INTEREST.held",
                [used.id],
                subject=subject,
                code=code,
                year=plan.year,
                eoi=used.id,
                submitted=timestamp(used.submitted),
                deadline=due,
            )
        elif late is not None:
            reasons.add(
                "EXPRESSION_OF_INTEREST",
                False,
                "EXPRESSION_OF_INTEREST.failed.late",
                [late.id],
                plan=plan.id,
                subject=subject,
                eoi=late.id,
                submitted=timestamp(late.submitted),
                deadline=due,
            )
        else:
            reasons.add(
                "EXPRESSION_OF_INTEREST",
                False,
                "EXPRESSION_OF_INTEREST.failed",
                [],
                plan=plan.id,
                subject=subject,
                code=code,
                year=plan.year,
                deadline=due,
            )

    return Decision(
        "designation",
        code,
        reasons.done(),
        subject=subject,
        at=at,
        lang=lang,
        route="plan",
        plan=plan.id,
        window=(plan.opens, closes),
        next_deadline=deadline,
    )


# --- enquiry ---------------------------------------------------------------------------------------


def enquiry_sector(snapshot: Snapshot, code: str, day: dt.date | None = None) -> str | None:
    """The enquiry sector of a code: of the entry in the catalogue on `day`, else the latest entry."""
    entries = snapshot.catalogue.get(code, ())
    if not entries:
        return None
    current = [e for e in entries if day is not None and e.in_catalogue(day)]
    return (current or list(entries))[-1].sector or None


def decide_enquiry(
    snapshot: Snapshot, *, product_type: str, lang: str = "en", on: dt.date | None = None
) -> Decision:
    """Where does an enquiry about PRODUCT_TYPE go? No conditions; adds the sector and its contact."""
    if product_type not in snapshot.catalogue:
        raise UnknownFact("product_type", product_type)
    sector = enquiry_sector(snapshot, product_type, on)
    contact = snapshot.contacts.get(sector) if sector else None
    return Decision("enquiry", product_type, (), lang=lang, sector=sector, contact=contact)


def decide(snapshot: Snapshot, question: str, **arguments: Any) -> Decision:
    """Dispatch by question name."""
    if question == "testing":
        return decide_testing(snapshot, **arguments)
    if question == "inspection":
        return decide_inspection(snapshot, **arguments)
    if question == "designation":
        return decide_designation(snapshot, **arguments)
    if question == "enquiry":
        return decide_enquiry(snapshot, **arguments)
    raise ValueError(f"unknown question {question!r}")
