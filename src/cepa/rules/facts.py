"""The facts the rules engine reasons over: plain frozen dataclasses, no Django.

A `Snapshot` holds the facts a question needs, indexed for lookup. The loader in
`cepa.decisions.loader` builds one from the database; tests build them by hand. A snapshot loaded for
one product type may hold only the scope entries about that type: the engine never looks at others.

A product type listed under several codes is one type (contract §1, rev. 2), so every product type the
facts name (in scopes and their events, designations, agreements, plans, expressions of interest and
routine scope) is its canonical key, the one `Snapshot.key_of` gives for any of its codes; the loader
maps codes to keys. Inspectors' specialties stay as registered (families, codes or keys): the engine
matches them against every name of the type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")

# Organisation kinds, seats, schemes and roles as stored (see cepa.bodies.models).
LABORATORY = "laboratory"
CERTIFICATION_BODY = "certification_body"
INSPECTION_BODY = "inspection_body"
HK = "HK"
MAINLAND = "MAINLAND"
OVERSEAS = "OVERSEAS"
HOKLAS = "HOKLAS"
HKCAS = "HKCAS"
TESTING = "testing"
FACTORY_INSPECTION = "factory_inspection"

ACTIVE = "active"
SUSPENDED = "suspended"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
PROVISIONAL = "provisional"

PUBLISHED_PLAN_STATUSES = frozenset({"published", "closed"})


def beijing_date(moment: dt.datetime) -> dt.date:
    """The calendar date of an aware timestamp in Beijing time."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(BEIJING).date()


def in_range(day: dt.date, start: dt.date, until: dt.date | None) -> bool:
    """`start` ≤ `day` ≤ `until`, both inclusive; `until` None means open-ended."""
    return start <= day and (until is None or day <= until)


@dataclass(frozen=True, slots=True)
class Name:
    en: str
    zh_hant: str = ""
    zh_hans: str = ""

    def in_lang(self, lang: str) -> str:
        if lang == "zh-Hant":
            return self.zh_hant or self.zh_hans or self.en
        if lang == "zh-Hans":
            return self.zh_hans or self.zh_hant or self.en
        return self.en


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    kind: str
    seat: str
    hk_invested: bool = False
    name: Name | None = None


@dataclass(frozen=True, slots=True)
class AccreditationEvent:
    on: dt.date
    status: str
    scope: frozenset[str] | None = None  # None: the whole accreditation

    def covers(self, code: str) -> bool:
        return self.scope is None or code in self.scope


