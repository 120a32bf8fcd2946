"""Writes of accreditations by HKAS: a dated status change (suspension, reinstatement, withdrawal) of a
whole accreditation or part of its scope.

The other writes of the bodies' records go through the interchange importer (cepa.interchange); this
one adds a single event as the officer decides it, validated like an imported one (contract §1: the
event's scope lies within the accreditation's; withdrawal is final), and recorded in the history in the
same transaction as the change, before and after in interchange shape.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from cepa.accounts import permissions
from cepa.bodies.models import Accreditation, AccreditationEvent, AccreditationStatus
from cepa.bodies.records import ACCREDITATIONS
from cepa.dates import bounded
from cepa.decisions.selectors import accreditation_statuses
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotFound, role_may_not
from cepa.history.services import RecordChange, record_changes

MAX_REASON = 5000


def check_may_change_accreditations(*, user: Any) -> None:
    """403 unless `user` may change accreditations' status (`user=None` is the operator, who may)."""
    if user is not None and not permissions.can(user, "accreditations.change_status"):
        raise role_may_not(permissions.role_of(user), "change the status of accreditations")


def _day(value: Any) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput("on", f"{value!r} is not a date (YYYY-MM-DD)")
    return bounded("on", value)


def _reason(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("reason", "is required")
    value = value.strip()
    if len(value) > MAX_REASON or "\x00" in value:
        raise InvalidInput("reason", f"must be at most {MAX_REASON} characters of text")
    return value


def record_accreditation_event(
    *,
    actor: str,
    user: Any,
    accreditation_id: str,
    status: str,
    on: Any,
    scope: Sequence[str] | None,
    reason: str,
    channel: str = "service",
) -> AccreditationEvent:
    """Adds the event `status` from `on` to the accreditation, for the product types of `scope` (None:
    the whole accreditation). Refused (409) when it would revive something withdrawn or change nothing;
    the event may not be dated before the accreditation was granted or before its latest event."""
    if not actor:
        raise InvalidInput("actor", "is required")
    check_may_change_accreditations(user=user)
    if status not in AccreditationStatus.values:
        raise InvalidInput(
            "status", f"unknown status {status!r}; one of {', '.join(AccreditationStatus.values)}"
        )
    day = _day(on)
    why = _reason(reason)
    if scope is not None and (isinstance(scope, str) or not all(isinstance(code, str) for code in scope)):
        raise InvalidInput("scope", "must be a list of product type codes")
    with transaction.atomic():
        row = (
            Accreditation.objects.select_for_update()
            .filter(pk=accreditation_id if isinstance(accreditation_id, str) else None)
            .first()
        )
        if row is None:
            raise NotFound(f"no accreditation {accreditation_id!r}")
        whole = set(row.scope_entries.values_list("product_type", flat=True))
        codes = sorted(set(scope)) if scope is not None else sorted(whole)
        if scope is not None and not codes:
            raise InvalidInput("scope", "choose at least one product type of the accreditation's scope")
        outside = [code for code in codes if code not in whole]
        if outside:
            raise InvalidInput("scope", f"{', '.join(outside)} not in the accreditation's scope")
        if day < row.granted:
            raise InvalidInput("on", f"must not be before the accreditation was granted ({row.granted})")
        latest = row.events.aggregate(latest=Max("on"), position=Max("position"))
        if latest["latest"] is not None and day < latest["latest"]:
            raise InvalidInput("on", f"must not be before the latest event ({latest['latest']})")
        loaded = Accreditation.objects.prefetch_related("scope_entries", "events").get(pk=row.pk)
        now = {s.code: s.status for s in accreditation_statuses([loaded], day)[row.pk]}
        withdrawn = [code for code in codes if now.get(code) == AccreditationStatus.WITHDRAWN]
        if withdrawn:
            raise Conflict(
                f"{', '.join(withdrawn)} withdrawn: withdrawal is final", code=ErrorCode.STATUS_NOT_ALLOWED
            )
        if all(now.get(code) == status for code in codes):
            raise Conflict(f"already {status} on {day}", code=ErrorCode.STATUS_NOT_ALLOWED)
        before = ACCREDITATIONS.load([row.pk])[row.pk]
        position = 0 if latest["position"] is None else latest["position"] + 1
        event = AccreditationEvent.objects.create(
            accreditation=row,
            position=position,
            on=day,
            status=status,
            scope=None if scope is None else codes,
            reason=why,
        )
        after = ACCREDITATIONS.load([row.pk])[row.pk]
        record_changes(
            actor=actor,
            reason=why,
            channel=channel,
            changes=[RecordChange("accreditations", row.pk, "update", before, after)],
        )
    return event
