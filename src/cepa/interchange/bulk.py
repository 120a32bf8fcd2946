"""Bulk writes of plain rows (attname → value) with executemany.

Building hundreds of thousands of model instances costs more than the inserts themselves, so the
importer hands rows straight to the database cursor. Values are adapted the way Django adapts them
(dates, timezone-aware timestamps, JSON), and a column the row does not give gets the field default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.fields import NOT_PROVIDED

from cepa import writes

Adapter = Callable[[Any], Any]
Maker = tuple[str, Any, Adapter | None]  # attname, default, adapter
MISSING = object()


def _adapter(field: Field) -> Adapter | None:
    """How a value of this field goes to the cursor, or None when it goes as it is."""
    internal = field.get_internal_type()
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "JSONField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _columns(model: type[Model], attnames: Sequence[str] | None) -> list[Field]:
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and _is_auto(f))]
    if attnames is None:
        return fields
    by_name = {f.attname: f for f in fields}
    return [by_name[name] for name in attnames]


def inserted_fields(model: type[Model]) -> list[Field]:
    """The fields an INSERT of `insert_rows` gives, in its order (all but an auto primary key)."""
    return _columns(model, None)


def _is_auto(field: Field) -> bool:
    return field.get_internal_type().endswith("AutoField")


def _value_makers(fields: Sequence[Field]) -> list[Maker]:
    makers = []
    for field in fields:
        has_default = field.default is not NOT_PROVIDED or field.null
        default = field.get_default() if has_default else MISSING
        makers.append((field.attname, default, _adapter(field)))
    return makers


def _tuples(rows: Sequence[Mapping[str, Any]], makers: Sequence[Maker]) -> list[tuple]:
    attnames = [attname for attname, _, _ in makers]
    if len(attnames) > 1:
        # Rows that give every column (what an import's records make): one C call per row.
        getter = itemgetter(*attnames)
        try:
            values = [getter(row) for row in rows]
        except KeyError:
            pass
        else:
            adapted = [(at, adapt) for at, (_, _, adapt) in enumerate(makers) if adapt is not None]
            return _adapt(values, adapted) if adapted else values
    plain = [(attname, default) for attname, default, adapt in makers if adapt is None]
    if len(plain) < len(makers):
        return _adapted_tuples(rows, makers)
    # No value needs adapting: one comprehension per row (the common case of link and scope rows).
    values = [tuple([row.get(attname, default) for attname, default in plain]) for row in rows]
    for item in values:
        if MISSING in item:
            attname = plain[item.index(MISSING)][0]
            raise KeyError(f"{attname} is required")
    return values


def _adapt(values: list[tuple], adapted: Sequence[tuple[int, Adapter]]) -> list[tuple]:
    for row_at, item in enumerate(values):
        changed = list(item)
        for at, adapt in adapted:
            value = changed[at]
            if value is not None:
                changed[at] = adapt(value)
        values[row_at] = tuple(changed)
    return values


def _adapted_tuples(rows: Iterable[Mapping[str, Any]], makers: Sequence[Maker]) -> list[tuple]:
    values: list[tuple] = []
    for row in rows:
        get = row.get
        item = []
        for attname, default, adapt in makers:
            value = get(attname, default)
            if value is MISSING:
                raise KeyError(f"{attname} is required")
            item.append(adapt(value) if adapt is not None and value is not None else value)
        values.append(tuple(item))
    return values


def _executemany(sql: str, values: list[tuple]) -> None:
    writes.executemany(sql, values)


def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERTs the rows; columns they lack get the field's default."""
    if not rows:
        return
    fields = _columns(model, None)
    writes.insert(model._meta.db_table, [f.column for f in fields], _tuples(rows, _value_makers(fields)))


def update_rows(model: type[Model], rows: Sequence[Mapping[str, Any]], attnames: Sequence[str]) -> None:
    """UPDATEs the given columns of the rows, matched by primary key; other columns stay as they are."""
    if not rows:
        return
    fields = _columns(model, attnames)
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(pk.column),
    )
    makers = _value_makers(fields)
    values = [(*item, row[pk.attname]) for item, row in zip(_tuples(rows, makers), rows, strict=True)]
    _executemany(sql, values)
