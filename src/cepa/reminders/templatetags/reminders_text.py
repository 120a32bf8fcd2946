"""Filters for reminder emails: dates and moments written the way each language writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from cepa.decisions.terms import BEIJING

register = template.Library()

BEIJING_TIME = {"en": "Beijing time", "zh-Hant": "北京時間", "zh-Hans": "北京时间"}
LIST_SEPARATOR = {"en": ", ", "zh-Hant": "、", "zh-Hans": "、"}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(BEIJING).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and "T" in value:
        moment = _moment(value)
        return moment.date() if moment else None
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(BEIJING)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)).astimezone(BEIJING)
    return None


def format_day(value: Any, lang: str = "en") -> str:
    day = _date(value)
    if day is None:
        return str(value)
    if lang.startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def format_moment(value: Any, lang: str = "en") -> str:
    moment = _moment(value)
    if moment is None:
        return str(value)
    clock = moment.strftime("%H:%M")
    if lang.startswith("zh"):
        return f"{format_day(moment, lang)} {clock}（{BEIJING_TIME[lang]}）"
    return f"{format_day(moment, lang)}, {clock} {BEIJING_TIME['en']}"


@register.filter
def day(value: Any, lang: str = "en") -> str:
    return format_day(value, lang)


@register.filter
def moment(value: Any, lang: str = "en") -> str:
    return format_moment(value, lang)


@register.filter
def codes(value: Any, lang: str = "en") -> str:
    """A list of product type codes, joined the way the language lists things."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.get(lang, ", ").join(str(item) for item in value)
    return str(value)
