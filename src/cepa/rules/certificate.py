"""`certificate`: is certificate SUBJECT valid on ON, and was each link of its chain eligible when it was
made? (contract §2, rev. 2)

The per-link judgements are the `testing` and `inspection` decisions themselves, asked for the
certificate's product type on the day each link was made; `notices` ask them again on the date asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cepa.rules import messages
from cepa.rules.decision import Decision, Notice, Reasons, UnknownFact, new_decision
from cepa.rules.facts import (
    CERTIFICATION_BODY,
    FACTORY_INSPECTION,
    HK,
    TESTING,
    VALID,
    Certificate,
    Designation,
    Snapshot,
)
from cepa.rules.inspection import decide_inspection_for
from cepa.rules.status import catalogue_reason, certificate_status, designated
from cepa.rules.testing import decide_testing

CATALOGUE = "PRODUCT_IN_CATALOGUE"

# The conditions are judged in loops rather than comprehensions: in Python 3.11 each comprehension makes
# a function object and a frame, and every certificate decision runs them; a failing link's line is
# rendered only when its reason's message is read (messages.Lines), as every message is.

Judged = tuple[Decision, list[str]]  # a link's decision and its failing codes


def decide_certificate(snapshot: Snapshot, *, subject: str, on: dt.date, lang: str = "en") -> Decision:
    """Is certificate SUBJECT valid on ON, and was each link of its chain eligible when it was made?"""
    try:
        certificate = snapshot.certificates[subject]
    except KeyError:
        raise UnknownFact("subject", subject) from None
    code = certificate.product_type
    key = snapshot.key_of(code)
    reasons = Reasons("certificate", lang)
    status, since = certificate_status(certificate, on)
    _valid(reasons, certificate, status, since, on)
    catalogue_reason(reasons, snapshot, code, on)
    issuer_designation = _issuer_designated(reasons, snapshot, certificate, code, key)
    _chain_before_issue(reasons, certificate)
    # Each link's judgement as (decision, its failing codes), the codes listed once: they are read
    # several times below.
    report_decisions: list[Judged] = []
    for report in certificate.test_reports:
        decision = decide_testing(
            snapshot, subject=report.laboratory, product_type=code, on=report.issued, lang=lang
        )
        report_decisions.append((decision, decision.failing))
    _reports_eligible(reasons, certificate, report_decisions, code)
    _reports_for_issuer(reasons, snapshot, certificate, code, key)
    inspector_decisions: list[list[Judged]] = []
    if certificate.factory_inspections:
        # The inspectors of one inspection share its organisation's conditions: judged once for them.
        for inspection in certificate.factory_inspections:
            judged: list[Judged] = []
            for decision in decide_inspection_for(
                snapshot,
                subjects=inspection.inspectors,
                org=inspection.organisation,
                product_type=code,
                on=inspection.on,
                lang=lang,
            ):
                judged.append((decision, decision.failing))
            inspector_decisions.append(judged)
        _inspectors_eligible(reasons, certificate, inspector_decisions, code)
        _inspection_for_issuer(reasons, snapshot, certificate, code, key)
    notices: tuple[Notice, ...] = ()
    if on >= certificate.issued:
        notices = _notices(
            snapshot,
            certificate,
            code,
            key,
            on,
            lang,
            issuer_designation,
            report_decisions,
            inspector_decisions,
        )
    return new_decision("certificate", code, reasons.done(), subject, None, on, lang, status, notices)


# --- the certificate --------------------------------------------------------------------------------


def _valid(reasons: Reasons, certificate: Certificate, status: str, since: dt.date, on: dt.date) -> None:
    """CERTIFICATE_VALID: the status on the day is `valid`."""
    params = {
        "certificate": certificate.id,
        "on": on,
        "issued": certificate.issued,
        "expires": certificate.expires,
        "since": since,
    }
    if status == VALID:
        reasons.add("CERTIFICATE_VALID", True, "CERTIFICATE_VALID.held", (certificate.id,), **params)
    else:
        reasons.add(
            "CERTIFICATE_VALID", False, f"CERTIFICATE_VALID.failed.{status}", (certificate.id,), **params
        )


def _issuer_designated(
    reasons: Reasons, snapshot: Snapshot, certificate: Certificate, code: str, key: str
) -> Designation | None:
    """ISSUER_DESIGNATED: designated as a certification body for the type on the day of `issued`."""
    found = designated(snapshot, certificate.issuer, CERTIFICATION_BODY, key, certificate.issued)
    params = {
        "issuer": certificate.issuer,
        "code": code,
        "issued": certificate.issued,
        "certificate": certificate.id,
    }
    if found is not None:
        reasons.add(
            "ISSUER_DESIGNATED", True, "ISSUER_DESIGNATED.held", (found.id,), designation=found.id, **params
        )
    else:
        reasons.add("ISSUER_DESIGNATED", False, "ISSUER_DESIGNATED.failed", (certificate.issuer,), **params)
    return found


# --- the chain ---------------------------------------------------------------------------------------


def _chain_before_issue(reasons: Reasons, certificate: Certificate) -> None:
    """CHAIN_BEFORE_ISSUE: every report issued, and every inspection made, on or before `issued`."""
    issued = certificate.issued
    judged: list[str] = []
    late: list[tuple[str, dt.date]] = []
    for report in certificate.test_reports:
        judged.append(report.id)
        if report.issued > issued:
            late.append((report.id, report.issued))
    for inspection in certificate.factory_inspections:
        judged.append(inspection.id)
        if inspection.on > issued:
            late.append((inspection.id, inspection.on))
    if not late:
        reasons.add(
            "CHAIN_BEFORE_ISSUE",
            True,
            "CHAIN_BEFORE_ISSUE.held",
            tuple(judged),
            certificate=certificate.id,
            issued=issued,
        )
        return
    reasons.add(
        "CHAIN_BEFORE_ISSUE",
        False,
        "CHAIN_BEFORE_ISSUE.failed",
        tuple(record for record, _ in late),
        certificate=certificate.id,
        issued=issued,
        records=messages.Lines(
            [("CHAIN_BEFORE_ISSUE.failed.item", {"record": record, "day": day}) for record, day in late],
            reasons.lang,
        ),
    )


Items = list[tuple[str, dict[str, Any]]]  # a line per failing link: (message key, params)


def _every(
    reasons: Reasons,
    condition: str,
    judged: list[str],
    failing: list[str],
    items: Items,
    listed: str,
    **params: Any,
) -> None:
    """A condition on every report or inspection: it holds naming those judged (in the certificate's
    order), or fails naming the failing ones with a line each (`items`, rendered when read)."""
    if not failing:
        params[listed] = messages.join(judged, reasons.lang)
        reasons.add(condition, True, f"{condition}.held", tuple(judged), **params)
    else:
        params[listed] = messages.Lines(items, reasons.lang)
        reasons.add(condition, False, f"{condition}.failed", tuple(failing), **params)


def _reports_eligible(reasons: Reasons, certificate: Certificate, decisions: list[Judged], code: str) -> None:
    """REPORTS_ELIGIBLE: every report's laboratory is allowed by `testing` on the report's day."""
    judged: list[str] = []
    failing: list[str] = []
    items: Items = []
    for report, (_, codes) in zip(certificate.test_reports, decisions, strict=True):
        judged.append(report.id)
        if codes:
            failing.append(report.id)
            items.append(
                (
                    "REPORTS_ELIGIBLE.failed.item",
                    {
                        "report": report.id,
                        "laboratory": report.laboratory,
                        "day": report.issued,
                        "failing": ", ".join(codes),
                    },
                )
            )
    _every(reasons, "REPORTS_ELIGIBLE", judged, failing, items, "reports", code=code)


def _agreement_with(snapshot: Snapshot, party: str, kind: str, issuer: str, key: str, day: dt.date) -> bool:
    """Whether `party` had an agreement of `kind` with `issuer` covering the type in force on `day`."""
    for a in snapshot.agreements.get(party, ()):
        if a.kind == kind and a.counterparty == issuer and key in a.product_types and a.in_force(day):
            return True
    return False


def _reports_for_issuer(
    reasons: Reasons, snapshot: Snapshot, certificate: Certificate, code: str, key: str
) -> None:
    """REPORTS_FOR_ISSUER: every report was made for the issuer, and a Hong Kong laboratory's under a
    testing agreement with the issuer in force on the report's day covering the type."""
    issuer = certificate.issuer
    judged: list[str] = []
    items: Items = []
    failing: list[str] = []
    for report in certificate.test_reports:
        judged.append(report.id)
        if report.certification_body != issuer:
            failing.append(report.id)
            items.append(
                (
                    "REPORTS_FOR_ISSUER.failed.other_body",
                    {"report": report.id, "body": report.certification_body},
                )
            )
            continue
        laboratory = snapshot.organisations.get(report.laboratory)
        if (
            laboratory is not None
            and laboratory.seat == HK
            and not _agreement_with(snapshot, report.laboratory, TESTING, issuer, key, report.issued)
        ):
            failing.append(report.id)
            items.append(
                (
                    "REPORTS_FOR_ISSUER.failed.no_agreement",
                    {
                        "report": report.id,
                        "laboratory": report.laboratory,
                        "issuer": issuer,
                        "code": code,
                        "day": report.issued,
                    },
                )
            )
    _every(reasons, "REPORTS_FOR_ISSUER", judged, failing, items, "reports", issuer=issuer)


