"""Reads of organisations, accreditations, designations and agreements, scoped to the user.

Records come back in the shape of the `cepa-registry/1` interchange format (contract §1), so the API
and the files agree: empty optional fields are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from cepa.accounts import permissions
from cepa.bodies.models import Accreditation, AccreditationEvent, Agreement, Designation, Organisation


def names(record: Any) -> dict[str, str]:
    result = {"en": record.name_en}
    if record.name_zh_hant:
        result["zh-Hant"] = record.name_zh_hant
    if record.name_zh_hans:
        result["zh-Hans"] = record.name_zh_hans
    return result


def with_provenance(result: dict[str, Any], record: Any) -> dict[str, Any]:
    if record.source:
        result["source"] = record.source
    if record.note:
        result["note"] = record.note
    return result


def _codes(record: Any) -> list[str]:
    """Scope codes from the prefetched scope rows, sorted."""
    return sorted(entry.product_type for entry in record.scope_entries.all())


def organisation_record(organisation: Organisation) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": organisation.id,
        "name": names(organisation),
        "kind": organisation.kind,
        "seat": organisation.seat,
        "hk_invested": organisation.hk_invested,
    }
    if organisation.cnca_code:
        result["cnca_code"] = organisation.cnca_code
    return with_provenance(result, organisation)


def accreditation_event_record(event: AccreditationEvent) -> dict[str, Any]:
    result: dict[str, Any] = {"on": event.on.isoformat(), "status": event.status}
    if event.scope is not None:
        result["scope"] = list(event.scope)
    if event.reason:
        result["reason"] = event.reason
    if event.basis:
        result["basis"] = event.basis
    return with_provenance(result, event)


def accreditation_record(accreditation: Accreditation) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": accreditation.id,
        "organisation": accreditation.organisation_id,
        "scheme": accreditation.scheme,
        "scope": _codes(accreditation),
        "granted": accreditation.granted.isoformat(),
    }
    events = [accreditation_event_record(e) for e in accreditation.events.all()]
    if events:
        result["events"] = events
    return with_provenance(result, accreditation)


def designation_record(designation: Designation) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": designation.id,
        "organisation": designation.organisation_id,
        "role": designation.role,
        "product_types": _codes(designation),
        "from": designation.valid_from.isoformat(),
    }
    if designation.valid_until:
        result["until"] = designation.valid_until.isoformat()
    if designation.basis:
        result["basis"] = designation.basis
    return with_provenance(result, designation)


def agreement_record(agreement: Agreement) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": agreement.id,
        "kind": agreement.kind,
        "party": agreement.party_id,
        "counterparty": agreement.counterparty_id,
        "product_types": _codes(agreement),
        "from": agreement.valid_from.isoformat(),
    }
    if agreement.valid_until:
        result["until"] = agreement.valid_until.isoformat()
    if agreement.terminated_on:
        result["terminated_on"] = agreement.terminated_on.isoformat()
    return with_provenance(result, agreement)


def organisations(
    user: Any,
    *,
    kind: str | None = None,
    seat: str | None = None,
    hk_invested: bool | None = None,
    q: str | None = None,
) -> QuerySet[Organisation]:
    queryset = permissions.organisations_visible_to(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if seat:
        queryset = queryset.filter(seat=seat)
    if hk_invested is not None:
        queryset = queryset.filter(hk_invested=hk_invested)
    if q:
        queryset = queryset.filter(
            Q(id__icontains=q)
            | Q(name_en__icontains=q)
            | Q(name_zh_hant__icontains=q)
            | Q(name_zh_hans__icontains=q)
        )
    return queryset.order_by("id")


def accreditations(
    user: Any,
    *,
    organisation: str | None = None,
    scheme: str | None = None,
    product_type: str | None = None,
) -> QuerySet[Accreditation]:
    queryset = permissions.accreditations_visible_to(user).prefetch_related("scope_entries", "events")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if scheme:
        queryset = queryset.filter(scheme=scheme)
    if product_type:
        # Scope rows are unique per product type, so this join cannot repeat an accreditation.
        queryset = queryset.filter(scope_entries__product_type=product_type)
    return queryset.order_by("id")


def _in_force(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def designations(
    user: Any,
    *,
    organisation: str | None = None,
    role: str | None = None,
    product_type: str | None = None,
    in_force_on: dt.date | None = None,
) -> QuerySet[Designation]:
    queryset = permissions.designations_visible_to(user).prefetch_related("scope_entries")
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    if role:
        queryset = queryset.filter(role=role)
    if product_type:
        queryset = queryset.filter(scope_entries__product_type=product_type)
    if in_force_on:
        queryset = queryset.filter(_in_force(in_force_on))
    return queryset.order_by("id")


def agreements(
    user: Any,
    *,
    party: str | None = None,
    counterparty: str | None = None,
    kind: str | None = None,
    product_type: str | None = None,
    in_force_on: dt.date | None = None,
) -> QuerySet[Agreement]:
    queryset = permissions.agreements_visible_to(user).prefetch_related("scope_entries")
    if party:
        queryset = queryset.filter(party_id=party)
    if counterparty:
        queryset = queryset.filter(counterparty_id=counterparty)
    if kind:
        queryset = queryset.filter(kind=kind)
    if product_type:
        queryset = queryset.filter(scope_entries__product_type=product_type)
    if in_force_on:
        # terminated_on is the first day it is no longer in force.
        queryset = queryset.filter(
            _in_force(in_force_on) & (Q(terminated_on__isnull=True) | Q(terminated_on__gt=in_force_on))
        )
    return queryset.order_by("id")


def organisation(user: Any, record_id: str) -> Organisation | None:
    return organisations(user).filter(pk=record_id).first()


def accreditation(user: Any, record_id: str) -> Accreditation | None:
    return accreditations(user).filter(pk=record_id).first()


def designation(user: Any, record_id: str) -> Designation | None:
    return designations(user).filter(pk=record_id).first()


def agreement(user: Any, record_id: str) -> Agreement | None:
    return agreements(user).filter(pk=record_id).first()
