"""`testing`: may SUBJECT carry out CCC testing of PRODUCT_TYPE on ON? (contract §2)

This runs for every laboratory at once (`decide_testing_for`), so its commonest reasons are built
inline with `new_reason` and a batch shares one collector and its counterparties' designations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from cepa.rules import messages
from cepa.rules.decision import Decision, Reason, Reasons, UnknownFact, new_decision, new_reason
from cepa.rules.facts import (
    ACTIVE,
    CERTIFICATION_BODY,
    HK,
    HOKLAS,
    LABORATORY,
    MAINLAND,
    OVERSEAS,
    SUSPENDED,
    TESTING,
    Accreditation,
    Agreement,
    Designation,
    Organisation,
    Snapshot,
)
from cepa.rules.status import accreditation_status, catalogue_reason, designated

# Counterparty → its designation as a certification body for the batch's code on its day.
Partners = dict[str, Designation | None]


def decide_testing(
    snapshot: Snapshot, *, subject: str, product_type: str, on: dt.date, lang: str = "en"
) -> Decision:
    """May SUBJECT carry out CCC testing of PRODUCT_TYPE (any of its codes, or its key) on ON?"""
    key = snapshot.key_of(product_type)
    return _testing(snapshot, subject, product_type, key, on, lang, None, {}, Reasons("testing", lang))


def decide_testing_for(
    snapshot: Snapshot, *, subjects: Iterable[str], product_type: str, on: dt.date, lang: str = "en"
) -> list[Decision]:
    """`decide_testing` for many subjects at once; the catalogue condition, the same for every
    subject, is judged once, and so is each counterparty's designation."""
    shared = Reasons("testing", lang)
    catalogue_reason(shared, snapshot, product_type, on)
    catalogue = shared.items[0]
    key = snapshot.key_of(product_type)
    partners: Partners = {}
    # One collector (its list emptied per subject) for the whole batch: two objects fewer per subject.
    reasons = Reasons("testing", lang)
    return _batch(snapshot, subjects, product_type, key, on, lang, catalogue, partners, reasons)


