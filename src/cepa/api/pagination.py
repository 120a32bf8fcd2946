"""Limit/offset pagination with the total count, for every list of the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import create_model

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageParams(LimitOffsetPagination.Input):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many records to return")
    offset: int = Field(0, ge=0, le=10_000_000, description="How many records to skip")


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """A page of `item`s: {"count", "limit", "offset", "items"} (a named class, for a clean OpenAPI)."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        name,
        __base__=Schema,
        count=(int, Field(..., description="How many records match, over all pages")),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )


def paginate(
    request: HttpRequest,
    queryset: QuerySet[M],
    params: PageParams,
    load: Callable[[list[Any]], list[dict[str, Any]]],
) -> dict[str, Any]:
    """The count and the page's ids (ninja's limit/offset pagination), then `load` (a fixed few
    queries) builds their records, in order."""
    page = LimitOffsetPagination(max_limit=MAX_LIMIT).paginate_queryset(
        queryset.values_list("pk", flat=True), pagination=params, request=request
    )
    ids = list(page["items"])
    items = load(ids) if ids else []
    return {"count": page["count"], "limit": params.limit, "offset": params.offset, "items": items}
