"""Text helpers for the public pages: folding Chinese for search, names and dates in the page's language.

Folding: Traditional characters are mapped to Simplified with a table generated from OpenCC
(data/zh_fold.json, see tools/build_zh_fold.py), then case and width are folded, so that a name is found
whether it is typed in Traditional or Simplified, in full-width or half-width forms.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from cepa.decisions.terms import BEIJING

FOLD_TABLE = Path(__file__).resolve().parent.parent / "data" / "zh_fold.json"
# Django's language codes → the data's language keys.
DATA_LANGUAGES = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@cache
def _fold_table() -> dict[int, int]:
    document = json.loads(FOLD_TABLE.read_text(encoding="utf-8"))
    return str.maketrans(document["from"], document["to"])


def fold(text: str) -> str:
    """A form for comparing: NFKC, case-folded, Traditional characters as Simplified, spaces collapsed."""
    normal = unicodedata.normalize("NFKC", text or "").casefold().translate(_fold_table())
    return " ".join(normal.split())


def matches(query: str, texts: Iterable[str]) -> bool:
    """Whether every word of `query` occurs in one of `texts` (all folded)."""
    words = fold(query).split()
    haystack = "\n".join(fold(text) for text in texts if text)
    return bool(words) and all(word in haystack for word in words)


def page_language() -> str:
    """The data language (en, zh-Hant, zh-Hans) of the current request's language."""
    return DATA_LANGUAGES.get((get_language() or "en").lower(), "en")


@dataclass(frozen=True)
class LocalText:
    text: str
    lang: str  # the language the text is in (en, zh-Hant, zh-Hans)


def pick(en: str, zh_hant: str, zh_hans: str, lang: str) -> LocalText:
    """The text in `lang`, else the other Chinese form, else English, saying which it is; a text given only
    in Chinese (a plan's requirements may be) is shown to an English reader in Chinese, not as nothing."""
    lang = DATA_LANGUAGES.get(lang.lower(), lang)
    if lang == "zh-Hant":
        if zh_hant:
            return LocalText(zh_hant, "zh-Hant")
        if zh_hans:
            return LocalText(zh_hans, "zh-Hans")
    elif lang == "zh-Hans":
        if zh_hans:
            return LocalText(zh_hans, "zh-Hans")
        if zh_hant:
            return LocalText(zh_hant, "zh-Hant")
    if not en:
        if zh_hant:
            return LocalText(zh_hant, "zh-Hant")
        if zh_hans:
            return LocalText(zh_hans, "zh-Hans")
    return LocalText(en or "", "en")


def name_parts(value: Any, prefix: str = "name") -> tuple[str, str, str]:
    """(en, zh-Hant, zh-Hans) of a model or row with name_en..., an interchange `name` object, or a dict."""
    if isinstance(value, dict):
        if prefix in value and isinstance(value[prefix], dict):
            names = value[prefix]
            return names.get("en", ""), names.get("zh-Hant", ""), names.get("zh-Hans", "")
        if {"en", "zh-Hant", "zh-Hans"} & set(value) and f"{prefix}_en" not in value:
            return value.get("en", ""), value.get("zh-Hant", ""), value.get("zh-Hans", "")
        return (value.get(f"{prefix}_en") or "", value.get(f"{prefix}_zh_hant") or "",
                value.get(f"{prefix}_zh_hans") or "")
    return (getattr(value, f"{prefix}_en", "") or "", getattr(value, f"{prefix}_zh_hant", "") or "",
            getattr(value, f"{prefix}_zh_hans", "") or "")


def local_name(value: Any, lang: str | None = None, prefix: str = "name") -> LocalText:
    return pick(*name_parts(value, prefix), lang or page_language())


def beijing_today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


def beijing_now() -> dt.datetime:
    return dt.datetime.now(BEIJING).replace(microsecond=0)


def format_day(day: dt.date, lang: str | None = None) -> str:
    """26 November 2026 in English; 2026年11月26日 in Chinese."""
    lang = lang or page_language()
    if lang.startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_moment(moment: dt.datetime, lang: str | None = None) -> str:
    """A moment in Beijing time: 16 June 2026, 09:00 / 2026年6月16日 09:00."""
    local = moment.astimezone(BEIJING)
    return f"{format_day(local.date(), lang)}{' ' if (lang or page_language()).startswith('zh') else ', '}" \
        f"{local:%H:%M}"


def format_number(value: int) -> str:
    return f"{value:,}"
