"""Refresh the UI translations: extract strings, fill them from locale/translations/*.json, compile.

Each JSON file maps an English msgid to {"zh-Hant": ..., "zh-Hans": ...}. Several files so that
different parts of the project keep their own. Run: .venv/bin/python tools/i18n.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cepa"
LOCALES = {"zh_Hant": "zh-Hant", "zh_Hans": "zh-Hans"}


def load_translations() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted((PACKAGE / "locale" / "translations").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def unquote(line: str) -> str:
    return json.loads(line.strip())


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fill(po_path: Path, language: str, translations: dict[str, dict[str, str]]) -> list[str]:
    """Rewrites msgstr of every entry with a known translation; returns the msgids still missing."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    missing: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("msgid "):
            msgid_parts = [unquote(line[6:])]
            index += 1
            while index < len(lines) and lines[index].startswith('"'):
                msgid_parts.append(unquote(lines[index]))
                index += 1
            msgid = "".join(msgid_parts)
            out.append("msgid " + quote(msgid_parts[0]))
            out.extend(quote(part) for part in msgid_parts[1:])
            if index < len(lines) and lines[index].startswith("msgid_plural"):
                out.append(lines[index])
                index += 1
                continue
            assert lines[index].startswith("msgstr "), po_path
            old = [unquote(lines[index][7:])]
            index += 1
            while index < len(lines) and lines[index].startswith('"'):
                old.append(unquote(lines[index]))
                index += 1
            if msgid == "":
                out.append("msgstr " + quote(old[0]))
                out.extend(quote(part) for part in old[1:])
                continue
            text = translations.get(msgid, {}).get(language)
            if text is None:
                missing.append(msgid)
                text = "".join(old)
            out.append("msgstr " + quote(text))
            continue
        if line.startswith("#, fuzzy") and out and out[-1].startswith("#"):
            index += 1
            continue
        out.append(line)
        index += 1
    po_path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return missing


def main() -> int:
    cepa = Path(sys.executable).parent / "cepa"
    flags = [f"-l{code}" for code in LOCALES]
    subprocess.run([str(cepa), "makemessages", *flags, "--no-obsolete", "--ignore", "*/tests/*"],
                   cwd=PACKAGE, check=True)
    translations = load_translations()
    status = 0
    for code, language in LOCALES.items():
        missing = fill(PACKAGE / "locale" / code / "LC_MESSAGES" / "django.po", language, translations)
        for msgid in missing:
            print(f"missing {language}: {msgid!r}")
            status = 1
    subprocess.run([str(cepa), "compilemessages"], cwd=PACKAGE, check=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
