"""What the loaders share: the name columns, and turning row values into names and code sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from cepa.rules import facts

NAME_FIELDS = ("name_en", "name_zh_hant", "name_zh_hans")
# Both drivers give date columns as dates already; the loaders for every body test for that inline
# rather than call `day` on each of thousands of values.
_DATE = dt.date


def _name(en: str | None, zh_hant: str | None, zh_hans: str | None) -> facts.Name:
    return facts.Name(en or "", zh_hant or "", zh_hans or "")


def _codes(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(value) for value in values or ())
