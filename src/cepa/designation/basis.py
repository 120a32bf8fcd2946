"""The `basis` text the designation workflow writes on a designation it creates, and its reading back.

`basis` is free text in the interchange (contract §1), so the registry stores it in English as written;
pages read the workflow's own sentence back into its parts to say it in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"CNCA designation decision published (?P<published>\d{4}-\d{2}-\d{2})"
    r" on application (?P<application>\S+)"
    r"(?: under plan (?P<plan>\S+)| \(routine designation\)); objections until (?P<ends>\d{4}-\d{2}-\d{2})"
)


@dataclass(frozen=True)
class DecisionBasis:
    published: dt.date
    application: str
    plan: str | None  # None: routine designation
    objections_until: dt.date


def decision_basis(published: dt.date, application: str, plan: str | None, objections_until: dt.date) -> str:
    route = f" under plan {plan}" if plan else " (routine designation)"
    return (
        f"CNCA designation decision published {published.isoformat()} on application {application}"
        f"{route}; objections until {objections_until.isoformat()}"
    )


def read_decision_basis(basis: str) -> DecisionBasis | None:
    """The parts of a basis the workflow wrote, or None for any other text (an imported designation's)."""
    found = _PATTERN.fullmatch(basis.strip())
    if found is None:
        return None
    return DecisionBasis(
        dt.date.fromisoformat(found["published"]),
        found["application"],
        found["plan"],
        dt.date.fromisoformat(found["ends"]),
    )
