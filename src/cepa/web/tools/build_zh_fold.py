"""Regenerates data/zh_fold.json: the character table that folds Traditional Chinese to Simplified.

The directory, product and inspector searches compare Chinese text in a folded (Simplified) form, so a
name is found whether it is typed in Traditional or Simplified. The table is generated from OpenCC's
conversion dictionaries (Apache License 2.0, https://github.com/BYVoid/OpenCC) one character at a time;
OpenCC itself is not a dependency of the project. Run it in a throwaway virtual environment:

    python -m venv /tmp/opencc && /tmp/opencc/bin/pip install opencc
    /tmp/opencc/bin/python src/cepa/web/tools/build_zh_fold.py

then review the diff. Character folding is deliberately simple: one character to one character, no
phrases, so it is only ever used to compare, never to show converted text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "zh_fold.json"
# CJK Unified Ideographs with extension A and the compatibility block; the rarer planes are not needed
# for organisation, product and person names.
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# Hong Kong forms first, then Taiwan forms, then the generic table.
CONFIGS = ("hk2s", "tw2s", "t2s")


def main() -> None:
    try:
        import opencc  # not a project dependency on purpose
    except ImportError:
        sys.exit("opencc is not installed here; use a throwaway virtual environment (see the docstring)")
    converters = [opencc.OpenCC(config) for config in CONFIGS]
    table: dict[str, str] = {}
    for start, end in RANGES:
        for point in range(start, end + 1):
            char = chr(point)
            for converter in converters:
                folded = converter.convert(char)
                if folded != char and len(folded) == 1:
                    table[char] = folded
                    break
    # Follow chains so that folding is idempotent (fold(fold(x)) == fold(x)).
    for char in list(table):
        seen = {char}
        target = table[char]
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        table[char] = target
    pairs = sorted(table.items())
    document = {
        "source": "Generated from OpenCC " + getattr(opencc, "__version__", "") + " (hk2s, tw2s, t2s), "
        "one character at a time, by src/cepa/web/tools/build_zh_fold.py. OpenCC: Apache License 2.0.",
        "from": "".join(a for a, _ in pairs),
        "to": "".join(b for _, b in pairs),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {len(pairs)} characters")


if __name__ == "__main__":
    main()
