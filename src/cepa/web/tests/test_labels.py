"""The models' choices carry the coded values' labels, translated in both Chinese catalogues; the web's
own label tables cover exactly the values they word differently, and never repeat a model's label."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import polib
import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from cepa.bodies.models import DesignationRole, Scheme
from cepa.designation.models import ApplicationStatus, ObjectionStatus
from cepa.filings.models import FilingStatus
from cepa.personnel.models import TransferStatus
from cepa.reminders.models import Language
from cepa.web.portal import labels as portal
from cepa.web.public import labels as public

LOCALE = Path(__file__).resolve().parents[2] / "locale"
# Proper names, the same in every language: the schemes' names, and each language named in itself.
UNTRANSLATED = {*Scheme.choices, *Language.choices}


def choice_labels() -> Iterator[tuple[str, Any, Any]]:
    """(model.field, value, label) of every choice of every field of the project's models."""
    for model in apps.get_models():
        if not model.__module__.startswith("cepa."):
            continue
        for field in model._meta.fields:
            for value, label in field.flatchoices:
                yield f"{model.__name__}.{field.name}", value, label


@pytest.mark.parametrize(("locale", "language"), [("zh_Hant", "zh-hant"), ("zh_Hans", "zh-hans")])
def test_every_choice_label_is_translated(locale: str, language: str) -> None:
    translated: dict[str, set[str]] = defaultdict(set)
    for entry in polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / "django.po")):
        translated[entry.msgid].add(entry.msgstr)
    checked, missing = 0, []
    for where, value, label in choice_labels():
        if (value, label) in UNTRANSLATED:
            continue
        checked += 1
        with translation.override(None):
            msgid = str(label)
        with translation.override(language):
            shown = str(label)
        if not isinstance(label, Promise) or shown not in translated[msgid] - {""}:
            missing.append(f"{where}={value}: {msgid!r}")
    assert checked > 50
    assert missing == []


WEB_TABLES: list[tuple[str, Mapping[str, Promise], type[models.TextChoices]]] = [
    ("SCHEME_HINTS", public.SCHEME_HINTS, Scheme),
    ("ROLES", public.ROLES, DesignationRole),
    ("PLAN_ROLES", public.PLAN_ROLES, DesignationRole),
]


@pytest.mark.parametrize(("name", "table", "choices"), WEB_TABLES, ids=[name for name, _, _ in WEB_TABLES])
def test_web_table_covers_exactly_the_model_choices_in_other_words(
    name: str, table: Mapping[str, Promise], choices: type[models.TextChoices]
) -> None:
    assert sorted(table) == sorted(choices.values)
    with translation.override(None):
        assert [value for value in choices.values if str(table[value]) == str(choices(value).label)] == []


def test_every_status_has_a_tag_colour() -> None:
    statuses = {*ApplicationStatus.values, *ObjectionStatus.values, *FilingStatus.values}
    statuses |= set(TransferStatus.values)
    assert sorted(portal.TAGS) == sorted(statuses)
