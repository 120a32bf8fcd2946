"""Names by language for the values reminders mention (kept in a reminder's context as written)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation

from cepa.reminders.models import Language


def label(choices: type[models.Choices], value: str) -> dict[str, str]:
    """A coded value's label in each language, as a reminder says it inside a sentence (English in lower
    case); only the code, for English, if the model does not know the value."""
    try:
        text = choices(value).label
    except ValueError:
        return {"en": value}
    by_language = {}
    for lang in Language.values:
        with translation.override(lang):
            by_language[lang] = str(text)
    by_language[Language.EN] = by_language[Language.EN].lower()
    return by_language


def names(organisation: Any) -> dict[str, str]:
    """An organisation's name by language, falling back to English."""
    return {
        "en": organisation.name_en,
        "zh-Hant": organisation.name_zh_hant or organisation.name_en,
        "zh-Hans": organisation.name_zh_hans or organisation.name_en,
    }
