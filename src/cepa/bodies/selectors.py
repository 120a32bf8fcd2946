"""Reads of organisations, accreditations, designations and agreements, scoped to the user.

Records come back in the shape of the `cepa-registry/1` interchange format (contract §1), built by
the same canonical records the interchange writes (cepa.bodies.records), so the API and the files agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from cepa.accounts import permissions
from cepa.bodies.models import (
    Accreditation,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.bodies.records import ACCREDITATIONS, AGREEMENTS, DESIGNATIONS, ORGANISATIONS
from cepa.catalogue.selectors import same_type
from cepa.decisions.selectors import agreement_in_force_filter, in_force_filter
from cepa.records import RecordType

M = TypeVar("M", bound=Model)


RECORD_TYPES = {rt.name: rt for rt in (ORGANISATIONS, ACCREDITATIONS, DESIGNATIONS, AGREEMENTS)}


def registry_records(list_name: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The records of one of the bodies' lists with these ids, in the given order (one query per table)."""
    return RECORD_TYPES[list_name].in_order(ids)


def one_record(queryset: QuerySet[Any], record_type: RecordType, record_id: str) -> dict[str, Any] | None:
    """The record with this id if `queryset` (already scoped to the user) holds it."""
    ids = list(queryset.filter(pk=record_id).values_list("pk", flat=True))
    records = record_type.in_order(ids)
    return records[0] if records else None


def given(queryset: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """`queryset` narrowed by each lookup given a value (a filter left empty or None is no filter)."""
    for lookup, value in lookups.items():
        if value:
            queryset = queryset.filter(**{lookup: value})
    return queryset


def covering(queryset: QuerySet[M], scope: type[Model], owner: str, product_type: str | None) -> QuerySet[M]:
    """`queryset` narrowed to records whose scope names the product type under any of its codes or its
    key (contract §1, rev. 2); no filter when `product_type` is empty. EXISTS, so a scope naming the type
    twice does not repeat a record."""
    if not product_type:
        return queryset
    rows = scope._default_manager.filter(product_type__in=sorted(same_type([product_type])))
    return queryset.filter(Exists(rows.filter(**{owner: OuterRef("pk")})))


def id_or_name_contains(q: str) -> Q:
    """Rows whose id or a name in any language contains `q` (ignoring case)."""
    return (
        Q(id__icontains=q)
        | Q(name_en__icontains=q)
        | Q(name_zh_hant__icontains=q)
        | Q(name_zh_hans__icontains=q)
    )


def organisations(
    user: Any,
    *,
    kind: str | None = None,
    seat: str | None = None,
    hk_invested: bool | None = None,
    q: str | None = None,
) -> QuerySet[Organisation]:
    queryset = given(permissions.organisations_visible_to(user), kind=kind, seat=seat)
    if hk_invested is not None:
        queryset = queryset.filter(hk_invested=hk_invested)
    if q:
        queryset = queryset.filter(id_or_name_contains(q))
    return queryset.order_by("id")


def accreditations(
    user: Any,
    *,
    organisation: str | None = None,
    scheme: str | None = None,
    product_type: str | None = None,
) -> QuerySet[Accreditation]:
    queryset = given(
        permissions.accreditations_visible_to(user),
        organisation_id=organisation,
        scheme=scheme,
    )
    return covering(queryset, AccreditationScope, "accreditation", product_type).order_by("id")


def designations(
    user: Any,
    *,
    organisation: str | None = None,
    role: str | None = None,
    product_type: str | None = None,
    in_force_on: dt.date | None = None,
) -> QuerySet[Designation]:
    queryset = given(
        permissions.designations_visible_to(user),
        organisation_id=organisation,
        role=role,
    )
    queryset = covering(queryset, DesignationScope, "designation", product_type)
    if in_force_on:
        queryset = queryset.filter(in_force_filter(in_force_on))
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
    queryset = given(
        permissions.agreements_visible_to(user),
        party_id=party,
        counterparty_id=counterparty,
        kind=kind,
    )
    queryset = covering(queryset, AgreementScope, "agreement", product_type)
    if in_force_on:
        queryset = queryset.filter(agreement_in_force_filter(in_force_on))
    return queryset.order_by("id")


def organisation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(organisations(user), ORGANISATIONS, record_id)


def accreditation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(accreditations(user), ACCREDITATIONS, record_id)


def designation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(designations(user), DESIGNATIONS, record_id)


def agreement(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(agreements(user), AGREEMENTS, record_id)