@dataclass(frozen=True, slots=True)
class Accreditation:
    id: str
    organisation: str
    scheme: str
    granted: dt.date
    scope: frozenset[str]
    events: tuple[AccreditationEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class Designation:
    id: str
    organisation: str
    role: str
    product_types: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        # in_range written out: asked for every laboratory and counterparty at once.
        until = self.valid_until
        return self.valid_from <= day and (until is None or day <= until)


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    kind: str
    party: str
    counterparty: str
    product_types: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date | None = None
    terminated_on: dt.date | None = None  # the first day it is no longer in force

    def in_force(self, day: dt.date) -> bool:
        if self.terminated_on is not None and day >= self.terminated_on:
            return False
        until = self.valid_until  # in_range written out, as for Designation
        return self.valid_from <= day and (until is None or day <= until)


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    year: int
    role: str
    product_types: frozenset[str]
    published: dt.date | None
    opens: dt.datetime
    closes: dt.datetime
    requires_expression_of_interest: bool = True
    status: str = "published"
    closed_early_at: dt.datetime | None = None

    @property
    def effective_closes(self) -> dt.datetime:
        """A plan closed early closes at the earlier of its window's end and the early closing."""
        if self.closed_early_at is not None and self.closed_early_at < self.closes:
            return self.closed_early_at
        return self.closes

    def is_published(self, day: dt.date) -> bool:
        return self.status in PUBLISHED_PLAN_STATUSES and self.published is not None and self.published <= day

    def window_open(self, moment: dt.datetime) -> bool:
        return self.opens <= moment <= self.effective_closes


@dataclass(frozen=True, slots=True)
class ExpressionOfInterest:
    id: str
    organisation: str
    year: int
    product_types: frozenset[str]
    submitted: dt.datetime


@dataclass(frozen=True, slots=True)
class InspectorEvent:
    on: dt.date
    status: str = ""  # empty: the event does not change the status
    grade: str = ""  # empty: the event does not change the grade


@dataclass(frozen=True, slots=True)
class Affiliation:
    organisation: str
    valid_from: dt.date
    valid_until: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return in_range(day, self.valid_from, self.valid_until)


@dataclass(frozen=True, slots=True)
class Inspector:
    id: str
    grade: str  # at registration
    specialties: frozenset[str]
    registered: dt.date
    expires: dt.date
    affiliations: tuple[Affiliation, ...] = ()
    events: tuple[InspectorEvent, ...] = ()  # in the order given
    name: Name | None = None


@dataclass(frozen=True, slots=True)
class CataloguePeriod:
    """A stretch of days a product type is in the catalogue: from `start`, the day it became subject to
    CCC (applications opened), through `until`, the day before it was removed (None: still in)."""

    start: dt.date
    until: dt.date | None = None
    started_by: Name | None = None  # the instrument that brought the type in
    ended_by: Name | None = None  # the instrument that took it out

    def covers(self, day: dt.date) -> bool:
        return in_range(day, self.start, self.until)


@dataclass(frozen=True, slots=True)
class ProductType:
    """A catalogue product type: its canonical `key`, every code it is listed under (main code first;
    none for a type without a published code), its periods in the catalogue in order, and its enquiry
    sector. The codes and the key are interchangeable names of the one type (contract §1, rev. 2)."""

    key: str
    codes: tuple[str, ...] = ()
    periods: tuple[CataloguePeriod, ...] = ()
    sector: str = ""
    # Worked out once from the fields above (every decision reads them, and the loader keeps the types
    # it built): the key, then the codes (the key is usually the main code); the two-digit families of
    # its codes, in order (none for a type without a code).
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    families: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(dict.fromkeys((self.key, *self.codes))))
        object.__setattr__(self, "families", tuple(dict.fromkeys(code[:2] for code in self.codes)))

    def period_on(self, day: dt.date) -> CataloguePeriod | None:
        for period in self.periods:
            if period.covers(day):
                return period
        return None

    def in_catalogue(self, day: dt.date) -> bool:
        return self.period_on(day) is not None


@dataclass(frozen=True, slots=True)
class RoutineScopeEntry:
    product_type: str  # the canonical key
    valid_from: dt.date
    valid_until: dt.date | None = None
    instrument: Name | None = None  # the public notice that put it in scope

    def covers(self, day: dt.date) -> bool:
        return in_range(day, self.valid_from, self.valid_until)


@dataclass(frozen=True, slots=True)
class Contact:
    sector: str
    name: Name
    organisation: Name
    phone: str = ""
    email: str = ""


# --- certificates and their chain (rev. 2) ------------------------------------------------------------

VALID = "valid"
REVOKED = "revoked"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class TestReport:
    """A laboratory's test report, made for `certification_body`. `product_type` as recorded."""

    __test__ = False  # not a pytest test class

    id: str
    laboratory: str
    product_type: str
    issued: dt.date
    certification_body: str


@dataclass(frozen=True, slots=True)
class FactoryInspection:
    """A factory inspection by `organisation`'s `inspectors` (in the record's order), on behalf of a
    certification body. `product_type` as recorded."""

    id: str
    organisation: str
    on_behalf_of: str
    inspectors: tuple[str, ...]
    product_type: str
    on: dt.date


@dataclass(frozen=True, slots=True)
class CertificateEvent:
    on: dt.date
    status: str  # valid | suspended | revoked | cancelled


@dataclass(frozen=True, slots=True)
class Certificate:
    """A CCC certificate with its chain: reports and inspections in the certificate's order, and its
    status events as given. `product_type` is the code (or key) the certificate names."""

    id: str
    product_type: str
    issuer: str
    issued: dt.date
    expires: dt.date
    test_reports: tuple[TestReport, ...] = ()
    factory_inspections: tuple[FactoryInspection, ...] = ()
    events: tuple[CertificateEvent, ...] = ()
    holder: Name | None = None


