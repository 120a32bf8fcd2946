"""Reads of organisations, accreditations, designations and agreements, scoped to the user.

Records come back in the shape of the `cepa-registry/1` interchange format (contract §1), built by
the same canonical records the interchange writes (cepa.bodies.records), so the API and the files agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from cepa.bodies.filters import AccreditationFilter, AgreementFilter, DesignationFilter, OrganisationFilter
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.bodies.records import ACCREDITATIONS, AGREEMENTS, DESIGNATIONS, ORGANISATIONS
from cepa.filters import filtered
from cepa.records import RecordType

RECORD_TYPES = {rt.name: rt for rt in (ORGANISATIONS, ACCREDITATIONS, DESIGNATIONS, AGREEMENTS)}


def registry_records(list_name: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The records of one of the bodies' lists with these ids, in the given order (one query per table)."""
    return RECORD_TYPES[list_name].in_order(ids)


def one_record(queryset: QuerySet[Any], record_type: RecordType, record_id: str) -> dict[str, Any] | None:
    """The record with this id if `queryset` (already scoped to the user) holds it."""
    ids = list(queryset.filter(pk=record_id).values_list("pk", flat=True))
    records = record_type.in_order(ids)
    return records[0] if records else None


def organisations(user: Any, **filters: Any) -> QuerySet[Organisation]:
    """Organisations the user may see, narrowed by OrganisationFilter (cepa.bodies.filters)."""
    return filtered(OrganisationFilter, Organisation.objects.restrict(user, "view"), filters).order_by("id")


def accreditations(user: Any, **filters: Any) -> QuerySet[Accreditation]:
    return filtered(AccreditationFilter, Accreditation.objects.restrict(user, "view"), filters).order_by("id")


def designations(user: Any, **filters: Any) -> QuerySet[Designation]:
    return filtered(DesignationFilter, Designation.objects.restrict(user, "view"), filters).order_by("id")


def agreements(user: Any, **filters: Any) -> QuerySet[Agreement]:
    return filtered(AgreementFilter, Agreement.objects.restrict(user, "view"), filters).order_by("id")


def organisation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(organisations(user), ORGANISATIONS, record_id)


def accreditation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(accreditations(user), ACCREDITATIONS, record_id)


def designation(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(designations(user), DESIGNATIONS, record_id)


def agreement(user: Any, record_id: str) -> dict[str, Any] | None:
    return one_record(agreements(user), AGREEMENTS, record_id)
