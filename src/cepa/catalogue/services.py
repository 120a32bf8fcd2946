"""The one write path of the catalogue: loading the shipped reference data into the database.

Reference data changes through the files in `data/`, never through the admin or the API. A load
compares the files' checksum with the release recorded in the database: unchanged, nothing is
written; changed, every record is created, updated or deleted to match the files, in one
transaction, and each difference goes into the change log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cepa.catalogue.models import (
    CataloguePeriod,
    CatalogueVersion,
    Category,
    CepaMeasure,
    Contact,
    Instrument,
    ProductType,
    ProductTypeChange,
    ReferenceDataRelease,
    RouteSpan,
    RoutineProvision,
    RoutineScopeEntry,
)
from cepa.catalogue.reference_data import (
    DATA_DIR,
    NESTED,
    RELEASE_NAME,
    SPECS,
    FileSpec,
    ReferenceData,
    files_checksum,
    read_reference_data,
)
from cepa.history.services import RecordChange, record_changes

MODELS: dict[str, type[models.Model]] = {
    "instruments": Instrument,
    "versions": CatalogueVersion,
    "categories": Category,
    "product_types": ProductType,
    "changes": ProductTypeChange,
    "routine_scope": RoutineScopeEntry,
    "contacts": Contact,
    "measures": CepaMeasure,
    "routine_provisions": RoutineProvision,
}
DATE_FIELDS = {
    "issued", "effective", "applications_from", "mandatory_from", "removed_on", "valid_from", "valid_until",
    "start", "until",
}
# The lists a product type record holds, stored as rows of their own models.
NESTED_MODELS: dict[str, type[models.Model]] = {
    "periods": CataloguePeriod, "route_spans": RouteSpan,
}
NOT_COLUMNS = {"versions", *NESTED}


def load_reference_data(*, actor: str, data_dir: Path = DATA_DIR) -> bool:
    """Brings the catalogue in the database in line with the shipped files. True when anything was written."""
    if not actor or not actor.strip():
        raise ValueError("actor is required")
    checksum = files_checksum(data_dir)
    if _loaded_checksum() == checksum:
        return False
    data = read_reference_data(data_dir)  # validated before any write
    with transaction.atomic():
        release = ReferenceDataRelease.objects.select_for_update().filter(name=RELEASE_NAME).first()
        if release is not None and release.checksum == checksum:
            return False  # another process loaded the same release meanwhile
        changes = _apply(data)
        record_changes(
            actor=actor,
            reason=f"shipped catalogue reference data, release {checksum[:12]}",
            channel="system",
            changes=changes,
        )
        ReferenceDataRelease.objects.update_or_create(
            name=RELEASE_NAME, defaults={"checksum": checksum, "loaded_at": timezone.now()}
        )
    return True


def load_reference_data_when_migrated(*, actor: str, alias: str) -> bool:
    """load_reference_data, once the database has every migration applied: a migrate to a named target,
    or a flush of a partly migrated database, may lack the tables the load writes to."""
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    return load_reference_data(actor=actor)


def _loaded_checksum() -> str | None:
    return (
        ReferenceDataRelease.objects.filter(name=RELEASE_NAME).values_list("checksum", flat=True).first()
    )


def _apply(data: ReferenceData) -> list[RecordChange]:
    changes: list[RecordChange] = []
    stale: list[tuple[FileSpec, list[Any]]] = []
    for spec in SPECS:  # parents before children
        wanted = {spec.key_of(record): _normalised(record) for record in data[spec.name]}
        current = _current(spec)
        creates = [key for key in wanted if key not in current]
        updates = [key for key in wanted if key in current and current[key][1] != wanted[key]]
        deletes = [key for key in current if key not in wanted]
        _create(spec, [wanted[key] for key in creates])
        for key in updates:
            _update(spec, current[key][0], wanted[key])
        stale.append((spec, [current[key][0] for key in deletes]))
        kind = spec.record_type
        changes += [RecordChange(kind, key, "create", None, wanted[key]) for key in creates]
        changes += [RecordChange(kind, key, "update", current[key][1], wanted[key]) for key in updates]
        changes += [RecordChange(kind, key, "delete", current[key][1], None) for key in deletes]
    for spec, pks in reversed(stale):  # children before parents, so protected references go first
        if pks:
            MODELS[spec.name]._default_manager.filter(pk__in=pks).delete()
    return changes


def _normalised(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    if "versions" in out:
        out["versions"] = sorted(out["versions"])
    return out


def _current(spec: FileSpec) -> dict[str, tuple[Any, dict[str, Any]]]:
    """The stored records of a file's model: key -> (primary key, record as the file would hold it)."""
    model = MODELS[spec.name]
    columns = {field: _column(model, field) for field in spec.fields if field not in NOT_COLUMNS}
    rows = model._default_manager.values("pk", *columns.values())
    versions: dict[str, list[str]] = {}
    nested: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if spec.name == "product_types":
        through = ProductType.versions.through
        pairs = through.objects.values_list("producttype_id", "catalogueversion_id")
        for product_type_id, version_id in pairs:
            versions.setdefault(product_type_id, []).append(version_id)
        nested = {name: _nested_rows(name) for name in NESTED}
    current: dict[str, tuple[Any, dict[str, Any]]] = {}
    for row in rows:
        record = {field: _plain(row[column]) for field, column in columns.items()}
        if spec.name == "product_types":
            record["versions"] = sorted(versions.get(row["pk"], []))
            for name in NESTED:
                record[name] = nested[name].get(row["pk"], [])
        record = {field: record[field] for field in spec.fields}  # the file's field order
        current[spec.key_of(record)] = (row["pk"], record)
    return current