def _group(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, tuple[Any, ...]]:
    """Items grouped by `key` (an attribute's getter), each group ordered by id (the engine's tie-break)."""
    # A group is built as its final tuple, and only a group of several (rare) goes through a list:
    # for every body at once that is thousands of lists and copies fewer.
    grouped: dict[str, Any] = {}
    several: list[str] = []
    for item in items:
        item_key = key(item)
        group = grouped.get(item_key)
        if group is None:
            grouped[item_key] = (item,)
        elif group.__class__ is tuple:
            grouped[item_key] = [*group, item]
            several.append(item_key)
        else:
            group.append(item)
    for item_key in several:
        grouped[item_key] = tuple(sorted(grouped[item_key], key=_BY_ID))
    return grouped


_BY_ID = attrgetter("id")
_BY_ORGANISATION = attrgetter("organisation")
_BY_PARTY = attrgetter("party")


@dataclass(frozen=True)
class Snapshot:
    """Facts indexed for the engine. Build with `Snapshot.of(...)`."""

    organisations: Mapping[str, Organisation] = field(default_factory=dict)
    accreditations: Mapping[str, tuple[Accreditation, ...]] = field(default_factory=dict)  # by organisation
    designations: Mapping[str, tuple[Designation, ...]] = field(default_factory=dict)  # by organisation
    agreements: Mapping[str, tuple[Agreement, ...]] = field(default_factory=dict)  # by party
    plans: tuple[Plan, ...] = ()
    expressions_of_interest: Mapping[str, tuple[ExpressionOfInterest, ...]] = field(default_factory=dict)
    inspectors: Mapping[str, Inspector] = field(default_factory=dict)
    # Every name of a product type (key, main and bundled codes) -> the type.
    catalogue: Mapping[str, ProductType] = field(default_factory=dict)
    routine_scope: Mapping[str, tuple[RoutineScopeEntry, ...]] = field(default_factory=dict)  # by key
    contacts: Mapping[str, Contact] = field(default_factory=dict)  # by sector
    certificates: Mapping[str, Certificate] = field(default_factory=dict)  # by number

    @classmethod
    def of(
        cls,
        *,
        organisations: Iterable[Organisation] = (),
        accreditations: Iterable[Accreditation] = (),
        designations: Iterable[Designation] = (),
        agreements: Iterable[Agreement] = (),
        plans: Iterable[Plan] = (),
        expressions_of_interest: Iterable[ExpressionOfInterest] = (),
        inspectors: Iterable[Inspector] = (),
        catalogue: Iterable[ProductType] = (),
        routine_scope: Iterable[RoutineScopeEntry] = (),
        contacts: Iterable[Contact] = (),
        certificates: Iterable[Certificate] = (),
    ) -> Snapshot:
        routine_by_key: dict[str, list[RoutineScopeEntry]] = {}
        for routine in routine_scope:
            routine_by_key.setdefault(routine.product_type, []).append(routine)
        # The fields set as the generated __init__ sets them, without its object.__setattr__ per field
        # (a certificate decision builds a snapshot each time; see also `new_decision`).
        snapshot = _new(cls)
        fields = snapshot.__dict__
        fields["organisations"] = {org.id: org for org in organisations}
        fields["accreditations"] = _group(accreditations, _BY_ORGANISATION)
        fields["designations"] = _group(designations, _BY_ORGANISATION)
        fields["agreements"] = _group(agreements, _BY_PARTY)
        fields["plans"] = tuple(sorted(plans, key=_BY_ID)) if plans else ()
        fields["expressions_of_interest"] = (
            _group(expressions_of_interest, _BY_ORGANISATION) if expressions_of_interest else {}
        )
        fields["inspectors"] = {inspector.id: inspector for inspector in inspectors}
        fields["catalogue"] = {
            name: product_type for product_type in catalogue for name in product_type.names
        }
        fields["routine_scope"] = {
            key: tuple(sorted(entries, key=lambda e: e.valid_from)) for key, entries in routine_by_key.items()
        }
        fields["contacts"] = {contact.sector: contact for contact in contacts}
        fields["certificates"] = {certificate.id: certificate for certificate in certificates}
        return snapshot

    @property
    def known_codes(self) -> frozenset[str]:
        """Every name a product type of the snapshot answers to: codes and keys."""
        return frozenset(self.catalogue)

    def key_of(self, name: str) -> str:
        """The canonical key of the product type named `name` (a code or key); `name` itself when the
        snapshot has no such type."""
        found = self.catalogue.get(name)
        return name if found is None else found.key


