"""Public reads of inspectors. Personal data (date of birth, identity document, email, phone) is not
part of the interchange record and never leaves the registry through these selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from cepa.accounts import permissions
from cepa.bodies.selectors import registry_records
from cepa.personnel.models import Affiliation, Inspector
from cepa.rules import engine, facts

BEIJING = ZoneInfo("Asia/Shanghai")
# The record's fields that are public (events and their reasons are not shown).
PUBLIC_FIELDS = ("id", "name", "grade", "specialties", "registered", "expires", "affiliations")


def beijing_today() -> dt.date:
    return timezone.localdate(timezone=BEIJING)


def _fact(record: dict[str, Any]) -> facts.Inspector:
    date = dt.date.fromisoformat
    return facts.Inspector(
        id=record["id"],
        grade=record["grade"],
        specialties=frozenset(record["specialties"]),
        registered=date(record["registered"]),
        expires=date(record["expires"]),
        affiliations=tuple(
            facts.Affiliation(
                a["organisation"], date(a["from"]), date(a["until"]) if a.get("until") else None
            )
            for a in record["affiliations"]
        ),
        events=tuple(
            facts.InspectorEvent(date(e["on"]), e.get("status", ""), e.get("grade", ""))
            for e in record.get("events", [])
        ),
    )


def public_record(record: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The public fields of an interchange inspector record, with status, grade and body on `day`."""
    inspector = _fact(record)
    current = next((a for a in inspector.affiliations if a.covers(day)), None)
    return {
        **{key: record[key] for key in PUBLIC_FIELDS},
        "status": engine.inspector_status(inspector, day)[0],
        "current_grade": engine.inspector_grade(inspector, day),
        "registration_valid": inspector.registered <= day <= inspector.expires,
        "organisation": current.organisation if current else None,
        "as_of": day.isoformat(),
    }


def public_records(ids: Sequence[str], day: dt.date | None = None) -> list[dict[str, Any]]:
    today = day or beijing_today()
    return [public_record(record, today) for record in registry_records("inspectors", ids)]


def inspectors(user: Any, *, organisation: str | None = None, q: str | None = None) -> QuerySet[Inspector]:
    """Inspectors; `organisation` keeps those affiliated with it today (Beijing time)."""
    queryset = permissions.inspectors_visible_to(user)
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


def inspector(user: Any, record_id: str) -> dict[str, Any] | None:
    """The public record of a visible inspector."""
    ids = list(inspectors(user).filter(pk=record_id).values_list("pk", flat=True))
    records = public_records(ids)
    return records[0] if records else None
