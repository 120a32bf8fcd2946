"""Where records stand on a date, shared by the questions: an accreditation's status for a product type,
an inspector's status and grade, a body's designation in force, and a type's catalogue membership.
Product types are canonical keys here (see `facts`), except where a function says it takes the code
asked about."""

from __future__ import annotations

import datetime as dt

from cepa.rules.decision import Reasons, UnknownFact
from cepa.rules.facts import (
    ACTIVE,
    CANCELLED,
    EXPIRED,
    NOT_YET_VALID,
    REVOKED,
    SUSPENDED,
    VALID,
    WITHDRAWN,
    Accreditation,
    Certificate,
    Designation,
    Inspector,
    Organisation,
    Snapshot,
)

_ACCREDITATION_ORDER = {ACTIVE: 0, SUSPENDED: 1, WITHDRAWN: 2}
# Of an inspector's status events on one day, the highest counts; cepa.personnel.selectors.status_on
# states the same rule in SQL with this order.
INSPECTOR_STATUS_ORDER = {ACTIVE: 0, SUSPENDED: 1, CANCELLED: 2}
# Of a certificate's events on one day, the first in this order counts (contract §1, rev. 2).
_CERTIFICATE_PRECEDENCE = {REVOKED: 0, CANCELLED: 1, SUSPENDED: 2, VALID: 3}
_CERTIFICATE_FINAL = frozenset({REVOKED, CANCELLED})


def certificate_status(certificate: Certificate, day: dt.date) -> tuple[str, dt.date]:
    """A certificate's status on `day` and the day that status began (contract §1, rev. 2).

    `not_yet_valid` before `issued` (since: `issued`, the day it becomes valid) and `expired` after
    `expires` (since: the day after it), whatever the events say. Between them, the latest event on or
    before `day` sets it (`valid` without one); of several events on one day, the first in the order
    revoked, cancelled, suspended, valid counts; after a revoked or cancelled event nothing changes it.
    """
    if day < certificate.issued:
        return NOT_YET_VALID, certificate.issued
    if day > certificate.expires:
        return EXPIRED, certificate.expires + dt.timedelta(days=1)
    by_day: dict[dt.date, str] = {}
    for event in certificate.events:
        if event.on <= day:
            current = by_day.get(event.on)
            if current is None or _CERTIFICATE_PRECEDENCE.get(event.status, 9) < _CERTIFICATE_PRECEDENCE.get(
                current, 9
            ):
                by_day[event.on] = event.status
    status, since = VALID, certificate.issued
    for on in sorted(by_day):
        if by_day[on] != status:
            status, since = by_day[on], on
        if status in _CERTIFICATE_FINAL:
            break
    return status, since


def accreditation_status(accreditation: Accreditation, code: str, day: dt.date) -> tuple[str, dt.date]:
    """The status of the product type `code` (its key) under `accreditation` on `day`, and the day
    that status began.

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
    if not inspector.events:  # the usual case
        return ACTIVE, inspector.registered
    events = sorted(
        (e for e in inspector.events if e.status and e.on <= day),
        key=lambda e: (e.on, INSPECTOR_STATUS_ORDER.get(e.status, 0)),
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
    if not inspector.events:  # the usual case
        return grade
    # sorted() is stable: events of the same day keep the order they were given in.
    for event in sorted((e for e in inspector.events if e.grade and e.on <= day), key=lambda e: e.on):
        grade = event.grade
    return grade


def designated(
    snapshot: Snapshot, organisation: str, role: str, code: str, day: dt.date
) -> Designation | None:
    """The organisation's designation in `role` for the product type `code` (its key) in force on `day`
    (smallest id), if any."""
    for designation in snapshot.designations.get(organisation, ()):
        if designation.role == role and code in designation.product_types and designation.in_force(day):
            return designation
    return None


def known_organisation(snapshot: Snapshot, field_name: str, identifier: str) -> Organisation:
    """The organisation a question names in `field_name`; UnknownFact when the snapshot lacks it."""
    try:
        return snapshot.organisations[identifier]
    except KeyError:
        raise UnknownFact(field_name, identifier) from None


def catalogue_reason(reasons: Reasons, snapshot: Snapshot, code: str, day: dt.date) -> None:
    """PRODUCT_IN_CATALOGUE: one of the type's periods in the catalogue holds `day`; when none does, say
    whether it is yet to come in, was removed, or is between two periods. `instrument` (for the basis)
    is the one that brought the type in for the period holding the day, else the one that took it out
    before the day, else the one that brings it in after."""
    product_type = snapshot.catalogue.get(code)
    if product_type is None:
        reasons.add("PRODUCT_IN_CATALOGUE", False, "PRODUCT_IN_CATALOGUE.failed", (code,), code=code, on=day)
        return
    periods = product_type.periods
    # A loop rather than a generator: the usual single period is then judged several times quicker.
    for period in periods:
        if period.covers(day):
            reasons.add(
                "PRODUCT_IN_CATALOGUE",
                True,
                "PRODUCT_IN_CATALOGUE.held",
                (code,),
                code=code,
                on=day,
                instrument=period.started_by,
            )
            return
    ended = [p for p in periods if p.until is not None and p.until < day]
    upcoming = [p for p in periods if p.start > day]
    if ended:
        last = ended[-1]
        assert last.until is not None
        removed = last.until + dt.timedelta(days=1)
        if upcoming:
            key, extra = "PRODUCT_IN_CATALOGUE.failed.between", {"opens": upcoming[0].start}
        else:
            key, extra = "PRODUCT_IN_CATALOGUE.failed.removed", {}
        reasons.add(
            "PRODUCT_IN_CATALOGUE",
            False,
            key,
            (code,),
            code=code,
            on=day,
            removed=removed,
            instrument=last.ended_by,
            **extra,
        )
    elif upcoming:
        reasons.add(
            "PRODUCT_IN_CATALOGUE",
            False,
            "PRODUCT_IN_CATALOGUE.failed.not_yet",
            (code,),
            code=code,
            on=day,
            opens=upcoming[0].start,
            instrument=upcoming[0].started_by,
        )
    else:
        reasons.add("PRODUCT_IN_CATALOGUE", False, "PRODUCT_IN_CATALOGUE.failed", (code,), code=code, on=day)
