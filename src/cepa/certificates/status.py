"""A certificate's status on a date (contract rev. 2, §1), in Python and as SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from cepa.certificates.models import CertificateEvent, CertificateStatus

FINAL = ("revoked", "cancelled")
# Of several events on one day, the first in this order counts (§1).
PRIORITY = {"revoked": 0, "cancelled": 1, "suspended": 2, "valid": 3}


# --- status on a date ------------------------------------------------------------------------------


def status_on(issued: dt.date, expires: dt.date, events: Iterable[tuple[dt.date, str]], day: dt.date) -> str:
    """The status on `day` (§1): not_yet_valid before `issued`, expired after `expires`, else set by the
    events on or before the day (revoked and cancelled are final), valid without one."""
    if day < issued:
        return CertificateStatus.NOT_YET_VALID.value
    if day > expires:
        return CertificateStatus.EXPIRED.value
    chosen: dict[dt.date, str] = {}
    for on, status in events:
        if on <= day and (on not in chosen or PRIORITY[status] < PRIORITY[chosen[on]]):
            chosen[on] = status
    current = CertificateStatus.VALID.value
    for on in sorted(chosen):
        current = chosen[on]
        if current in FINAL:
            break  # no later event has effect
    return current


def _priority() -> Case:
    return Case(
        *(When(status=status, then=Value(rank)) for status, rank in PRIORITY.items()),
        output_field=IntegerField(),
    )


def status_expression(day: dt.date) -> Case:
    """The status on `day` as SQL, for annotating and filtering many certificates at once."""
    events = CertificateEvent.objects.filter(certificate=OuterRef("pk"), on__lte=day).annotate(
        rank=_priority()
    )
    final = events.filter(status__in=FINAL).order_by("on", "rank").values("status")[:1]
    latest = events.order_by("-on", "rank").values("status")[:1]
    return Case(
        When(issued__gt=day, then=Value(CertificateStatus.NOT_YET_VALID.value)),
        When(expires__lt=day, then=Value(CertificateStatus.EXPIRED.value)),
        default=Coalesce(
            Subquery(final), Subquery(latest), Value(CertificateStatus.VALID.value), output_field=CharField()
        ),
        output_field=CharField(),
    )


def valid_on(day: dt.date) -> Q:
    """Certificates whose status on `day` is valid, as a filter (no annotation: the planner can use it
    as a semi-join)."""
    events = CertificateEvent.objects.filter(certificate=OuterRef("pk"), on__lte=day)
    later_valid = CertificateEvent.objects.filter(
        certificate=OuterRef(OuterRef("pk")), on__lte=day, on__gt=OuterRef("on"), status="valid"
    )
    # Suspended and not valid again on a later day (a same-day valid loses to the suspension).
    still_suspended = events.filter(status="suspended").exclude(Exists(later_valid))
    return (
        Q(issued__lte=day, expires__gte=day)
        & ~Exists(events.filter(status__in=FINAL))
        & ~Exists(still_suspended)
    )
