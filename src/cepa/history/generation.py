"""How many change sets this process has committed: a process-wide memo of the registry's version
(cepa.httpcache) keeps what it read only while this number stays the same, so a writer's own next read
never sees the version from before its write."""

from __future__ import annotations

import itertools

_commits = itertools.count(1)  # next() on a count is atomic under the GIL: no lock for threads
_generation = 0


def generation() -> int:
    return _generation


def committed() -> None:
    """Called on commit of a transaction that raised the registry's version (cepa.history.services)."""
    global _generation
    _generation = next(_commits)
