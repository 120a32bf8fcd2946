"""Reads of organisations, accreditations, designations and agreements, scoped to the user.

Records come back in the shape of the `cepa-registry/1` interchange format (contract §1), built by
the interchange's own mapping (cepa.interchange.records), so the API and the files agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet

from cepa.accounts import permissions
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.interchange.records import load_records


def registry_records(list_name: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The interchange records of these ids, in the given order (one query per table)."""
    found = load_records(list_name, ids)
    return [found[record_id] for record_id in ids if record_id in found]


def one_record(queryset: QuerySet[Any], list_name: str, record_id: str) -> dict[str, Any] | None:
    """The record with this id if `queryset` (already scoped to the user) holds it."""
    ids = list(queryset.filter(pk=record_id).values_list("pk", flat=True))
    records = registry_records(list_name, ids)
    return records[0] if records else None


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
    queryset = permissions.accreditations_visible_to(user)
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
    queryset = permissions.designations_visible_to(user)
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
    queryset = permissions.agreements_visible_to(user)
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


def organisation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(organisations(user), "organisations", record_id)


def accreditation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(accreditations(user), "accreditations", record_id)


def designation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(designations(user), "designations", record_id)


def agreement(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(agreements(user), "agreements", record_id)
