"""Query parameters built from a domain FilterSet (cepa.filters), so a list's filters are defined once.

ninja reads and checks the parameters with the schema built here (a bad value is a 400 naming the
field, as for every other parameter); the selector then applies the same FilterSet to the values.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import django_filters
from ninja import Field, Schema
from pydantic import create_model

from cepa.filters import Documented


def query_schema(
    filterset: type[django_filters.FilterSet], *, only: Collection[str] | None = None
) -> type[Schema]:
    """A schema with one optional parameter per filter of `filterset` (or of `only`), in the order the
    FilterSet declares them. Subclass it to name it (the name is the schema's title in the OpenAPI)."""
    fields: dict[str, Any] = {}
    for field_name, declared in filterset.base_filters.items():
        if only is not None and field_name not in only:
            continue
        if not isinstance(declared, Documented):
            raise TypeError(f"{filterset.__name__}.{field_name} says nothing of its type (cepa.filters)")
        fields[field_name] = (declared.annotation | None, Field(None, **declared.constraints))
    return create_model(f"{filterset.__name__}Query", __base__=Schema, **fields)  # type: ignore[call-overload,no-any-return]
