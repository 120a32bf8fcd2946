"""Answers the contract's questions (§2) from the database: validate the input, load a snapshot, decide.

Reads only; nothing here writes. The CLI (`cepa check`), the API and the workflows all come through
`decide`; the directory and the benchmark use the `*_for_all` functions, which decide for every body
at once from one snapshot; the applicant portal uses `designation_decisions`, which decides for several
product types of one body from one snapshot. Statuses on a date are in `selectors`.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from cepa import dates
from cepa.decisions import loader
from cepa.rules import facts
from cepa.rules.certificate import decide_certificate
from cepa.rules.decision import QUESTIONS, Decision
from cepa.rules.designation import decide_designation
from cepa.rules.enquiry import decide_enquiry
from cepa.rules.inspection import decide_inspection
from cepa.rules.messages import LANGUAGES, normalise_language
from cepa.rules.testing import decide_testing, decide_testing_for

# Which arguments each question takes, and which of them it requires.
ARGUMENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "testing": (frozenset({"subject", "product_type", "on"}), frozenset({"subject", "product_type"})),
    "inspection": (
        frozenset({"subject", "org", "product_type", "on"}),
        frozenset({"subject", "org", "product_type"}),
    ),
    "designation": (frozenset({"subject", "product_type", "at"}), frozenset({"subject", "product_type"})),
    "enquiry": (frozenset({"product_type"}), frozenset({"product_type"})),
    "certificate": (frozenset({"subject", "on"}), frozenset({"subject"})),
}

# Per question, from ARGUMENTS: the arguments it does not accept and those it requires, as (index in
# `decide`'s (subject, org, product_type, on, at), name) in that order; checked for every decision.
_ARGUMENT_NAMES = ("subject", "org", "product_type", "on", "at")
_CHECKS: dict[str, tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]] = {
    question: (
        tuple((index, name) for index, name in enumerate(_ARGUMENT_NAMES) if name not in accepted),
        tuple((index, name) for index, name in enumerate(_ARGUMENT_NAMES[:3]) if name in required),
    )
    for question, (accepted, required) in ARGUMENTS.items()
}

# ASCII digits only: `\d` would also take other scripts' digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"  # date and time
    r"(:[0-9]{2}(\.[0-9]{1,6})?)?"  # seconds
    r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?"  # offset; none means Beijing time
)
# A 4-digit code, or the key of a type without a published code (a lower-case slug).
_CODE = re.compile(r"[0-9]{4}|[a-z][a-z0-9]*(-[a-z0-9]+)*")
_CERTIFICATE_NUMBER = re.compile(r"[0-9]{16}")
CERTIFICATE_NUMBER_RULE = (
    "a CCC certificate number is 16 digits: the year (4 digits), the issuer's CNCA code (2), "
    "the product type code (4), then a serial (6), such as 2026570701000123"
)


D = TypeVar("D", dt.date, dt.datetime)


class DecisionInputError(ValueError):
    """Bad input to a question: `field` names the argument, `message` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_date(value: str | dt.date, field: str = "on") -> dt.date:
    """A `YYYY-MM-DD` date. A datetime is taken as its date in Beijing time."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=facts.BEIJING)
        return _bounded(field, facts.beijing_date(_bounded(field, moment)))
    if isinstance(value, dt.date):
        return _bounded(field, value)
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise DecisionInputError(field, f"malformed date {value!r}: expected YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise DecisionInputError(field, f"no such date {value!r}") from None
    return _bounded(field, day)


def _bounded(field: str, value: D) -> D:
    """The date or time when it lies in the range the registry accepts (cepa.dates): the rules
    compute days from it, and far from today that overflows."""
    message = dates.out_of_range(field, value)
    if message:
        raise DecisionInputError(field, message)
    return value


def parse_timestamp(value: str | dt.datetime, field: str = "at") -> dt.datetime:
    """An ISO 8601 timestamp; one without an offset is Beijing/Hong Kong time (UTC+08:00)."""
    if isinstance(value, dt.datetime):
        return _bounded(field, value if value.tzinfo else value.replace(tzinfo=facts.BEIJING))
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise DecisionInputError(
            field, f"malformed timestamp {value!r}: expected ISO 8601 such as 2026-06-05T10:00:00+08:00"
        )
    try:
        moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise DecisionInputError(field, f"no such time {value!r}") from None
    return _bounded(field, moment if moment.tzinfo else moment.replace(tzinfo=facts.BEIJING))


def parse_language(value: str | None) -> str:
    if value is None:
        return "en"
    lang = normalise_language(value) if isinstance(value, str) else None
    if lang is None:
        raise DecisionInputError("lang", f"unknown language {value!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def today_in_beijing() -> dt.date:
    return dt.datetime.now(facts.BEIJING).date()


def now_in_beijing() -> dt.datetime:
    return dt.datetime.now(facts.BEIJING).replace(microsecond=0)


def _check_code_format(product_type: str) -> None:
    if not isinstance(product_type, str) or not _CODE.fullmatch(product_type):
        raise DecisionInputError(
            "product_type",
            f"malformed product type code {product_type!r}: expected 4 digits or a catalogue key",
        )


def _check_known(snapshot: facts.Snapshot, product_type: str) -> None:
    if product_type not in snapshot.catalogue:
        raise DecisionInputError(
            "product_type",
            f"unknown product type code {product_type!r}: no catalogue version has had it",
        )


def _check_identifier(field: str, identifier: str, what: str) -> None:
    """Ids are looked up as given; one no database could hold (a NUL character) is simply unknown."""
    if "\x00" in identifier:
        raise DecisionInputError(field, f"no {what} {identifier!r}")


def _check_organisation(snapshot: facts.Snapshot, field: str, identifier: str) -> None:
    if identifier not in snapshot.organisations:
        raise DecisionInputError(field, f"no organisation with id {identifier!r}")


def decide(
    question: str,
    *,
    subject: str | None = None,
    org: str | None = None,
    product_type: str | None = None,
    on: str | dt.date | None = None,
    at: str | dt.datetime | None = None,
    lang: str | None = "en",
) -> Decision:
    """Answer one question of the contract. Raises DecisionInputError for bad input.

    `on` defaults to today in Beijing, `at` to now. Strings are parsed as the CLI and the API give them.
    """
    if question not in ARGUMENTS:
        raise DecisionInputError(
            "question", f"unknown question {question!r}: use one of {', '.join(QUESTIONS)}"
        )
    refused, required = _CHECKS[question]
    given = (subject, org, product_type, on, at)
    for index, name in refused:
        if given[index] is not None:
            raise DecisionInputError(name, f"not accepted by the {question} question")
    for index, name in required:
        if given[index] is None:
            raise DecisionInputError(name, f"required by the {question} question")
    language = parse_language(lang)
    if question == "certificate":
        assert subject is not None
        return _decide_certificate(subject, on, language)
    assert product_type is not None
    _check_code_format(product_type)
    if subject is not None:
        _check_identifier(
            "subject",
            subject,
            "inspector with registration number" if question == "inspection" else "organisation with id",
        )
    if org is not None:
        _check_identifier("org", org, "organisation with id")

    if question == "testing":
        assert subject is not None
        day = today_in_beijing() if on is None else parse_date(on)
        snapshot = loader.snapshot_for_testing(product_type, subject)
        _check_known(snapshot, product_type)
        _check_organisation(snapshot, "subject", subject)
        return decide_testing(snapshot, subject=subject, product_type=product_type, on=day, lang=language)

    if question == "inspection":
        assert subject is not None and org is not None
        day = today_in_beijing() if on is None else parse_date(on)
        snapshot = loader.snapshot_for_inspection(product_type, subject, org)
        _check_known(snapshot, product_type)
        if subject not in snapshot.inspectors:
            raise DecisionInputError("subject", f"no inspector with registration number {subject!r}")
        _check_organisation(snapshot, "org", org)
        return decide_inspection(
            snapshot, subject=subject, org=org, product_type=product_type, on=day, lang=language
        )

    if question == "designation":
        assert subject is not None
        moment = now_in_beijing() if at is None else parse_timestamp(at)
        snapshot = loader.snapshot_for_designation(product_type, subject)
        _check_known(snapshot, product_type)
        _check_organisation(snapshot, "subject", subject)
        return decide_designation(
            snapshot, subject=subject, product_type=product_type, at=moment, lang=language
        )

    snapshot = loader.snapshot_for_enquiry(product_type)
    _check_known(snapshot, product_type)
    return decide_enquiry(snapshot, product_type=product_type, lang=language)


def _decide_certificate(number: str, on: str | dt.date | None, lang: str) -> Decision:
    if not isinstance(number, str) or not _CERTIFICATE_NUMBER.fullmatch(number):
        raise DecisionInputError(
            "subject", f"malformed certificate number {number!r}: {CERTIFICATE_NUMBER_RULE}"
        )
    day = today_in_beijing() if on is None else parse_date(on)
    snapshot = loader.snapshot_for_certificate(number)
    if number not in snapshot.certificates:
        raise DecisionInputError(
            "subject", f"no certificate with number {number!r} in the registry ({CERTIFICATE_NUMBER_RULE})"
        )
    return decide_certificate(snapshot, subject=number, on=day, lang=lang)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector while deciding for every body at once.

    That builds tens of thousands of small acyclic objects (facts, reasons), which would otherwise set
    off repeated full collections over the whole process heap; reference counting still frees them.
    Cyclic garbage of other threads made meanwhile is collected later, at the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was made meanwhile and lives on (the decisions) goes straight to the oldest generation
            # (documented: freeze moves every tracked object to the permanent generation, unfreeze puts
            # them back into the oldest), both in constant time. Else the first young collection after
            # the pause traverses all of it at once: 10-25 ms for 7,300 decisions, a tenth of the call.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _prepare_for_all(product_type: str, lang: str | None) -> str:
    _check_code_format(product_type)
    return parse_language(lang)


def testing_for_all(
    product_type: str, on: str | dt.date | None = None, lang: str | None = "en"
) -> list[Decision]:
    """The `testing` decision for every laboratory (by id), from one snapshot in a fixed number of queries."""
    language = _prepare_for_all(product_type, lang)
    day = today_in_beijing() if on is None else parse_date(on)
    with gc_paused():
        snapshot = loader.snapshot_for_testing(product_type)
        _check_known(snapshot, product_type)
        decisions = decide_testing_for(
            snapshot,
            subjects=sorted(snapshot.organisations),
            product_type=product_type,
            on=day,
            lang=language,
        )
        # Freed now, while the collector is paused, so the collection that follows leaves it out.
        del snapshot
    return decisions


def testing_for_laboratories(
    product_type: str, subjects: Collection[str], on: str | dt.date | None = None, lang: str | None = "en"
) -> list[Decision]:
    """The `testing` decision for each laboratory among `subjects` (by id; other bodies and unknown ids
    are left out), as `testing_for_all` gives it, from facts of those subjects alone: a page of the
    directory needs its 25 rows decided, not every laboratory. A fixed number of queries."""
    language = _prepare_for_all(product_type, lang)
    day = today_in_beijing() if on is None else parse_date(on)
    snapshot = loader.snapshot_for_testing(product_type, subjects=set(subjects))
    _check_known(snapshot, product_type)
    laboratories = sorted(
        id_ for id_, organisation in snapshot.organisations.items() if organisation.kind == facts.LABORATORY
    )
    return decide_testing_for(
        snapshot, subjects=laboratories, product_type=product_type, on=day, lang=language
    )


def inspection_for_all(
    product_type: str, on: str | dt.date | None = None, lang: str | None = "en"
) -> list[Decision]:
    """The `inspection` decision for every inspector with every organisation it has ever been affiliated
    with (ordered by inspector, then organisation), in a fixed number of queries."""
    language = _prepare_for_all(product_type, lang)
    day = today_in_beijing() if on is None else parse_date(on)
    with gc_paused():
        snapshot = loader.snapshot_for_inspection(product_type)
        _check_known(snapshot, product_type)
        decisions = []
        for inspector_id in sorted(snapshot.inspectors):
            inspector = snapshot.inspectors[inspector_id]
            for org in sorted({a.organisation for a in inspector.affiliations}):
                if org in snapshot.organisations:
                    decisions.append(
                        decide_inspection(
                            snapshot,
                            subject=inspector_id,
                            org=org,
                            product_type=product_type,
                            on=day,
                            lang=language,
                        )
                    )
        return decisions


def designation_for_all(
    product_type: str, at: str | dt.datetime | None = None, lang: str | None = "en"
) -> list[Decision]:
    """The `designation` decision for every Mainland organisation (by id), in a fixed number of queries."""
    language = _prepare_for_all(product_type, lang)
    moment = now_in_beijing() if at is None else parse_timestamp(at)
    with gc_paused():
        snapshot = loader.snapshot_for_designation(product_type)
        _check_known(snapshot, product_type)
        return [
            decide_designation(snapshot, subject=body, product_type=product_type, at=moment, lang=language)
            for body in sorted(snapshot.organisations)
        ]


def designation_decisions(
    subject: str, product_types: Sequence[str], at: dt.datetime, lang: str = "en"
) -> list[Decision]:
    """The `designation` decision of `subject` for each of several product types (in order) as of `at`,
    as a page showing them together asks; codes no catalogue has had are left out.

    `decide` would load a snapshot per product type (five queries each); this loads one for all of
    them: five queries plus one per product type.
    """
    organisations = loader.load_organisations(ids=[subject])
    if not organisations:
        return []
    mainland = organisations[0].seat == facts.MAINLAND
    wanted = set(product_types)
    catalogue = [t for t in loader.load_catalogue(None) if not wanted.isdisjoint(t.names)]
    index = loader.key_index(catalogue)
    routine: list[facts.RoutineScopeEntry] = []
    if mainland:
        for key in dict.fromkeys(index[code] for code in product_types if code in index):
            routine.extend(loader.load_routine_scope(key))
    snapshot = facts.Snapshot.of(
        organisations=organisations,
        routine_scope=routine,
        plans=loader.load_plans(index) if mainland else [],
        expressions_of_interest=loader.load_expressions_of_interest([subject], index) if mainland else [],
        catalogue=catalogue,
    )
    return [
        decide_designation(snapshot, subject=subject, product_type=code, at=at, lang=lang)
        for code in product_types
        if code in index
    ]