# --- fast builders for the loaders ------------------------------------------------------------------
# The generated __init__ of a frozen dataclass sets each field through object.__setattr__; loading for
# every body builds thousands of facts, and a certificate decision builds its chain's for every
# decision. Each builder sets every field of an open twin (see `_open_twin`), so what it builds equals
# (==, hash) what the constructor builds.

_new = object.__new__


def _open_twin(fact: type) -> Any:
    """A plain class with the same slots as the frozen `fact`: an object built as the twin, its slots set
    by ordinary assignment (several times cheaper than a descriptor's __set__ call), becomes a `fact`
    by assigning `__class__` (allowed between classes of the same layout), and is then equal to what
    the constructor builds."""
    slots = fact.__dict__["__slots__"]
    twin = type(f"_Open{fact.__name__}", (), {"__slots__": slots})
    if twin.__dict__["__slots__"] != slots or twin.__basicsize__ != fact.__basicsize__:
        raise TypeError(f"{fact.__name__}: no twin of the same layout")
    return twin


_OpenOrganisation = _open_twin(Organisation)
_OpenAccreditation = _open_twin(Accreditation)
_OpenAgreement = _open_twin(Agreement)
_OpenDesignation = _open_twin(Designation)
_OpenInspector = _open_twin(Inspector)
_OpenAffiliation = _open_twin(Affiliation)
_OpenCertificateEvent = _open_twin(CertificateEvent)
_OpenCertificate = _open_twin(Certificate)
_OpenTestReport = _open_twin(TestReport)
_OpenFactoryInspection = _open_twin(FactoryInspection)


def organisation(id: str, kind: str, seat: str, hk_invested: bool, name: Name | None) -> Organisation:
    """`Organisation(id, kind, seat, hk_invested, name)`, faster."""
    built = _new(_OpenOrganisation)
    built.id = id
    built.kind = kind
    built.seat = seat
    built.hk_invested = hk_invested
    built.name = name
    built.__class__ = Organisation
    return built  # type: ignore[no-any-return]


def unnamed_organisations(rows: Iterable[Sequence[Any]]) -> list[Organisation]:
    """`[organisation(row[0], row[1], row[2], bool(row[3]), None) for row in rows]`, without a call per
    row: every laboratory at once is thousands of them."""
    built_all: list[Organisation] = []
    append = built_all.append
    for row in rows:
        built = _new(_OpenOrganisation)
        built.id = row[0]
        built.kind = row[1]
        built.seat = row[2]
        built.hk_invested = True if row[3] else False  # noqa: SIM210 (bool() without a call: per row)
        built.name = None
        built.__class__ = Organisation
        append(built)
    return built_all


def accreditation(
    id: str,
    organisation: str,
    scheme: str,
    granted: dt.date,
    scope: frozenset[str],
    events: tuple[AccreditationEvent, ...],
) -> Accreditation:
    """`Accreditation(id, organisation, scheme, granted, scope, events)`, faster."""
    built = _new(_OpenAccreditation)
    built.id = id
    built.organisation = organisation
    built.scheme = scheme
    built.granted = granted
    built.scope = scope
    built.events = events
    built.__class__ = Accreditation
    return built  # type: ignore[no-any-return]


