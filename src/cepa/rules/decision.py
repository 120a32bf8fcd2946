"""What every question answers with: a `Decision` listing the `Reason`s it checked (contract §2).

Every question lists each condition it checked. A condition judged on an empty set of records is not
listed; a failing gate is listed alone. Where several records could satisfy a condition, the one
named in `refs` is the one that also satisfies the conditions chained after it, ties by smallest id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from cepa.rules import messages
from cepa.rules.facts import BEIJING, Contact

QUESTIONS = ("testing", "inspection", "designation", "enquiry", "certificate")


class UnknownFact(LookupError):
    """The snapshot lacks a record the question names (the services validate ids before asking)."""

    def __init__(self, field_name: str, value: str) -> None:
        super().__init__(f"{field_name}: no record {value!r}")
        self.field = field_name
        self.value = value


class Reason(NamedTuple):
    """One checked condition. `message` and `basis` are rendered when read (in `lang`), so deciding
    for thousands of bodies costs no text until a decision is shown. A NamedTuple: immutable and
    several times cheaper to build than a frozen dataclass, which counts when deciding for every body."""

    code: str
    holds: bool
    refs: tuple[str, ...] = ()
    key: str = ""  # the message key (messages.MESSAGES)
    params: Mapping[str, Any] = MappingProxyType({})
    lang: str = "en"
    question: str = ""

    @property
    def message(self) -> str:
        return messages.render(self.key, self.lang, **self.params)

    @property
    def basis(self) -> str:
        return messages.basis(self.code, self.lang, self.question, self.params)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "holds": self.holds,
            "message": self.message,
            "basis": self.basis,
            "refs": list(self.refs),
        }


class Notice(NamedTuple):
    """A link of a certificate's chain that was eligible when it was made but is not on the date asked
    (contract §2, `certificate`). It never changes `allowed`. `message` is rendered when read."""

    code: str
    refs: tuple[str, ...] = ()
    key: str = ""
    params: Mapping[str, Any] = MappingProxyType({})
    lang: str = "en"

    @property
    def message(self) -> str:
        return messages.render(self.key, self.lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "refs": list(self.refs)}


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in Beijing time (+08:00)."""
    return moment.astimezone(BEIJING).isoformat()


# Not slotted: fields at their defaults are then read from the class, which lets `new_decision`
# (and the testing batch's copy of it) set only the fields a decision has.
@dataclass(frozen=True)
class Decision:
    question: str
    product_type: str
    reasons: tuple[Reason, ...]
    subject: str | None = None
    org: str | None = None
    on: dt.date | None = None
    at: dt.datetime | None = None
    lang: str = "en"
    # designation
    route: str | None = None
    plan: str | None = None
    window: tuple[dt.datetime, dt.datetime] | None = None
    next_deadline: dt.datetime | None = None
    # enquiry
    sector: str | None = None
    contact: Contact | None = field(default=None)
    # certificate
    status: str | None = None
    notices: tuple[Notice, ...] = ()

    @property
    def allowed(self) -> bool:
        return all(reason.holds for reason in self.reasons)

    @property
    def failing(self) -> list[str]:
        return [reason.code for reason in self.reasons if not reason.holds]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "subject": self.subject}
        if self.question == "inspection":
            out["org"] = self.org
        out["product_type"] = self.product_type
        if self.on is not None:
            out["on"] = self.on.isoformat()
        if self.at is not None:
            out["at"] = timestamp(self.at)
        out["allowed"] = self.allowed
        if self.question == "certificate":
            out["status"] = self.status
        out["reasons"] = [reason.to_json() for reason in self.reasons]
        if self.question == "certificate":
            out["notices"] = [notice.to_json() for notice in self.notices]
        if self.question == "designation":
            out["route"] = self.route
            if self.route == "plan":
                out["plan"] = self.plan
                out["window"] = (
                    {"opens": timestamp(self.window[0]), "closes": timestamp(self.window[1])}
                    if self.window
                    else None
                )
                out["next_deadline"] = timestamp(self.next_deadline) if self.next_deadline else None
        if self.question == "enquiry":
            out["sector"] = self.sector
            out["contact"] = _contact_json(self.contact, self.lang) if self.contact else None
        return out


_new_object = object.__new__


def new_decision(
    question: str,
    product_type: str,
    reasons: tuple[Reason, ...],
    subject: str | None,
    org: str | None,
    on: dt.date | None,
    lang: str,
    status: str | None = None,
    notices: tuple[Notice, ...] = (),
) -> Decision:
    """`Decision(question, product_type, reasons, subject=..., org=..., on=..., lang=..., status=...,
    notices=...)` without the generated __init__ of a frozen dataclass, which sets each of its sixteen
    fields through an `object.__setattr__` call; the fields not set are read from the class (their
    defaults). A `certificate` decision builds several of these."""
    decision = _new_object(Decision)
    fields = decision.__dict__
    fields["question"] = question
    fields["product_type"] = product_type
    fields["reasons"] = reasons
    fields["subject"] = subject
    fields["org"] = org
    fields["on"] = on
    fields["lang"] = lang
    if status is not None:
        fields["status"] = status
    if notices:
        fields["notices"] = notices
    return decision


def contact_name(contact: Contact, lang: str) -> tuple[str, str]:
    """The contact's name in `lang`, and a note ("" when none) where the source does not give it so."""
    has_chinese = bool(contact.name.zh_hant or contact.name.zh_hans)
    zh = contact.name.in_lang(lang) if lang != "en" and has_chinese else ""
    name, given = messages.person_name(contact.name.en, zh, lang)
    return name, "" if given else messages.term("name_not_given", lang)


def _contact_json(contact: Contact, lang: str) -> dict[str, str]:
    name, note = contact_name(contact, lang)
    out = {
        "sector": contact.sector,
        "name": name,
        "organisation": contact.organisation.in_lang(lang),
        "phone": contact.phone,
        "email": contact.email,
    }
    if note:
        out["name_note"] = note  # a field added to the contract's contact, as §2 allows
    return out


Refs = tuple[str, ...] | list[str]
# `new_reason(Reason, (code, holds, refs, key, params, lang, question))` builds a Reason without
# argument parsing: for the commonest reasons, built for thousands of bodies at once.
new_reason: Callable[[type[Reason], tuple[Any, ...]], Reason] = tuple.__new__


class Reasons:
    """Collects reasons for one decision in one language."""

    __slots__ = ("items", "lang", "question")

    def __init__(self, question: str, lang: str) -> None:
        self.question = question
        self.lang = lang
        self.items: list[Reason] = []

    # Positional-only, so that messages may take a `code` parameter of their own.
    def add(self, reason: str, holds: bool, key: str, refs: Refs = (), /, **params: Any) -> None:
        # Built as a tuple directly (no argument parsing): this runs for every body at once.
        self.items.append(
            new_reason(
                Reason,
                (
                    reason,
                    holds,
                    refs if type(refs) is tuple else tuple(refs),
                    key,
                    params,
                    self.lang,
                    self.question,
                ),
            )
        )

    def gate(self, reason: str, key: str, refs: Refs = (), /, **params: Any) -> tuple[Reason]:
        self.add(reason, False, key, refs, **params)
        return (self.items[-1],)

    def done(self) -> tuple[Reason, ...]:
        return tuple(self.items)
