"""Paging of the officers' and applicants' lists: fifty rows a page, Django's Paginator underneath.

A queryset costs two queries whatever its size (the count, then the page's rows); a list is sliced.
The page number comes from the query string (`?page=`, or another name where a page holds several
lists); anything that is not a page number gives the first page and a number past the end the last
one, so an old bookmark still shows rows rather than an error. The links keep every other parameter
(the filters)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from cepa.web.public.text import format_number

PAGE_SIZE = 50


@dataclass(frozen=True)
class Link:
    number: int | None  # None: a gap in the numbers
    url: str
    current: bool = False


@dataclass(frozen=True)
class Paged:
    rows: list[Any]
    total: int
    page: int
    pages: int
    param: str
    query: QueryDict

    @property
    def first(self) -> str:
        return format_number((self.page - 1) * PAGE_SIZE + 1 if self.rows else 0)

    @property
    def last(self) -> str:
        return format_number((self.page - 1) * PAGE_SIZE + len(self.rows))

    @property
    def total_text(self) -> str:
        return format_number(self.total)

    def url(self, number: int) -> str:
        query = self.query.copy()
        query[self.param] = str(number)
        return "?" + query.urlencode()

    @property
    def previous_url(self) -> str:
        return self.url(self.page - 1) if self.page > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(self.page + 1) if self.page < self.pages else ""

    @property
    def links(self) -> list[Link]:
        return [
            Link(number, self.url(number) if number else "", number == self.page)
            for number in page_numbers(self.page, self.pages)
        ]


def page_numbers(page: int, pages: int) -> list[int | None]:
    """Page numbers to link, with None for a gap: 1 … 4 5 6 … 12."""
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _number(text: str) -> int:
    """The page asked for: below 1 is the first (Django's Paginator would give the last); anything not
    a number is the first; a number too long to be a page is past the end."""
    if re.fullmatch(r"-?[0-9]{1,9}", text):
        return max(1, int(text))
    return 10**9 if re.fullmatch(r"[0-9]+", text) else 1


def paged(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], param: str = "page") -> Paged:
    """The page of `items` the request asks for. A queryset must be ordered down to a tiebreaker (the
    id), or rows would move between pages."""
    paginator = Paginator(items, PAGE_SIZE)
    page = paginator.get_page(_number(request.GET.get(param, "")))
    rows = list(page.object_list)
    return Paged(rows, paginator.count, page.number, paginator.num_pages, param, request.GET)
