"""Where records stand on a date, shared by the questions: an accreditation's status for a code, an
inspector's status and grade, a body's designation in force, and a code's catalogue membership."""

from __future__ import annotations

import datetime as dt

from cepa.rules.decision import Reasons, UnknownFact
from cepa.rules.facts import (
    ACTIVE,
    CANCELLED,
    SUSPENDED,
    WITHDRAWN,
    Accreditation,
    Designation,
    Inspector,
    Organisation,
    Snapshot,
)

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


def designated(
    snapshot: Snapshot, organisation: str, role: str, code: str, day: dt.date
) -> Designation | None:
    """The organisation's designation in `role` for `code` in force on `day` (smallest id), if any."""
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


def in_catalogue(snapshot: Snapshot, code: str, day: dt.date) -> bool:
    """The code is in the catalogue on `day`: one of its periods holds the day."""
    # A loop rather than any() over a generator: several times quicker for the usual single entry.
    for entry in snapshot.catalogue.get(code, ()):  # noqa: SIM110
        if entry.in_catalogue(day):
            return True
    return False


def catalogue_reason(reasons: Reasons, snapshot: Snapshot, code: str, day: dt.date) -> None:
    """PRODUCT_IN_CATALOGUE: the code is in the catalogue on `day`; when not, say whether it is yet
    to come in or was removed."""
    if in_catalogue(snapshot, code, day):
        reasons.add("PRODUCT_IN_CATALOGUE", True, "PRODUCT_IN_CATALOGUE.held", [code], code=code, on=day)
        return
    entries = snapshot.catalogue.get(code, ())
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