def _batch(
    snapshot: Snapshot,
    subjects: Iterable[str],
    code: str,
    key: str,
    on: dt.date,
    lang: str,
    catalogue: Reason,
    partners: Partners,
    reasons: Reasons,
) -> list[Decision]:
    """`_testing` for each subject, with its commonest cases written out in one loop: a Mainland
    laboratory, and a Hong Kong one with one accreditation (granted by the day, with no event when it
    covers the code) and no testing agreement, or one in force, covering the code. Each builds exactly
    the reasons `_testing` builds; every other case goes through `_testing`'s own steps. A call per
    step per laboratory was most of the deciding time for every laboratory at once."""
    organisation_of = snapshot.organisations.get
    accreditations_of = snapshot.accreditations.get
    agreements_of = snapshot.agreements.get
    designations_of = snapshot.designations.get
    items = reasons.items
    append = items.append
    new = new_reason
    question = reasons.question
    decisions: list[Decision] = []
    add_decision = decisions.append
    for subject in subjects:
        lab = organisation_of(subject)
        if lab is None:
            raise UnknownFact("subject", subject)
        seat = lab.seat
        if lab.kind != LABORATORY or (seat != MAINLAND and seat != HK):
            add_decision(_testing(snapshot, subject, code, key, on, lang, catalogue, partners, reasons))
            continue
        if seat == MAINLAND:
            # _designated_laboratory, written out (designated(), in_force()).
            for found in designations_of(subject, ()):
                if (
                    found.role == LABORATORY
                    and key in found.product_types
                    and found.valid_from <= on
                    and (found.valid_until is None or on <= found.valid_until)
                ):
                    params = {"subject": subject, "code": code, "on": on, "designation": found.id}
                    reason = new(
                        Reason, ("DESIGNATED", True, (found.id,), "DESIGNATED.held", params, lang, question)
                    )
                    break
            else:
                params = {"subject": subject, "code": code, "on": on}
                reason = new(Reason, ("DESIGNATED", False, (), "DESIGNATED.failed", params, lang, question))
            found_reasons: tuple[Reason, ...] = (catalogue, reason)
        else:
            items.clear()
            append(catalogue)
            accreditations = accreditations_of(subject, ())
            only = accreditations[0] if len(accreditations) == 1 else None
            if only is not None and only.scheme == HOKLAS and only.granted <= on:
                # _hoklas_accreditation for the single accreditation, written out where its status for
                # the code needs no events.
                covers = key in only.scope
                if covers and only.events:
                    _covering_accreditation(reasons, subject, code, key, on, accreditations)
                else:
                    refs: tuple[str, ...] = (only.id,)
                    params = {"subject": subject, "accreditation": only.id, "granted": only.granted}
                    append(new(Reason, ("ACCREDITED", True, refs, "ACCREDITED.held", params, lang, question)))
                    if covers:  # _covering_accreditation: active, as no event changes it
                        params = {"accreditation": only.id, "code": code}
                        append(
                            new(
                                Reason,
                                (
                                    "ACCREDITATION_SCOPE",
                                    True,
                                    refs,
                                    "ACCREDITATION_SCOPE.held",
                                    params,
                                    lang,
                                    question,
                                ),
                            )
                        )
                        params = {"accreditation": only.id, "code": code, "on": on}
                        append(
                            new(
                                Reason,
                                (
                                    "ACCREDITATION_ACTIVE",
                                    True,
                                    refs,
                                    "ACCREDITATION_ACTIVE.held",
                                    params,
                                    lang,
                                    question,
                                ),
                            )
                        )
                    else:  # _scope_not_covered
                        params = {"accreditations": only.id, "code": code}
                        append(
                            new(
                                Reason,
                                (
                                    "ACCREDITATION_SCOPE",
                                    False,
                                    refs,
                                    "ACCREDITATION_SCOPE.failed",
                                    params,
                                    lang,
                                    question,
                                ),
                            )
                        )
            else:
                _hoklas_accreditation(reasons, snapshot, subject, code, key, on)
            agreements = agreements_of(subject)
            agreement = agreements[0] if agreements is not None and len(agreements) == 1 else None
            if agreements is None:
                # _testing_agreement for a laboratory that is no testing agreement's party.
                params = {"subject": subject, "code": code, "on": on}
                append(
                    new(
                        Reason,
                        (
                            "AGREEMENT_IN_FORCE",
                            False,
                            (),
                            "AGREEMENT_IN_FORCE.failed",
                            params,
                            lang,
                            question,
                        ),
                    )
                )
            elif agreement is not None and agreement.kind == TESTING and key in agreement.product_types:
                if agreement.in_force(on):
                    # _partner_designated for the single agreement in force, written out.
                    counterparty = agreement.counterparty
                    if counterparty in partners:
                        designation = partners[counterparty]
                    else:
                        designation = partners[counterparty] = designated(
                            snapshot, counterparty, CERTIFICATION_BODY, key, on
                        )
                    params = {"agreement": agreement.id, "counterparty": counterparty, "code": code, "on": on}
                    refs = (agreement.id, counterparty)
                    append(
                        new(
                            Reason,
                            (
                                "AGREEMENT_IN_FORCE",
                                True,
                                refs,
                                "AGREEMENT_IN_FORCE.held",
                                params,
                                lang,
                                question,
                            ),
                        )
                    )
                    if designation is not None:
                        params = {
                            "counterparty": counterparty,
                            "code": code,
                            "on": on,
                            "designation": designation.id,
                        }
                        refs = (counterparty, designation.id)
                        append(
                            new(
                                Reason,
                                (
                                    "PARTNER_DESIGNATED",
                                    True,
                                    refs,
                                    "PARTNER_DESIGNATED.held",
                                    params,
                                    lang,
                                    question,
                                ),
                            )
                        )
                    else:
                        params = {
                            "counterparties": messages.join([counterparty], lang),
                            "code": code,
                            "on": on,
                        }
                        refs = (counterparty,)
                        append(
                            new(
                                Reason,
                                (
                                    "PARTNER_DESIGNATED",
                                    False,
                                    refs,
                                    "PARTNER_DESIGNATED.failed",
                                    params,
                                    lang,
                                    question,
                                ),
                            )
                        )
                else:  # _agreement_lapsed for the single agreement, written out
                    ids = [agreement.id]
                    params = {
                        "subject": subject,
                        "code": code,
                        "on": on,
                        "agreements": messages.join(ids, lang),
                    }
                    refs = (agreement.id,)
                    key_lapsed = "AGREEMENT_IN_FORCE.failed.lapsed"
                    append(
                        new(Reason, ("AGREEMENT_IN_FORCE", False, refs, key_lapsed, params, lang, question))
                    )
            else:
                _testing_agreement(reasons, snapshot, subject, code, key, on, partners)
            found_reasons = tuple(items)
        # decision.new_decision, written out for this loop of thousands (a call per laboratory).
        decision = _new_object(Decision)
        fields = decision.__dict__
        fields["question"] = "testing"
        fields["product_type"] = code
        fields["reasons"] = found_reasons
        fields["subject"] = subject
        fields["on"] = on
        fields["lang"] = lang
        add_decision(decision)
    return decisions


_new_object = object.__new__


