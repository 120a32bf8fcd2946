"""The cascade: current certificates whose chain holds a link that is no longer eligible (an
accreditation suspended or withdrawn, a designation ended, an inspector suspended or cancelled, an
agreement terminated), for the people who act on it: the issuer (portal, reminders) and the officers
(workbench). Certificates affected, since when, by what.

Computed from the `certificate` decision's notices, asked only of the candidates: the current
certificates citing a laboratory or an inspector that the `testing` or `inspection` decision refuses on
the day (decided for every body at once, one snapshot per product type), or issued by a body not
designated on the day. A few queries per product type, then one decision per candidate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from cepa.bodies.models import DesignationRole, DesignationScope
from cepa.catalogue.selectors import same_type
from cepa.certificates.models import (
    Certificate,
    CertificateInspection,
    CertificateReport,
    InspectionInspector,
)
from cepa.certificates.status import valid_on
from cepa.decisions import since
from cepa.decisions.services import decide, inspection_for_all, testing_for_all
from cepa.decisions.terms import beijing_date
from cepa.reminders.services import Planned

ISSUER = "ISSUER_NO_LONGER_DESIGNATED"
LABORATORY = "LABORATORY_NO_LONGER_ELIGIBLE"
INSPECTOR = "INSPECTOR_NO_LONGER_ELIGIBLE"


@dataclass(frozen=True)
class Affected:
    """One notice on one current certificate."""

    certificate: str
    issuer: str
    holder: str
    product_type: str
    code: str  # the notice's code
    message: str  # the notice, in the language asked
    refs: tuple[str, ...]
    since: dt.date | None  # the first day the link has been no longer eligible
    by: tuple[tuple[str, str, tuple[str, ...]], ...]  # the failing reasons: (code, message, refs)


def _refused_links(
    product_types: set[str], day: dt.date
) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """(product type, laboratory) refused `testing`, (product type, inspector, org) refused `inspection`."""
    laboratories: set[tuple[str, str]] = set()
    inspectors: set[tuple[str, str, str]] = set()
    for product_type in sorted(product_types):
        for decision in testing_for_all(product_type, day):
            if not decision.allowed and decision.subject is not None:
                laboratories.add((product_type, decision.subject))
        for decision in inspection_for_all(product_type, day):
            if not decision.allowed and decision.subject is not None and decision.org is not None:
                inspectors.add((product_type, decision.subject, decision.org))
    return laboratories, inspectors


def _designated(pairs: set[tuple[str, str]], day: dt.date) -> set[tuple[str, str]]:
    """Those (product type, issuer) pairs where the issuer is a designated certification body on `day`."""
    found: set[tuple[str, str]] = set()
    for product_type in {pt for pt, _ in pairs}:
        issuers = {issuer for pt, issuer in pairs if pt == product_type}
        rows = DesignationScope.objects.filter(
            designation__valid_from__lte=day,
            designation__organisation_id__in=issuers,
            designation__role=DesignationRole.CERTIFICATION_BODY,
            product_type__in=sorted(same_type([product_type])),
        ).values_list("designation__organisation_id", "designation__valid_until")
        found.update((product_type, issuer) for issuer, until in rows if until is None or until >= day)
    return found


def candidates(day: dt.date, issuer: str | None = None) -> list[str]:
    """The numbers of the certificates valid on `day` (of `issuer`, if given) that may hold a notice."""
    current = Certificate.objects.filter(valid_on(day))
    if issuer is not None:
        current = current.filter(issuer_id=issuer)
    rows = list(current.values_list("id", "issuer_id", "product_type"))
    if not rows:
        return []
    numbers = [number for number, _, _ in rows]
    product_type = {number: pt for number, _, pt in rows}
    laboratories, inspectors = _refused_links({pt for _, _, pt in rows}, day)
    designated = _designated({(pt, body) for _, body, pt in rows}, day)
    chosen = {number for number, body, pt in rows if (pt, body) not in designated}
    for number, laboratory in CertificateReport.objects.filter(certificate_id__in=numbers).values_list(
        "certificate_id", "test_report__laboratory_id"
    ):
        if (product_type[number], laboratory) in laboratories:
            chosen.add(number)
    links = CertificateInspection.objects.filter(certificate_id__in=numbers).values_list(
        "certificate_id", "inspection_id", "inspection__organisation_id"
    )
    by_inspection: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for number, inspection, org in links:
        by_inspection[inspection].append((number, org))
    for inspection, inspector in InspectionInspector.objects.filter(
        inspection_id__in=list(by_inspection)
    ).values_list("inspection_id", "inspector_id"):
        for number, org in by_inspection[inspection]:
            if (product_type[number], inspector, org) in inspectors:
                chosen.add(number)
    return sorted(chosen)


def _issuer_since(issuer: str, product_type: str, day: dt.date) -> dt.date | None:
    ended = DesignationScope.objects.filter(
        designation__organisation_id=issuer,
        designation__role=DesignationRole.CERTIFICATION_BODY,
        product_type__in=sorted(same_type([product_type])),
        designation__valid_until__lt=day,
    ).aggregate(last=Max("designation__valid_until"))["last"]
    return ended + dt.timedelta(days=1) if ended else None


def affected(
    day: dt.date, issuer: str | None = None, lang: str = "en", number: str | None = None
) -> list[Affected]:
    """Every notice on the certificates valid on `day` (of `issuer`, if given; only certificate `number`,
    if given), by certificate number."""
    if number is not None:
        current = Certificate.objects.filter(valid_on(day), pk=number)
        numbers = list(current.values_list("id", flat=True))
    else:
        numbers = candidates(day, issuer)
    found: list[Affected] = []
    changes: dict[tuple[Any, ...], since.Change] = {}
    certificates = {
        c.pk: c
        for c in Certificate.objects.filter(pk__in=numbers).prefetch_related("report_links__test_report")
    }
    made_on = dict(
        CertificateInspection.objects.filter(certificate_id__in=numbers).values_list(
            "inspection_id", "inspection__on"
        )
    )
    org_of = dict(
        CertificateInspection.objects.filter(certificate_id__in=numbers).values_list(
            "inspection_id", "inspection__organisation_id"
        )
    )
    for number in numbers:
        certificate = certificates[number]
        decision = decide("certificate", subject=number, on=day, lang=lang)
        reports = {link.test_report_id: link.test_report for link in certificate.report_links.all()}
        for notice in decision.notices:
            refs = tuple(notice.refs)
            change: since.Change | None = None
            if notice.code == LABORATORY and refs[0] in reports:
                report = reports[refs[0]]
                key: tuple[Any, ...] = ("lab", refs[1], certificate.product_type, report.issued)
                if key not in changes:
                    changes[key] = since.laboratory_change(
                        refs[1], certificate.product_type, report.issued, day, lang
                    )
                change = changes[key]
            elif notice.code == INSPECTOR and refs[0] in made_on:
                key = ("inspector", refs[1], org_of[refs[0]], certificate.product_type, made_on[refs[0]])
                if key not in changes:
                    changes[key] = since.inspector_change(
                        refs[1], org_of[refs[0]], certificate.product_type, made_on[refs[0]], day, lang
                    )
                change = changes[key]
            when = (
                change.since
                if change
                else _issuer_since(certificate.issuer_id, certificate.product_type, day)
            )
            found.append(
                Affected(
                    certificate=number,
                    issuer=certificate.issuer_id,
                    holder=certificate.holder_en,
                    product_type=certificate.product_type,
                    code=notice.code,
                    message=notice.message,
                    refs=refs,
                    since=when,
                    by=change.failing if change else (),
                )
            )
    return found


# --- the reminders: the issuer is told once of each link that stopped being eligible --------------


def affected_reminders(now: dt.datetime) -> Iterator[Planned]:
    """One reminder per issuer and link that is no longer eligible (its key names them and the day it
    stopped), listing the issuer's current certificates resting on it; a key already scheduled is not
    scheduled again (cepa.reminders), so the issuer is told once."""
    day = beijing_date(now)
    grouped: dict[tuple[str, str, str, str], list[Affected]] = defaultdict(list)
    for item in affected(day):
        link = item.refs[-1]  # the laboratory, the inspector, or the issuer itself
        grouped[(item.issuer, item.code, link, item.since.isoformat() if item.since else "")].append(item)
    for (issuer, code, link, when), items in sorted(grouped.items()):
        yield Planned(
            key=f"certificate-chain:{issuer}:{code}:{link}:{when}",
            due=now,
            kind="certificate_chain",
            organisation=issuer,
            context={
                "code": code,
                "link": link,
                "since": when or None,
                "certificates": sorted({item.certificate for item in items}),
                "notices": sorted({item.message for item in items}),
            },
        )
