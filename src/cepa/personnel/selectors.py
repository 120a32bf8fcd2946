"""Public reads of inspectors. Personal data (date of birth, identity document, email, phone) never
leaves this module: `inspector_public_record` is the only representation the API gives."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from cepa.accounts import permissions
from cepa.bodies.selectors import names
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent, InspectorStatus

BEIJING = ZoneInfo("Asia/Shanghai")
# Of events on the same day, the gravest applies last (cancellation is final).
_STATUS_WEIGHT = {InspectorStatus.ACTIVE: 0, InspectorStatus.SUSPENDED: 1, InspectorStatus.CANCELLED: 2}


def beijing_today() -> dt.date:
    return timezone.localdate(timezone=BEIJING)


def status_and_grade_on(inspector: Inspector, events: list[InspectorEvent], day: dt.date) -> tuple[str, str]:
    """The status and grade on `day`: set by the latest event on or before it that sets them."""
    status, grade = InspectorStatus.ACTIVE.value, inspector.grade
    ordered = sorted(
        (e for e in events if e.on <= day), key=lambda e: (e.on, _STATUS_WEIGHT.get(e.status, 0), e.position)
    )
    for event in ordered:
        if event.status and status != InspectorStatus.CANCELLED:
            status = event.status
        if event.grade:
            grade = event.grade
    return status, grade


def affiliation_record(affiliation: Affiliation) -> dict[str, Any]:
    result: dict[str, Any] = {
        "organisation": affiliation.organisation_id,
        "from": affiliation.valid_from.isoformat(),
    }
    if affiliation.valid_until:
        result["until"] = affiliation.valid_until.isoformat()
    return result


def inspector_public_record(inspector: Inspector, on: dt.date | None = None) -> dict[str, Any]:
    """The public fields, plus status, grade and organisation on `on` (today in Beijing by default)."""
    day = on or beijing_today()
    affiliations = list(inspector.affiliations.all())
    status, grade = status_and_grade_on(inspector, list(inspector.events.all()), day)
    current = next(
        (a for a in affiliations if a.valid_from <= day and (a.valid_until is None or day <= a.valid_until)),
        None,
    )
    return {
        "id": inspector.id,
        "name": names(inspector),
        "grade": inspector.grade,
        "specialties": list(inspector.specialties),
        "registered": inspector.registered.isoformat(),
        "expires": inspector.expires.isoformat(),
        "affiliations": [affiliation_record(a) for a in affiliations],
        "status": status,
        "current_grade": grade,
        "registration_valid": inspector.registered <= day <= inspector.expires,
        "organisation": current.organisation_id if current else None,
        "as_of": day.isoformat(),
    }


def inspectors(user: Any, *, organisation: str | None = None, q: str | None = None) -> QuerySet[Inspector]:
    """Inspectors (public fields only are loaded); `organisation` keeps those affiliated with it today."""
    queryset = (
        permissions.inspectors_visible_to(user)
        .only(
            "id", "name_en", "name_zh_hant", "name_zh_hans", "grade", "specialties", "registered", "expires"
        )
        .prefetch_related("affiliations", "events")
    )
    if organisation:
        today = beijing_today()
        current = Affiliation.objects.filter(
            Q(organisation_id=organisation, valid_from__lte=today)
            & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        )
        queryset = queryset.filter(pk__in=current.values("inspector_id"))
    if q:
        queryset = queryset.filter(
            Q(id__icontains=q)
            | Q(name_en__icontains=q)
            | Q(name_zh_hant__icontains=q)
            | Q(name_zh_hans__icontains=q)
        )
    return queryset.order_by("id")


def inspector(user: Any, record_id: str) -> Inspector | None:
    return inspectors(user).filter(pk=record_id).first()
