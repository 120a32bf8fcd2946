"""JSON from outside, read with a bound on its nesting (issue 12, finding 9).

Python's JSON reader recurses once per level: a body nested 100,000 deep raised RecursionError, a
server error where the contract says 400 (exit 2 for `cepa import`). So does any code that walks what
was read recursively. `loads` turns both into `TooDeep`, a ValueError naming the limit; every face
reads JSON through it (the API's bodies and parser, the importer).

Imports nothing of cepa, so every app and face may use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

# No document of the registry nests deeper than a handful of levels; 64 leaves room for any client.
MAX_DEPTH = 64


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH."""

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in `value` nest deeper than `limit` levels (without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return False


def loads(text: str | bytes | bytearray, limit: int = MAX_DEPTH, **options: Any) -> Any:
    """`json.loads`, refusing (TooDeep) a document nested deeper than `limit` levels."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise TooDeep(limit) from None
    if depth_exceeds(value, limit):
        raise TooDeep(limit)
    return value
