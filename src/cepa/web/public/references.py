"""Links for the records a decision's reasons rest on (`refs`), resolved for many decisions at once."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.decisions.terms import Decision, Reason
from cepa.web.public.text import format_day, local_name
from cepa.web.templatetags.public import anchor

ORGANISATION, ACCREDITATION, AGREEMENT, DESIGNATION, PRODUCT = (
    "organisation",
    "accreditation",
    "agreement",
    "designation",
    "product",
)
_SINGLE = {
    "KIND_NOT_ELIGIBLE": ORGANISATION,
    "MAINLAND_ESTABLISHED": ORGANISATION,
    "PRODUCT_IN_CATALOGUE": PRODUCT,
    "ACCREDITED": ACCREDITATION,
    "ACCREDITATION_SCOPE": ACCREDITATION,
    "ACCREDITATION_ACTIVE": ACCREDITATION,
    "ACCREDITATION_SUSPENDED": ACCREDITATION,
    "ACCREDITATION_WITHDRAWN": ACCREDITATION,
    "ORG_ACCREDITED": ACCREDITATION,
    "DESIGNATED": DESIGNATION,
    "ORG_DESIGNATED": DESIGNATION,
    "AFFILIATED": ORGANISATION,
}


def ref_kind(reason: Reason, index: int) -> str | None:
    """What kind of record the reason's index-th ref names (by the engine's conventions per code)."""
    if reason.code in ("AGREEMENT_IN_FORCE", "ORG_AGREEMENT"):
        return ORGANISATION if reason.holds and index == 1 else AGREEMENT
    if reason.code == "PARTNER_DESIGNATED":
        return DESIGNATION if reason.holds and index == 1 else ORGANISATION
    return _SINGLE.get(reason.code)


@dataclass(frozen=True)
class RefLink:
    label: str
    url: str | None


@dataclass(frozen=True)
class ReasonView:
    reason: Reason
    links: tuple[RefLink, ...]
    text: str = ""  # the message for people: bodies by name, dates in the page's language


ISO_DAY = re.compile(r"(?<![0-9])(\d{4}-\d{2}-\d{2})(?![0-9T])")


def _id_pattern(ids: Iterable[str]) -> re.Pattern[str] | None:
    """Matches any of `ids` as a whole token (not inside a longer id; CJK text may touch it)."""
    ordered = sorted((i for i in ids if i), key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(i) for i in ordered)
    return re.compile(r"(?<![A-Za-z0-9_-])(" + alternatives + r")(?![A-Za-z0-9_-])")


def _body_url(organisation: str, record: str | None = None) -> str:
    url = reverse("body", args=[organisation])
    return f"{url}#{anchor(record)}" if record else url


class RefResolver:
    """Resolves every ref of the given decisions with at most one query per record kind."""

    def __init__(self, decisions: Iterable[Decision]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        self.decisions = list(decisions)
        for decision in self.decisions:
            for reason in decision.reasons:
                for index, ref in enumerate(reason.refs):
                    kind = ref_kind(reason, index)
                    if kind:
                        wanted[kind].add(ref)
        self.owner: dict[tuple[str, str], str] = {}
        tables: dict[str, tuple[Any, str]] = {
            ACCREDITATION: (Accreditation, "organisation_id"),
            AGREEMENT: (Agreement, "party_id"),
            DESIGNATION: (Designation, "organisation_id"),
        }
        for kind, (model, owner) in tables.items():
            if wanted[kind]:
                rows = model.objects.filter(pk__in=wanted[kind]).values_list("pk", owner)
                for record_id, organisation in rows:
                    self.owner[(kind, record_id)] = organisation
        # Every body the reasons may name: the refs, the records' owners and the decisions' subjects.
        named = (
            set(wanted[ORGANISATION])
            | set(self.owner.values())
            | {d.subject for d in self.decisions if d.subject}
            | {d.org for d in self.decisions if d.org}
        )
        self.names: dict[str, str] = {}
        self.organisations: set[str] = set()
        if named:
            for row in Organisation.objects.filter(pk__in=named).values(
                "id", "name_en", "name_zh_hant", "name_zh_hans"
            ):
                self.names[row["id"]] = local_name(row).text
                if row["id"] in wanted[ORGANISATION]:
                    self.organisations.add(row["id"])
        self._ids = _id_pattern(self.names)

    def link(self, reason: Reason, index: int, ref: str) -> RefLink:
        kind = ref_kind(reason, index)
        if kind == ORGANISATION and ref in self.organisations:
            return RefLink(ref, _body_url(ref))
        if kind == PRODUCT:
            return RefLink(ref, reverse("who-can-test") + "?" + urlencode({"product": ref}))
        if kind is not None and (kind, ref) in self.owner:
            return RefLink(ref, _body_url(self.owner[(kind, ref)], ref))
        return RefLink(ref, None)

    def readable(self, message: str) -> str:
        """The message with each body's id replaced by its name and each date in the page's language
        (the ids stay, as links, beside the message)."""
        if self._ids is not None:
            message = self._ids.sub(lambda m: self.names[m.group(1)], message)
        return ISO_DAY.sub(lambda m: format_day(dt.date.fromisoformat(m.group(1))), message)

    def reasons(self, decision: Decision) -> list[ReasonView]:
        return [
            ReasonView(
                reason,
                tuple(self.link(reason, i, ref) for i, ref in enumerate(reason.refs)),
                self.readable(reason.message),
            )
            for reason in decision.reasons
        ]
