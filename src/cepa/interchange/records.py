"""The lists of a `cepa-registry/1` document and the record type of each (cepa.records).

Each domain app describes its own records; this module only names them by list, for import, export
and the checks that go by list name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model

from cepa.bodies.records import ACCREDITATIONS, AGREEMENTS, DESIGNATIONS, ORGANISATIONS
from cepa.certificates.records import CERTIFICATES, FACTORY_INSPECTIONS, TEST_REPORTS
from cepa.designation.records import EXPRESSIONS_OF_INTEREST, PLANS
from cepa.personnel.records import INSPECTORS
from cepa.records import RecordType

RECORD_TYPES: dict[str, RecordType] = {
    record_type.name: record_type
    for record_type in (
        ORGANISATIONS,
        ACCREDITATIONS,
        DESIGNATIONS,
        AGREEMENTS,
        PLANS,
        EXPRESSIONS_OF_INTEREST,
        INSPECTORS,
        TEST_REPORTS,
        FACTORY_INSPECTIONS,
        CERTIFICATES,
    )
}

RECORD_TYPE_OF_MODEL: dict[type[Model], RecordType] = {rt.model: rt for rt in RECORD_TYPES.values()}


def exported_records(list_name: str) -> list[dict[str, Any]]:
    """Every stored record of a list that export writes, sorted by id."""
    return RECORD_TYPES[list_name].exported()


def record_of(instance: Model) -> dict[str, Any]:
    """The canonical dict of one stored registry record, whatever its list."""
    return RECORD_TYPE_OF_MODEL[type(instance)].record_of(instance)


def canonical(list_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form of a validated record: exactly what export gives once it is stored."""
    return RECORD_TYPES[list_name].canonical(record)


def model_rows(list_name: str, record: Mapping[str, Any]) -> tuple[Model, list[Model]]:
    """A validated record as unsaved model instances: the record and its child rows."""
    return RECORD_TYPES[list_name].model_rows(record)