def designation(
    id: str,
    organisation: str,
    role: str,
    product_types: frozenset[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> Designation:
    """`Designation(id, organisation, role, product_types, valid_from, valid_until)`, faster."""
    built = _new(_OpenDesignation)
    built.id = id
    built.organisation = organisation
    built.role = role
    built.product_types = product_types
    built.valid_from = valid_from
    built.valid_until = valid_until
    built.__class__ = Designation
    return built  # type: ignore[no-any-return]


def agreement(
    id: str,
    kind: str,
    party: str,
    counterparty: str,
    product_types: frozenset[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
    terminated_on: dt.date | None,
) -> Agreement:
    """`Agreement(id, kind, party, counterparty, product_types, valid_from, valid_until,
    terminated_on)`, faster."""
    built = _new(_OpenAgreement)
    built.id = id
    built.kind = kind
    built.party = party
    built.counterparty = counterparty
    built.product_types = product_types
    built.valid_from = valid_from
    built.valid_until = valid_until
    built.terminated_on = terminated_on
    built.__class__ = Agreement
    return built  # type: ignore[no-any-return]


# The facts of one `certificate` decision's chain, built for every decision.
def inspector(
    id: str,
    grade: str,
    specialties: frozenset[str],
    registered: dt.date,
    expires: dt.date,
    affiliations: tuple[Affiliation, ...],
    events: tuple[InspectorEvent, ...],
    name: Name | None,
) -> Inspector:
    """`Inspector(id, grade, specialties, registered, expires, affiliations, events, name)`, faster."""
    built = _new(_OpenInspector)
    built.id = id
    built.grade = grade
    built.specialties = specialties
    built.registered = registered
    built.expires = expires
    built.affiliations = affiliations
    built.events = events
    built.name = name
    built.__class__ = Inspector
    return built  # type: ignore[no-any-return]


def affiliation(organisation: str, valid_from: dt.date, valid_until: dt.date | None) -> Affiliation:
    """`Affiliation(organisation, valid_from, valid_until)`, faster."""
    built = _new(_OpenAffiliation)
    built.organisation = organisation
    built.valid_from = valid_from
    built.valid_until = valid_until
    built.__class__ = Affiliation
    return built  # type: ignore[no-any-return]


def certificate_event(on: dt.date, status: str) -> CertificateEvent:
    """`CertificateEvent(on, status)`, faster."""
    built = _new(_OpenCertificateEvent)
    built.on = on
    built.status = status
    built.__class__ = CertificateEvent
    return built  # type: ignore[no-any-return]


def report(id: str, laboratory: str, product_type: str, issued: dt.date, body: str) -> TestReport:
    """`TestReport(id, laboratory, product_type, issued, body)`, faster."""
    built = _new(_OpenTestReport)
    built.id = id
    built.laboratory = laboratory
    built.product_type = product_type
    built.issued = issued
    built.certification_body = body
    built.__class__ = TestReport
    return built  # type: ignore[no-any-return]


def factory_inspection(
    id: str, organisation: str, on_behalf_of: str, inspectors: tuple[str, ...], product_type: str, on: dt.date
) -> FactoryInspection:
    """`FactoryInspection(id, organisation, on_behalf_of, inspectors, product_type, on)`, faster."""
    built = _new(_OpenFactoryInspection)
    built.id = id
    built.organisation = organisation
    built.on_behalf_of = on_behalf_of
    built.inspectors = inspectors
    built.product_type = product_type
    built.on = on
    built.__class__ = FactoryInspection
    return built  # type: ignore[no-any-return]


def certificate(
    id: str,
    product_type: str,
    issuer: str,
    issued: dt.date,
    expires: dt.date,
    test_reports: tuple[TestReport, ...],
    factory_inspections: tuple[FactoryInspection, ...],
    events: tuple[CertificateEvent, ...],
    holder: Name | None,
) -> Certificate:
    """`Certificate(id, product_type, issuer, issued, expires, test_reports, factory_inspections, events,
    holder)`, faster."""
    built = _new(_OpenCertificate)
    built.id = id
    built.product_type = product_type
    built.issuer = issuer
    built.issued = issued
    built.expires = expires
    built.test_reports = test_reports
    built.factory_inspections = factory_inspections
    built.events = events
    built.holder = holder
    built.__class__ = Certificate
    return built  # type: ignore[no-any-return]


# --- for every body at once: facts built and grouped in one pass ------------------------------------
# The loaders for every laboratory build thousands of facts and then group them as `Snapshot.of` does;
# these do both in one loop over the rows, without a call per row (see `_open_twin`). Rows come in id
# order, so a group is built in order; a group of several is sorted by id at the end all the same, as
# `_group` does (a database's collation may order ids otherwise).

_date = dt.date


def organisation_index(rows: Iterable[Sequence[Any]]) -> dict[str, Organisation]:
    """`{o.id: o for o in unnamed_organisations(rows)}`, as `Snapshot.of` indexes them (rows of at
    least four columns: id, kind, seat, hk_invested)."""
    index: dict[str, Organisation] = {}
    for row in rows:
        built = _new(_OpenOrganisation)
        built.id = id_ = row[0]
        built.kind = row[1]
        built.seat = row[2]
        built.hk_invested = True if row[3] else False  # noqa: SIM210 (bool() without a call: per row)
        built.name = None
        built.__class__ = Organisation
        index[id_] = built
    return index


def _sorted_groups(grouped: dict[str, Any], several: list[str]) -> dict[str, tuple[Any, ...]]:
    by_id = attrgetter("id")
    for key in several:
        grouped[key] = tuple(sorted(grouped[key], key=by_id))
    return grouped


def accreditations_by_organisation(
    rows: Iterable[Sequence[Any]],
    scheme: str,
    covering: frozenset[str],
    other: frozenset[str],
    events: Mapping[str, Sequence[AccreditationEvent]],
    to_day: Any,
) -> dict[str, tuple[Accreditation, ...]]:
    """Accreditations in `scheme` of rows (id, organisation, granted, covers), grouped by organisation as
    `Snapshot.of` groups them: scope `covering` where the row covers the type, else `other`; the events
    of `events[id]`. `to_day` reads a `granted` the driver did not give as a date."""
    grouped: dict[str, Any] = {}
    several: list[str] = []
    get_events = events.get
    for id_, organisation_id, granted, covers in rows:
        built = _new(_OpenAccreditation)
        built.id = id_
        built.organisation = organisation_id
        built.scheme = scheme
        built.granted = granted if granted.__class__ is _date else to_day(granted)
        built.scope = covering if covers else other
        found = get_events(id_) if events else None  # events: rare, and none when none covers the type
        built.events = () if found is None else tuple(found)
        built.__class__ = Accreditation
        group = grouped.get(organisation_id)
        if group is None:
            grouped[organisation_id] = (built,)
        else:
            if len(group) == 1:
                several.append(organisation_id)
            grouped[organisation_id] = (*group, built)
    return _sorted_groups(grouped, several)


def agreements_by_party(
    rows: Iterable[Sequence[Any]], scope: frozenset[str], to_day: Any
) -> dict[str, tuple[Agreement, ...]]:
    """Agreements of rows (id, kind, party, counterparty, valid_from, valid_until, terminated_on), each
    with `scope`, grouped by party as `Snapshot.of` groups them."""
    grouped: dict[str, Any] = {}
    several: list[str] = []
    for id_, kind, party, counterparty, valid_from, valid_until, terminated in rows:
        built = _new(_OpenAgreement)
        built.id = id_
        built.kind = kind
        built.party = party
        built.counterparty = counterparty
        built.product_types = scope
        built.valid_from = valid_from if valid_from.__class__ is _date else to_day(valid_from)
        if valid_until is not None and valid_until.__class__ is not _date:
            valid_until = to_day(valid_until)
        if terminated is not None and terminated.__class__ is not _date:
            terminated = to_day(terminated)
        built.valid_until = valid_until
        built.terminated_on = terminated
        built.__class__ = Agreement
        group = grouped.get(party)
        if group is None:
            grouped[party] = (built,)
        else:
            if len(group) == 1:
                several.append(party)
            grouped[party] = (*group, built)
    return _sorted_groups(grouped, several)


def designations_by_organisation(
    rows: Iterable[Sequence[Any]], scope: frozenset[str], to_day: Any
) -> dict[str, tuple[Designation, ...]]:
    """Designations of rows (id, organisation, role, valid_from, valid_until), each with `scope`, grouped
    by organisation as `Snapshot.of` groups them."""
    grouped: dict[str, Any] = {}
    several: list[str] = []
    for id_, organisation_id, role, valid_from, valid_until in rows:
        built = _new(_OpenDesignation)
        built.id = id_
        built.organisation = organisation_id
        built.role = role
        built.product_types = scope
        built.valid_from = valid_from if valid_from.__class__ is _date else to_day(valid_from)
        if valid_until is not None and valid_until.__class__ is not _date:
            valid_until = to_day(valid_until)
        built.valid_until = valid_until
        built.__class__ = Designation
        group = grouped.get(organisation_id)
        if group is None:
            grouped[organisation_id] = (built,)
        else:
            if len(group) == 1:
                several.append(organisation_id)
            grouped[organisation_id] = (*group, built)
    return _sorted_groups(grouped, several)
