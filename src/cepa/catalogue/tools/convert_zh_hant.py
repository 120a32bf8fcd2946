"""Regenerates the Traditional Chinese fields of the shipped catalogue from the Simplified ones.

An editor aid, not part of the application: run it in a throwaway virtual environment with OpenCC,
    python -m venv /tmp/opencc && /tmp/opencc/bin/pip install opencc
    /tmp/opencc/bin/python src/cepa/catalogue/tools/convert_zh_hant.py
then review the diff. The conversion is s2hk (Hong Kong standard); data/README.md says the
zh-Hant fields are machine-converted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PAIRS = (
    ("name_zh_hans", "name_zh_hant"),
    ("title_zh_hans", "title_zh_hant"),
    ("organisation_zh_hans", "organisation_zh_hant"),
)


def convert_file(path: Path, convert: Any) -> int:
    document = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for records in document.values():
        for record in records:
            for hans, hant in PAIRS:
                if hans in record and hant in record:
                    value = convert(record[hans]) if record[hans] else ""
                    if record[hant] != value:
                        record[hant] = value
                        changed += 1
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed


def main() -> None:
    try:
        import opencc  # not a project dependency on purpose
    except ImportError:
        sys.exit("opencc is not installed here; use a throwaway virtual environment (see the docstring)")
    converter = opencc.OpenCC("s2hk")
    for path in sorted(DATA_DIR.glob("*.json")):
        print(f"{path.name}: {convert_file(path, converter.convert)} fields changed")


if __name__ == "__main__":
    main()
