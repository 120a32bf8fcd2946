"""Template helpers of the public pages: names in the page's language (with `lang` where they fall back),
dates and numbers formatted for the language, and anchors for record ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from cepa.designation import clock
from cepa.designation.basis import read_decision_basis
from cepa.web.public import labels, text

register = template.Library()


def _lang_span(value: text.LocalText) -> SafeString:
    if value.lang == text.page_language():
        return format_html("{}", value.text)
    return format_html('<span lang="{}">{}</span>', value.lang, value.text)


@register.simple_tag
def name(value: Any, prefix: str = "name") -> SafeString:
    """The name of a record in the page's language, marked with `lang` when it is in another one."""
    if value is None:
        return format_html("")
    return _lang_span(text.local_name(value, prefix=prefix))


@register.simple_tag
def in_page_language(names: dict[str, str]) -> SafeString:
    """A names object (such as an address) in the page's language, else in English (marked `lang`)."""
    lang = text.page_language()
    shown = text.LocalText(names[lang], lang) if names.get(lang) else text.LocalText(names["en"], "en")
    return _lang_span(shown)


@register.simple_tag
def web_link(url: str) -> SafeString:
    """A link that opens a published website; text that is not an http(s) address stays text."""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return format_html('<a href="{}" rel="noopener">{}</a>', url, url)
    return format_html("{}", url)


@register.simple_tag
def local(en: str, zh_hant: str = "", zh_hans: str = "") -> SafeString:
    return _lang_span(text.pick(en or "", zh_hant or "", zh_hans or "", text.page_language()))


@register.filter
def day(value: dt.date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(text.BEIJING).date()
    return text.format_day(value)


@register.filter
def objection_period(ends: dt.date | str | None) -> str:
    """ "ends DATE" while objections may still be lodged (through the last day, Beijing time), "ended
    DATE" after: the same date reads differently the day after it."""
    if not ends:
        return ""
    if isinstance(ends, str):
        ends = dt.date.fromisoformat(ends)
    if clock.objection_period_running(ends):
        return gettext("ends %(date)s") % {"date": day(ends)}
    return gettext("ended %(date)s") % {"date": day(ends)}


@register.filter
def decision_line(basis: str | None) -> str:
    """A designation's basis in the page's language when the designation workflow wrote it (its
    decision, application, route and objection period); "" for free text, which is shown as given."""
    found = read_decision_basis(basis or "")
    if found is None:
        return ""
    parts = {
        "published": day(found.published),
        "application": found.application,
        "plan": found.plan,
        "ends": day(found.objections_until),
    }
    running = clock.objection_period_running(found.objections_until)
    if found.plan:
        if running:
            text = gettext(
                "CNCA designation decision published %(published)s on application %(application)s, under "
                "designation plan %(plan)s; the objection period ends %(ends)s."
            )
        else:
            text = gettext(
                "CNCA designation decision published %(published)s on application %(application)s, under "
                "designation plan %(plan)s; the objection period ended %(ends)s."
            )
    elif running:
        text = gettext(
            "CNCA designation decision published %(published)s on application %(application)s, by routine "
            "designation; the objection period ends %(ends)s."
        )
    else:
        text = gettext(
            "CNCA designation decision published %(published)s on application %(application)s, by routine "
            "designation; the objection period ended %(ends)s."
        )
    return text % parts


@register.filter
def moment(value: dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return text.format_moment(value)


@register.filter
def iso(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(text.BEIJING).isoformat()
    return value.isoformat()


@register.filter
def number(value: int) -> str:
    return text.format_number(int(value))


@register.filter
def anchor(value: str) -> str:
    """A fragment id for a record id (which may hold spaces and other characters)."""
    return "r-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-").lower()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter(name="label")
def label_of(value: str | None, table: str) -> str:
    """The translated label of a coded value, from the table of that name in cepa.web.public.labels.TABLES."""
    return labels.label(labels.TABLES[table], value)


@register.filter
def nametext(value: Any, prefix: str = "name") -> str:
    """The name as plain text (for <title> and attributes)."""
    return "" if value is None else text.local_name(value, prefix=prefix).text
