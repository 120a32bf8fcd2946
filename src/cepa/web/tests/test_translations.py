"""Every UI string exists in Traditional and Simplified Chinese (tools/i18n.py fills and compiles)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def entries(po: Path) -> list[tuple[str, str]]:
    def join(block: str) -> str:
        return "".join(line[1:-1] for line in block.strip().splitlines())

    return [(join(m.group(1)), join(m.group(2))) for m in ENTRY.finditer(po.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_ui_string_is_translated_and_compiled(locale: str) -> None:
    po = LOCALE / locale / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    pairs = [(msgid, msgstr) for msgid, msgstr in entries(po) if msgid]
    assert len(pairs) > 30
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1
