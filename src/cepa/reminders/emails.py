"""Reminder emails: one template per kind and language, `reminders/email/<kind>.<lang>.txt`.

A template's first line is the subject; the rest is the body. Text only, so the engine does not
escape. Context values that are names by language ({"en": ..., "zh-Hant": ...}) come out in the
email's language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context, Engine, TemplateDoesNotExist

from cepa.reminders.labels import names
from cepa.reminders.models import Delivery, Language

TEMPLATES = Path(__file__).resolve().parent / "templates"
GENERIC = "generic"

FOOTER = {
    "en": "This reminder comes from CEPA Registry. Dates and times are Beijing / Hong Kong time (UTC+08:00).",
    "zh-Hant": "此提示由 CEPA 登記冊發出。日期及時間均為北京／香港時間（UTC+08:00）。",
    "zh-Hans": "此提示由 CEPA 登记册发出。日期及时间均为北京／香港时间（UTC+08:00）。",
}


@cache
def engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATES)],
        autoescape=False,
        builtins=["cepa.reminders.templatetags.reminders_text"],
    )


def in_language(value: Any, lang: str) -> Any:
    """A name by language as the string of `lang` (else English); other values as they are."""
    if isinstance(value, dict) and "en" in value:
        return value.get(lang) or value["en"]
    if isinstance(value, dict):
        return {key: in_language(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [in_language(item, lang) for item in value]
    return value


def render(kind: str, lang: str, context: dict[str, Any], organisation: Any = None) -> tuple[str, str]:
    """(subject, body) of a reminder of `kind` in `lang`."""
    if lang not in Language.values:
        lang = Language.EN
    values = {key: in_language(value, lang) for key, value in context.items()}
    values["lang"] = lang
    values["kind"] = kind
    if organisation is not None:
        values["organisation_name"] = in_language(names(organisation), lang)
        values["organisation_id"] = organisation.pk
    try:
        template = engine().get_template(f"reminders/email/{kind}.{lang}.txt")
    except TemplateDoesNotExist:
        template = engine().get_template(f"reminders/email/{GENERIC}.{lang}.txt")
    text = template.render(Context(values)).strip()
    subject, _, body = text.partition("\n")
    body = body.strip()
    return subject.strip(), f"{body}\n\n-- \n{FOOTER[lang]}\n"


def sender_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "cepa-registry"


def build_message(delivery: Delivery) -> EmailMessage:
    """The email of one delivery, with a Message-ID of its own (so a receiver can tell a copy)."""
    reminder = delivery.reminder
    subject, body = render(reminder.kind, delivery.language, reminder.context, reminder.organisation)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers={
            "Message-ID": f"<reminder-{delivery.pk}@{sender_domain()}>",
            "Content-Language": delivery.language,
            "X-CEPA-Reminder": reminder.key[:200],
        },
    )