def _inspectors_eligible(
    reasons: Reasons, certificate: Certificate, decisions: list[list[Judged]], code: str
) -> None:
    """INSPECTORS_ELIGIBLE: every inspector of every inspection is allowed by `inspection` for the
    inspecting organisation on the inspection's day."""
    judged: list[str] = []
    failing: list[str] = []
    items: Items = []
    for inspection, inspection_decisions in zip(certificate.factory_inspections, decisions, strict=True):
        judged.append(inspection.id)
        refused = False
        for decision, codes in inspection_decisions:
            if codes:
                refused = True
                items.append(
                    (
                        "INSPECTORS_ELIGIBLE.failed.item",
                        {
                            "inspection": inspection.id,
                            "inspector": decision.subject,
                            "org": inspection.organisation,
                            "day": inspection.on,
                            "failing": ", ".join(codes),
                        },
                    )
                )
        if refused:
            failing.append(inspection.id)
    _every(reasons, "INSPECTORS_ELIGIBLE", judged, failing, items, "inspections", code=code)


def _inspection_for_issuer(
    reasons: Reasons, snapshot: Snapshot, certificate: Certificate, code: str, key: str
) -> None:
    """INSPECTION_FOR_ISSUER: every inspection made on behalf of the issuer, by the issuer itself or by
    the party of a factory inspection agreement with it in force on that day covering the type."""
    issuer = certificate.issuer
    judged: list[str] = []
    failing: list[str] = []
    items: Items = []
    for inspection in certificate.factory_inspections:
        judged.append(inspection.id)
        if inspection.on_behalf_of != issuer:
            failing.append(inspection.id)
            items.append(
                (
                    "INSPECTION_FOR_ISSUER.failed.other_body",
                    {"inspection": inspection.id, "body": inspection.on_behalf_of},
                )
            )
        elif inspection.organisation != issuer and not _agreement_with(
            snapshot, inspection.organisation, FACTORY_INSPECTION, issuer, key, inspection.on
        ):
            failing.append(inspection.id)
            items.append(
                (
                    "INSPECTION_FOR_ISSUER.failed.no_agreement",
                    {
                        "inspection": inspection.id,
                        "org": inspection.organisation,
                        "issuer": issuer,
                        "code": code,
                        "day": inspection.on,
                    },
                )
            )
    _every(reasons, "INSPECTION_FOR_ISSUER", judged, failing, items, "inspections", issuer=issuer)