def _nested_rows(name: str) -> dict[str, list[dict[str, Any]]]:
    """A nested list's stored rows per product type, as the file holds them (in order of start)."""
    model = NESTED_MODELS[name]
    fields = NESTED[name]
    columns = {field: _column(model, field) for field in fields}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for row in model._default_manager.order_by("product_type_id", "start").values(
        "product_type_id", *columns.values()
    ):
        by_type.setdefault(row["product_type_id"], []).append(
            {field: _plain(row[column]) for field, column in columns.items()}
        )
    return by_type


def _replace_nested(records: list[dict[str, Any]]) -> None:
    """Stores the periods and route spans of these product type records, replacing any stored ones."""
    keys = [record["key"] for record in records]
    for name, model in NESTED_MODELS.items():
        model._default_manager.filter(product_type_id__in=keys).delete()
        model._default_manager.bulk_create(
            [
                model(product_type_id=record["key"], **_attributes_of(model, item))
                for record in records
                for item in record[name]
            ]
        )


def _column(model: type[models.Model], field: str) -> str:
    model_field = model._meta.get_field(field)
    return model_field.attname if isinstance(model_field, models.ForeignKey) else field


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _attributes(spec: FileSpec, record: dict[str, Any]) -> dict[str, Any]:
    return _attributes_of(MODELS[spec.name], record)


def _attributes_of(model: type[models.Model], record: dict[str, Any]) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for field, value in record.items():
        if field in NOT_COLUMNS:
            continue
        if field in DATE_FIELDS and value is not None:
            value = dt.date.fromisoformat(value)
        attributes[_column(model, field)] = value
    return attributes


def _create(spec: FileSpec, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    model = MODELS[spec.name]
    objects = model._default_manager.bulk_create([model(**_attributes(spec, record)) for record in records])
    if spec.name == "product_types":
        through = ProductType.versions.through
        through.objects.bulk_create(
            [
                through(producttype_id=obj.pk, catalogueversion_id=version)
                for obj, record in zip(objects, records, strict=True)
                for version in record["versions"]
            ]
        )
        _replace_nested(records)


def _update(spec: FileSpec, pk: Any, record: dict[str, Any]) -> None:
    model = MODELS[spec.name]
    model._default_manager.filter(pk=pk).update(**_attributes(spec, record))
    if spec.name == "product_types":
        obj = model._default_manager.get(pk=pk)
        obj.versions.set(record["versions"])  # type: ignore[attr-defined]
        _replace_nested([record])
