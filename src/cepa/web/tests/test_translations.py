"""Every UI string exists in Traditional and Simplified Chinese, and the committed .mo files are what the
.po files compile to (`make messages` extracts and compiles; translators edit the .po files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LOCALES = ["zh_Hant", "zh_Hans"]


def catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / "django.po"))


def entries(found: Any) -> dict[tuple[str | None, str, str], tuple[str, tuple[tuple[int, str], ...]]]:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted((int(n), text) for n, text in entry.msgstr_plural.items())),
        )
        for entry in found
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_every_ui_string_is_translated(locale: str) -> None:
    po = catalogue(locale)
    assert len(po) > 30
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_entries_have_every_form(locale: str) -> None:
    po = catalogue(locale)
    forms = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    plural = [entry for entry in po if entry.msgid_plural]
    assert [e.msgid for e in plural if sorted(map(int, e.msgstr_plural)) != list(range(forms))] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_committed_mo_is_compiled_from_the_po(locale: str) -> None:
    po = catalogue(locale)
    compiled = polib.mofile(po.to_binary())
    committed = polib.mofile(str(LOCALE / locale / "LC_MESSAGES" / "django.mo"))
    assert entries(committed) == entries(compiled)