def _testing(
    snapshot: Snapshot,
    subject: str,
    code: str,
    key: str,
    on: dt.date,
    lang: str,
    catalogue: Reason | None,
    partners: Partners,
    reasons: Reasons,
) -> Decision:
    """`code`: the code asked about (echoed, and named in messages); `key`: its type's canonical key
    (what the facts hold). `catalogue`: the batch's PRODUCT_IN_CATALOGUE reason (None: judge it here).
    `partners`: filled as counterparties come up (shared by the decisions of one batch). `reasons`: a
    collector for `lang`, reused by the decisions of one batch (emptied here)."""
    lab = snapshot.organisations.get(subject)
    if lab is None:
        raise UnknownFact("subject", subject)
    reasons.items.clear()
    if lab.kind != LABORATORY or lab.seat == OVERSEAS:
        return new_decision("testing", code, _kind_gate(reasons, lab, subject), subject, None, on, lang)
    if catalogue is None:
        catalogue_reason(reasons, snapshot, code, on)
    else:
        reasons.items.append(catalogue)
    if lab.seat == HK:
        _hoklas_accreditation(reasons, snapshot, subject, code, key, on)
        _testing_agreement(reasons, snapshot, subject, code, key, on, partners)
    elif lab.seat == MAINLAND:
        _designated_laboratory(reasons, snapshot, subject, code, key, on)
    return new_decision("testing", code, tuple(reasons.items), subject, None, on, lang)


def _kind_gate(reasons: Reasons, lab: Organisation, subject: str) -> tuple[Reason]:
    """Gate KIND_NOT_ELIGIBLE: the subject is not a laboratory, or is seated overseas."""
    if lab.kind != LABORATORY:
        return reasons.gate(
            "KIND_NOT_ELIGIBLE",
            "KIND_NOT_ELIGIBLE.failed.not_laboratory",
            (subject,),
            subject=subject,
            kind=messages.term(lab.kind, reasons.lang),
        )
    return reasons.gate("KIND_NOT_ELIGIBLE", "KIND_NOT_ELIGIBLE.failed.overseas", (subject,), subject=subject)


# --- a Mainland laboratory --------------------------------------------------------------------------