# --- notices -----------------------------------------------------------------------------------------


def _no_longer(decision: Decision) -> list[str]:
    """The codes for which a decision refuses, other than the catalogue (whose end is a condition)."""
    return [reason.code for reason in decision.reasons if not reason.holds and reason.code != CATALOGUE]


def _notices(
    snapshot: Snapshot,
    certificate: Certificate,
    code: str,
    key: str,
    on: dt.date,
    lang: str,
    issuer_designation: Designation | None,
    report_decisions: list[Judged],
    inspector_decisions: list[list[Judged]],
) -> tuple[Notice, ...]:
    """Links eligible when made but not on ON, in the order issuer, reports, inspections."""
    notices: list[Notice] = []
    issuer = certificate.issuer
    if issuer_designation is not None and designated(snapshot, issuer, CERTIFICATION_BODY, key, on) is None:
        notices.append(
            Notice(
                "ISSUER_NO_LONGER_DESIGNATED",
                (issuer,),
                "ISSUER_NO_LONGER_DESIGNATED.notice",
                {"issuer": issuer, "code": code, "on": on, "designation": issuer_designation.id},
                lang,
            )
        )
    for report, (_, refused_then) in zip(certificate.test_reports, report_decisions, strict=True):
        if refused_then:
            continue
        now = decide_testing(snapshot, subject=report.laboratory, product_type=code, on=on, lang=lang)
        failing = _no_longer(now)
        if failing:
            notices.append(
                Notice(
                    "LABORATORY_NO_LONGER_ELIGIBLE",
                    (report.id, report.laboratory),
                    "LABORATORY_NO_LONGER_ELIGIBLE.notice",
                    {
                        "report": report.id,
                        "laboratory": report.laboratory,
                        "code": code,
                        "on": on,
                        "failing": ", ".join(failing),
                    },
                    lang,
                )
            )
    for inspection, decisions in zip(certificate.factory_inspections, inspector_decisions, strict=True):
        # The decisions are in the inspection's order of inspectors.
        eligible_then = [
            inspector
            for inspector, (_, refused_then) in zip(inspection.inspectors, decisions, strict=True)
            if not refused_then
        ]
        if not eligible_then:
            continue
        nows = decide_inspection_for(
            snapshot,
            subjects=eligible_then,
            org=inspection.organisation,
            product_type=code,
            on=on,
            lang=lang,
        )
        for now in nows:
            inspector = now.subject
            assert inspector is not None
            failing = _no_longer(now)
            if failing:
                notices.append(
                    Notice(
                        "INSPECTOR_NO_LONGER_ELIGIBLE",
                        (inspection.id, inspector),
                        "INSPECTOR_NO_LONGER_ELIGIBLE.notice",
                        {
                            "inspection": inspection.id,
                            "inspector": inspector,
                            "org": inspection.organisation,
                            "code": code,
                            "on": on,
                            "failing": ", ".join(failing),
                        },
                        lang,
                    )
                )
    return tuple(notices)