def _designated_laboratory(
    reasons: Reasons, snapshot: Snapshot, subject: str, code: str, key: str, on: dt.date
) -> None:
    """DESIGNATED: designated as a laboratory for the type on the day."""
    found = designated(snapshot, subject, LABORATORY, key, on)
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
        return
    reasons.items.append(
        new_reason(
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


# --- a Hong Kong laboratory: its HOKLAS accreditation -----------------------------------------------


def _hoklas_accreditation(
    reasons: Reasons, snapshot: Snapshot, subject: str, code: str, key: str, on: dt.date
) -> None:
    """ACCREDITED; ACCREDITATION_SCOPE on the accreditations granted by the day; ACCREDITATION_ACTIVE
    (or _SUSPENDED, _WITHDRAWN) on those that cover the code."""
    accreditations = snapshot.accreditations.get(subject, ())
    if len(accreditations) == 1:  # the usual case, decided without the lists below
        only = accreditations[0]
        if only.scheme == HOKLAS and only.granted <= on:
            # The snapshot's own one-item tuple stands for the lists below (no list per laboratory).
            if key in only.scope:
                _covering_accreditation(reasons, subject, code, key, on, accreditations)
            else:
                _scope_not_covered(reasons, subject, code, accreditations)
            return
    # One pass: granted by `on`, of those covering the code, and granted later.
    hoklas: list[Accreditation] = []
    covering: list[Accreditation] = []
    future: list[Accreditation] = []
    for accreditation in accreditations:
        if accreditation.scheme == HOKLAS:
            if accreditation.granted <= on:
                hoklas.append(accreditation)
                if key in accreditation.scope:
                    covering.append(accreditation)
            else:
                future.append(accreditation)
    if not hoklas:
        _not_accredited(reasons, subject, on, future)
    elif not covering:
        _scope_not_covered(reasons, subject, code, hoklas)
    else:
        _covering_accreditation(reasons, subject, code, key, on, covering)


def _not_accredited(reasons: Reasons, subject: str, on: dt.date, future: list[Accreditation]) -> None:
    """ACCREDITED fails, naming the first accreditation granted after the day, if any."""
    if not future:
        reasons.add("ACCREDITED", False, "ACCREDITED.failed", (), subject=subject, on=on)
        return
    later = min(future, key=lambda a: (a.granted, a.id))
    reasons.add(
        "ACCREDITED",
        False,
        "ACCREDITED.failed.not_yet",
        (later.id,),
        subject=subject,
        on=on,
        accreditation=later.id,
        granted=later.granted,
    )


def _scope_not_covered(
    reasons: Reasons, subject: str, code: str, hoklas: Sequence[Accreditation]
) -> None:
    """ACCREDITED holds; ACCREDITATION_SCOPE fails, naming every accreditation it was judged on."""
    used = hoklas[0]
    refs = (used.id,)
    reasons.items.append(
        new_reason(
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
    if len(hoklas) == 1:  # the usual single accreditation: the same tuple, and its id is the list
        reasons.items.append(
            new_reason(
                Reason,
                (
                    "ACCREDITATION_SCOPE",
                    False,
                    refs,
                    "ACCREDITATION_SCOPE.failed",
                    {"accreditations": used.id, "code": code},
                    reasons.lang,
                    reasons.question,
                ),
            )
        )
        return
    ids = [a.id for a in hoklas]
    reasons.add(
        "ACCREDITATION_SCOPE",
        False,
        "ACCREDITATION_SCOPE.failed",
        ids,
        accreditations=messages.join(ids, reasons.lang),
        code=code,
    )


def _covering_accreditation(
    reasons: Reasons, subject: str, code: str, key: str, on: dt.date, covering: Sequence[Accreditation]
) -> None:
    """ACCREDITED and ACCREDITATION_SCOPE hold, naming an accreditation active for the code on the
    day if there is one; ACCREDITATION_ACTIVE holds on it, else fails on another's status."""
    if len(covering) == 1:  # the usual single accreditation: no list of the active ones
        used = covering[0]
        statuses = [accreditation_status(used, key, on)]
        active = statuses[0][0] == ACTIVE
    else:
        statuses = [accreditation_status(a, key, on) for a in covering]
        active_ones = [a for a, (status, _) in zip(covering, statuses, strict=True) if status == ACTIVE]
        used = (active_ones or covering)[0]
        active = bool(active_ones)
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
    else:
        _accreditation_inactive(reasons, code, covering, statuses)


def _accreditation_inactive(
    reasons: Reasons, code: str, covering: Sequence[Accreditation], statuses: list[tuple[str, dt.date]]
) -> None:
    """ACCREDITATION_SUSPENDED or ACCREDITATION_WITHDRAWN: a suspension can be lifted, so it is
    named before a withdrawal."""
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


# --- a Hong Kong laboratory: its testing agreement --------------------------------------------------


def _testing_agreement(
    reasons: Reasons,
    snapshot: Snapshot,
    subject: str,
    code: str,
    key: str,
    on: dt.date,
    partners: Partners,
) -> None:
    """AGREEMENT_IN_FORCE: the laboratory is the party of a testing agreement covering the code in
    force on the day; PARTNER_DESIGNATED on those in force."""
    agreements = snapshot.agreements.get(subject)
    if agreements is not None and len(agreements) == 1:
        # The usual single agreement: the snapshot's own one-item tuple stands for the lists below.
        only = agreements[0]
        if only.kind == TESTING and key in only.product_types:
            if only.in_force(on):
                _partner_designated(reasons, snapshot, code, key, on, agreements, partners)
            else:
                _agreement_lapsed(reasons, subject, code, on, [only.id])
            return
        agreements = None
    covering = (
        [a for a in agreements if a.kind == TESTING and key in a.product_types] if agreements else None
    )
    if not covering:
        reasons.items.append(
            new_reason(
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
        _agreement_lapsed(reasons, subject, code, on, [a.id for a in covering])
        return
    _partner_designated(reasons, snapshot, code, key, on, in_force, partners)


def _agreement_lapsed(reasons: Reasons, subject: str, code: str, on: dt.date, ids: list[str]) -> None:
    """AGREEMENT_IN_FORCE fails: agreements cover the code, none is in force on the day."""
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


def _partner_designated(
    reasons: Reasons,
    snapshot: Snapshot,
    code: str,
    key: str,
    on: dt.date,
    in_force: Sequence[Agreement],
    partners: Partners,
) -> None:
    """AGREEMENT_IN_FORCE holds, naming the first agreement whose counterparty is designated as a
    certification body for the code on the day (else the first in force); PARTNER_DESIGNATED."""
    chosen = _with_designated_partner(snapshot, key, on, in_force, partners)
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
        counterparties = (
            [in_force[0].counterparty] if len(in_force) == 1 else sorted({a.counterparty for a in in_force})
        )
        reasons.add(
            "PARTNER_DESIGNATED",
            False,
            "PARTNER_DESIGNATED.failed",
            counterparties,
            counterparties=messages.join(counterparties, reasons.lang),
            code=code,
            on=on,
        )


def _with_designated_partner(
    snapshot: Snapshot, key: str, on: dt.date, in_force: Sequence[Agreement], partners: Partners
) -> tuple[Agreement, Designation] | None:
    """The first agreement in force whose counterparty is designated, with that designation."""
    for agreement in in_force:
        counterparty = agreement.counterparty
        if counterparty in partners:
            designation = partners[counterparty]
        else:
            designation = partners[counterparty] = designated(
                snapshot, counterparty, CERTIFICATION_BODY, key, on
            )
        if designation is not None:
            return agreement, designation
    return None
