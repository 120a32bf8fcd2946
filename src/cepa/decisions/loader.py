"""Builds rules-engine Snapshots from the database in a small, fixed number of queries.

Each loader reads what one question needs about one product type, either for one subject (and the
counterparties it relies on) or for every body at once. The number of queries does not depend on the
size of the registry. Scope rows are read for the asked product type only, so a loaded snapshot's
scopes (accreditation, designation, agreement) hold at most that one type, by its key: the engine looks
at no other. The catalogue part holds the product type the asked code or key names (with all its
names), so an unknown one leaves it empty.

The queries are written with the ORM and compiled once (see `prepared`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, StrIndex

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    Designation,
    Organisation,
)
from cepa.catalogue.models import Contact, ProductType, RoutineScopeEntry
from cepa.certificates.models import Certificate, CertificateInspection, CertificateReport
from cepa.decisions.prepared import (
    Prepared,
    day,
    flag,
    json_value,
    maybe_day,
    maybe_moment,
    moment,
    one_cursor,
)
from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.rules import facts

NAME_FIELDS = ("name_en", "name_zh_hant", "name_zh_hans")
# Both drivers give date columns as dates already; the loaders for every body test for that inline
# rather than call `day` on each of thousands of values.
_DATE = dt.date


def _name(en: str | None, zh_hant: str | None, zh_hans: str | None) -> facts.Name:
    return facts.Name(en or "", zh_hant or "", zh_hans or "")


def _codes(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(value) for value in values or ())


@functools.lru_cache(maxsize=4096)
def _parsed_codes(text: str | bytes) -> frozenset[str]:
    return _codes(json_value(text))


def _json_codes(value: Any) -> frozenset[str]:
    """The codes of a JSON list column. Parsed once per distinct text: every inspector of a body tends
    to list the same specialties, and the set is immutable, so one parse serves them all."""
    if isinstance(value, str | bytes):
        return _parsed_codes(value)
    return _codes(json_value(value))


# --- catalogue -------------------------------------------------------------------------------------
# A product type listed under several codes is one type (contract §1, rev. 2): the catalogue part of a
# snapshot holds the type with all its names, and every other fact names it by its canonical key. Scope
# rows are read under any of the type's names (`names`), as the registry holds what was given.

_INSTRUMENT = ("title_en", "title_zh_hant", "title_zh_hans")
_CATALOGUE_FIELDS = (
    "key",
    "code",
    "other_codes",
    "sector",
    "category__sector",
    "periods__start",
    "periods__until",
    *(f"periods__started_by__{field}" for field in _INSTRUMENT),
    *(f"periods__ended_by__{field}" for field in _INSTRUMENT),
)


def _named(name: str) -> QuerySet[ProductType]:
    # Bundled codes live in a JSON list: its text holds each with its quotes, which is portable and exact.
    # INSTR (STRPOS) rather than LIKE: the list is read for every type, and it is several times quicker.
    at = StrIndex(Cast("other_codes", TextField()), Value(f'"{name}"'))
    named = Q(key=name) | Q(code=name) | Q(bundled_at__gt=0)
    return ProductType.objects.annotate(bundled_at=at).filter(named)


# One row per period (the periods in order), so a type and its periods come in one query.
_CATALOGUE_FOR_NAME = Prepared(
    lambda name: _named(name).order_by("key", "periods__start").values_list(*_CATALOGUE_FIELDS)
)
_CATALOGUE_ALL = Prepared(
    lambda: ProductType.objects.order_by("key", "periods__start").values_list(*_CATALOGUE_FIELDS)
)


# Cached: a catalogue cites a few dozen instruments, read again by every decision (a Name is immutable).
@functools.lru_cache(maxsize=1024)
def _citation(en: str | None, zh_hant: str | None, zh_hans: str | None) -> facts.Name | None:
    """An instrument as a basis cites it: its title up to the colon that starts its description."""
    if not en:
        return None
    return facts.Name(
        en.split(": ", 1)[0], (zh_hant or "").split("：", 1)[0], (zh_hans or "").split("：", 1)[0]
    )


def _product_types(rows: list[tuple[Any, ...]]) -> list[facts.ProductType]:
    heads: dict[str, tuple[tuple[str, ...], str]] = {}
    periods: dict[str, list[facts.CataloguePeriod]] = {}
    for key, code, others, sector, category_sector, start, until, *titles in rows:
        if key not in heads:
            codes = ([code] if code else []) + [str(other) for other in json_value(others) or ()]
            heads[key] = (tuple(dict.fromkeys(codes)), sector or category_sector or "")
            periods[key] = []
        if start is not None:
            periods[key].append(
                facts.CataloguePeriod(
                    day(start), maybe_day(until), _citation(*titles[:3]), _citation(*titles[3:])
                )
            )
    return [
        facts.ProductType(key, codes, tuple(periods[key]), sector) for key, (codes, sector) in heads.items()
    ]


def load_catalogue(name: str | None = None) -> list[facts.ProductType]:
    """The product type named `name` (any of its codes, or its key) with its periods in the catalogue,
    or every product type any catalogue version has had (`name` None). One query."""
    if name is None:
        return _product_types(_CATALOGUE_ALL.rows())
    rows = _CATALOGUE_FOR_NAME.rows(name=name)
    try:
        return list(_types_named(tuple(rows), name))
    except TypeError:  # a value that cannot be hashed (a driver giving JSON decoded): built each time
        return [t for t in _product_types(rows) if name in t.names]


# Keyed by the rows just read, so never stale: the catalogue holds a few hundred types, every decision
# reads its type's rows again, and the facts are immutable.
@functools.lru_cache(maxsize=512)
def _types_named(rows: tuple[tuple[Any, ...], ...], name: str) -> tuple[facts.ProductType, ...]:
    return tuple(t for t in _product_types(list(rows)) if name in t.names)


def names_of(catalogue: list[facts.ProductType], name: str) -> tuple[str, tuple[str, ...]]:
    """(the canonical key, every name) of the type named `name` in a loaded catalogue part; for a name
    no type has, the name alone."""
    for product_type in catalogue:
        if name in product_type.names:
            return product_type.key, product_type.names
    return name, (name,)


def key_index(catalogue: Iterable[facts.ProductType]) -> dict[str, str]:
    """Every name of the given types -> its canonical key."""
    return {name: product_type.key for product_type in catalogue for name in product_type.names}


def _keys(values: Iterable[Any] | None, index: Mapping[str, str]) -> frozenset[str]:
    """Product types as the facts name them: each code mapped to its type's key (others as given)."""
    return frozenset(index.get(value, value) for value in map(str, values or ()))


_ROUTINE = Prepared(
    lambda key: (
        RoutineScopeEntry.objects.filter(product_type_id=key)
        .order_by("valid_from", "id")
        .values_list(
            "valid_from",
            "valid_until",
            "instrument__title_en",
            "instrument__title_zh_hant",
            "instrument__title_zh_hans",
        )
    )
)


def load_routine_scope(key: str) -> list[facts.RoutineScopeEntry]:
    """Routine-designation scope entries of the product type `key`. One query."""
    return [
        facts.RoutineScopeEntry(key, day(valid_from), maybe_day(valid_until), _name(en, zh_hant, zh_hans))
        for valid_from, valid_until, en, zh_hant, zh_hans in _ROUTINE.rows(key=key)
    ]


_CONTACTS = Prepared(
    lambda: Contact.objects.order_by("sector").values_list(
        "sector",
        *NAME_FIELDS,
        "organisation_en",
        "organisation_zh_hant",
        "organisation_zh_hans",
        "phone",
        "email",
    )
)


def load_contacts() -> list[facts.Contact]:
    return [
        facts.Contact(
            sector=sector,
            name=_name(en, zh_hant, zh_hans),
            organisation=_name(org_en, org_hant, org_hans),
            phone=phone or "",
            email=email or "",
        )
        for sector, en, zh_hant, zh_hans, org_en, org_hant, org_hans, phone, email in _CONTACTS.rows()
    ]


# --- registry --------------------------------------------------------------------------------------
# Each query comes in two forms: for given organisations (`ids`) or for all of them; the second form
# joins nothing it does not need, since bodies of other kinds simply go unasked.


_ORGANISATION_FIELDS = ("id", "kind", "seat", "hk_invested", *NAME_FIELDS)
_ORGANISATIONS_BY_ID = Prepared(
    lambda ids: Organisation.objects.filter(id__in=ids).order_by("id").values_list(*_ORGANISATION_FIELDS)
)
_ORGANISATIONS_BY_KIND = Prepared(
    lambda kinds: (
        Organisation.objects.filter(kind__in=kinds).order_by("id").values_list(*_ORGANISATION_FIELDS)
    )
)
_ORGANISATIONS_ALL = Prepared(lambda: Organisation.objects.order_by("id").values_list(*_ORGANISATION_FIELDS))


def load_organisations(ids: Collection[str] | None = None, *, names: bool = True) -> list[facts.Organisation]:
    """Organisations by id, else all. One query. `names=False` leaves `name` None (the
    engine does not need names; for every body at once that saves building thousands of them)."""
    rows = _ORGANISATIONS_BY_ID.rows(ids=sorted(ids)) if ids is not None else _ORGANISATIONS_ALL.rows()
    if not names:
        return facts.unnamed_organisations(rows)
    return [
        facts.organisation(id_, kind, seat, bool(hk_invested), _name(en, zh_hant, zh_hans))
        for id_, kind, seat, hk_invested, en, zh_hant, zh_hans in rows
    ]


def _accreditations(names: Any, scheme: str, ids: Any = None) -> QuerySet[Any, Any]:
    covers = AccreditationScope.objects.filter(accreditation=OuterRef("pk"), product_type__in=names)
    where = Q(scheme=scheme) if ids is None else Q(scheme=scheme, organisation_id__in=ids)
    return (
        Accreditation.objects.filter(where)
        .annotate(covers=Exists(covers))
        .order_by("id")
        .values_list("id", "organisation_id", "granted", "covers")
    )


def _accreditation_events(names: Any, scheme: str, ids: Any = None) -> QuerySet[Any, Any]:
    # An accreditation whose scope names the type under two codes would join twice: EXISTS, not a join.
    covers = AccreditationScope.objects.filter(
        accreditation=OuterRef("accreditation_id"), product_type__in=names
    )
    where: Q = Q(accreditation__scheme=scheme) & Q(Exists(covers))
    if ids is not None:
        where &= Q(accreditation__organisation_id__in=ids)
    return (
        AccreditationEvent.objects.filter(where)
        .order_by("accreditation_id", "position", "id")
        .values_list("accreditation_id", "on", "status", "scope")
    )


def _accreditations_of_both(names: Any, labs: Any, bodies: Any) -> QuerySet[Any, Any]:
    # HOKLAS accreditations of the laboratories and HKCAS ones of the bodies: one query for a certificate.
    covers = AccreditationScope.objects.filter(accreditation=OuterRef("pk"), product_type__in=names)
    where = Q(scheme=facts.HOKLAS, organisation_id__in=labs) | Q(
        scheme=facts.HKCAS, organisation_id__in=bodies
    )
    return (
        Accreditation.objects.filter(where)
        .annotate(covers=Exists(covers))
        .order_by("id")
        .values_list("id", "organisation_id", "granted", "covers", "scheme")
    )


def _accreditation_events_of_both(names: Any, labs: Any, bodies: Any) -> QuerySet[Any, Any]:
    covers = AccreditationScope.objects.filter(
        accreditation=OuterRef("accreditation_id"), product_type__in=names
    )
    where = Q(accreditation__scheme=facts.HOKLAS, accreditation__organisation_id__in=labs) | Q(
        accreditation__scheme=facts.HKCAS, accreditation__organisation_id__in=bodies
    )
    return (
        AccreditationEvent.objects.filter(where & Q(Exists(covers)))
        .order_by("accreditation_id", "position", "id")
        .values_list("accreditation_id", "on", "status", "scope")
    )


_ACCREDITATIONS_OF_BOTH = Prepared(_accreditations_of_both)
_EVENTS_OF_BOTH = Prepared(_accreditation_events_of_both)
_ACCREDITATIONS_BY_ID = Prepared(lambda names, scheme, ids: _accreditations(names, scheme, ids))
_ACCREDITATIONS_ALL = Prepared(lambda names, scheme: _accreditations(names, scheme))
_EVENTS_BY_ID = Prepared(lambda names, scheme, ids: _accreditation_events(names, scheme, ids))
_EVENTS_ALL = Prepared(lambda names, scheme: _accreditation_events(names, scheme))


def load_accreditations(
    key: str, names: Sequence[str], scheme: str, ids: Collection[str] | None = None
) -> list[facts.Accreditation]:
    """Accreditations in `scheme` of the given organisations (None: of every organisation), with the
    product type (`key`, read under any of its `names`) in scope or not, and the events of those
    covering it. Two queries (one when none covers it)."""
    names = list(names)
    if ids is not None:
        rows = _ACCREDITATIONS_BY_ID.rows(names=names, scheme=scheme, ids=sorted(ids))
    else:
        rows = _ACCREDITATIONS_ALL.rows(names=names, scheme=scheme)
    event_rows: list[tuple[Any, ...]] = []
    if any(row[3] for row in rows):
        if ids is not None:
            event_rows = _EVENTS_BY_ID.rows(names=names, scheme=scheme, ids=sorted(ids))
        else:
            event_rows = _EVENTS_ALL.rows(names=names, scheme=scheme)
    return _accreditation_facts(key, names, [(*row, scheme) for row in rows], event_rows)


def load_accreditations_of_both(
    key: str, names: Sequence[str], laboratories: Collection[str], bodies: Collection[str]
) -> list[facts.Accreditation]:
    """The HOKLAS accreditations of `laboratories` and the HKCAS ones of `bodies` (both given, neither
    empty), as `load_accreditations` gives each: two queries (one when none covers the type) for both."""
    names = list(names)
    params = {"names": names, "labs": sorted(laboratories), "bodies": sorted(bodies)}
    rows = _ACCREDITATIONS_OF_BOTH.rows(**params)
    event_rows: list[tuple[Any, ...]] = []
    for row in rows:  # a loop rather than any(...): a certificate decision loads these every time
        if row[3]:
            event_rows = _EVENTS_OF_BOTH.rows(**params)
            break
    return _accreditation_facts(key, names, rows, event_rows)


def _accreditation_facts(
    key: str, names: list[str], rows: list[tuple[Any, ...]], event_rows: list[tuple[Any, ...]]
) -> list[facts.Accreditation]:
    """Facts of accreditation rows (id, organisation, granted, covers, scheme) and their events'."""
    in_scope, nothing, events = _scopes_and_events(key, names, event_rows)
    built: list[facts.Accreditation] = []
    for id_, organisation, granted, covers, scheme in rows:
        found = events.get(id_) if events else None
        built.append(
            facts.accreditation(
                id_,
                organisation,
                scheme,
                granted if granted.__class__ is _DATE else day(granted),
                in_scope if covers else nothing,
                () if found is None else tuple(found),
            )
        )
    return built


def _scopes_and_events(
    key: str, names: Sequence[str], event_rows: list[tuple[Any, ...]]
) -> tuple[frozenset[str], frozenset[str], dict[str, list[facts.AccreditationEvent]]]:
    """The scope of an accreditation covering the type (`key`) and of one not covering it, and the
    events of event rows (accreditation id, on, status, scope) by accreditation."""
    in_scope = frozenset((key,))
    nothing: frozenset[str] = frozenset()
    events: dict[str, list[facts.AccreditationEvent]] = {}
    if not event_rows:
        return in_scope, nothing, events
    wanted = frozenset(names)
    for accreditation_id, on, status, scope in event_rows:
        scope_codes = json_value(scope)
        # The event covers the type when its scope names it under any code (the engine asks no other).
        event_scope = None if scope_codes is None else in_scope if wanted & _codes(scope_codes) else nothing
        events.setdefault(accreditation_id, []).append(facts.AccreditationEvent(day(on), status, event_scope))
    return in_scope, nothing, events


def _whole_histories(scheme: str | None, ids: Any) -> tuple[QuerySet[Any, Any], QuerySet[Any, Any]]:
    # One row per scope entry (none: one row with a NULL code); the events of the same accreditations.
    where = Q(organisation_id__in=ids) if scheme is None else Q(organisation_id__in=ids, scheme=scheme)
    accreditations = (
        Accreditation.objects.filter(where)
        .order_by("id", "scope_entries__product_type")
        .values_list("id", "organisation_id", "scheme", "granted", "scope_entries__product_type")
    )
    events = AccreditationEvent.objects.filter(
        Q(accreditation__organisation_id__in=ids)
        if scheme is None
        else Q(accreditation__organisation_id__in=ids, accreditation__scheme=scheme)
    )
    return accreditations, events.order_by("accreditation_id", "position", "id").values_list(
        "accreditation_id", "on", "status", "scope"
    )


_HISTORIES = Prepared(lambda ids: _whole_histories(None, ids)[0])
_HISTORIES_IN_SCHEME = Prepared(lambda ids, scheme: _whole_histories(scheme, ids)[0])
_HISTORY_EVENTS = Prepared(lambda ids: _whole_histories(None, ids)[1])
_HISTORY_EVENTS_IN_SCHEME = Prepared(lambda ids, scheme: _whole_histories(scheme, ids)[1])


def _accreditation_event(on: Any, status: str, scope: Any) -> facts.AccreditationEvent:
    return facts.AccreditationEvent(day(on), status, None if scope is None else _codes(scope))


def load_accreditation_histories(
    organisations: Collection[str], scheme: str | None = None
) -> list[facts.Accreditation]:
    """Every accreditation of the given organisations (in `scheme`, if given) with its whole scope and
    all its events, whatever the product type. Two queries (one when there is none)."""
    params: dict[str, Any] = {"ids": sorted(organisations)}
    if scheme is not None:
        params["scheme"] = scheme
    rows = (_HISTORIES if scheme is None else _HISTORIES_IN_SCHEME).rows(**params)
    if not rows:
        return []
    events: dict[str, list[facts.AccreditationEvent]] = {}
    event_rows = (_HISTORY_EVENTS if scheme is None else _HISTORY_EVENTS_IN_SCHEME).rows(**params)
    for accreditation_id, on, status, scope in event_rows:
        events.setdefault(accreditation_id, []).append(_accreditation_event(on, status, json_value(scope)))
    scopes: dict[str, set[str]] = {}
    heads: dict[str, tuple[str, str, Any]] = {}
    for id_, organisation, scheme_, granted, code in rows:
        heads[id_] = (organisation, scheme_, granted)
        codes = scopes.setdefault(id_, set())
        if code is not None:
            codes.add(code)
    return [
        facts.accreditation(
            id_, organisation, scheme_, day(granted), frozenset(scopes[id_]), tuple(events.get(id_, ()))
        )
        for id_, (organisation, scheme_, granted) in heads.items()
    ]


def keyed(accreditation: facts.Accreditation, index: Mapping[str, str]) -> facts.Accreditation:
    """The accreditation with its scope and its events' scopes naming each type by its key (`index`, as
    `key_index` gives it), as the engine names them."""
    return facts.accreditation(
        accreditation.id,
        accreditation.organisation,
        accreditation.scheme,
        accreditation.granted,
        _keys(accreditation.scope, index),
        tuple(
            facts.AccreditationEvent(
                event.on, event.status, None if event.scope is None else _keys(event.scope, index)
            )
            for event in accreditation.events
        ),
    )


def accreditation_of_record(record: Accreditation) -> facts.Accreditation:
    """The facts of an accreditation already read with its `scope_entries` and `events` (prefetched,
    so no query): for a page that shows the records it asks about."""
    return facts.accreditation(
        record.id,
        record.organisation_id,
        record.scheme,
        record.granted,
        frozenset(entry.product_type for entry in record.scope_entries.all()),
        tuple(_accreditation_event(e.on, e.status, e.scope) for e in record.events.all()),
    )


_AGREEMENT_FIELDS = (
    "id",
    "kind",
    "party_id",
    "counterparty_id",
    "valid_from",
    "valid_until",
    "terminated_on",
)
_AGREEMENTS_BY_PARTY = Prepared(
    lambda names, kind, parties: (
        Agreement.objects.filter(kind=kind, scope_entries__product_type__in=names, party_id__in=parties)
        .order_by("id")
        .values_list(*_AGREEMENT_FIELDS)
    )
)
_AGREEMENTS_ALL = Prepared(
    lambda names, kind: (
        Agreement.objects.filter(kind=kind, scope_entries__product_type__in=names)
        .order_by("id")
        .values_list(*_AGREEMENT_FIELDS)
    )
)


_AGREEMENTS_OF_BOTH = Prepared(
    lambda names, labs, bodies: (
        Agreement.objects.filter(
            Q(kind=facts.TESTING, party_id__in=labs) | Q(kind=facts.FACTORY_INSPECTION, party_id__in=bodies),
            scope_entries__product_type__in=names,
        )
        .order_by("id")
        .values_list(*_AGREEMENT_FIELDS)
    )
)


def _once(rows: list[tuple[Any, ...]], names: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows of a join on scope entries under several names: a record whose scope names the type under
    two of them comes twice, as the same row (in id order, so next to each other)."""
    return list(dict.fromkeys(rows)) if len(names) > 1 else rows


def load_agreements(
    key: str, names: Sequence[str], kind: str, parties: Collection[str] | None = None
) -> list[facts.Agreement]:
    """Agreements of `kind` covering the product type (`key`, read under any of its `names`), of the
    given parties (None: every party). One query."""
    if parties is None:
        rows = _AGREEMENTS_ALL.rows(names=list(names), kind=kind)
    else:
        rows = _AGREEMENTS_BY_PARTY.rows(names=list(names), kind=kind, parties=sorted(parties))
    return _agreement_facts(key, names, rows)


def load_agreements_of_both(
    key: str, names: Sequence[str], laboratories: Collection[str], bodies: Collection[str]
) -> list[facts.Agreement]:
    """The testing agreements of `laboratories` and the factory inspection ones of `bodies` (both given,
    neither empty) covering the product type. One query for both."""
    rows = _AGREEMENTS_OF_BOTH.rows(names=list(names), labs=sorted(laboratories), bodies=sorted(bodies))
    return _agreement_facts(key, names, rows)


def _agreement_facts(key: str, names: Sequence[str], rows: list[tuple[Any, ...]]) -> list[facts.Agreement]:
    rows = _once(rows, names)
    scope = frozenset({key})  # one set shared by every agreement: thousands of them for all parties
    return [
        facts.agreement(
            id_,
            kind_,
            party,
            counterparty,
            scope,
            valid_from if valid_from.__class__ is _DATE else day(valid_from),
            valid_until if valid_until is None or valid_until.__class__ is _DATE else day(valid_until),
            terminated if terminated is None or terminated.__class__ is _DATE else day(terminated),
        )
        for id_, kind_, party, counterparty, valid_from, valid_until, terminated in rows
    ]


_DESIGNATION_FIELDS = ("id", "organisation_id", "role", "valid_from", "valid_until")
_DESIGNATIONS_BY_ORGANISATION = Prepared(
    lambda names, ids: (
        Designation.objects.filter(scope_entries__product_type__in=names, organisation_id__in=ids)
        .order_by("id")
        .values_list(*_DESIGNATION_FIELDS)
    )
)
_DESIGNATIONS_ALL = Prepared(
    lambda names: (
        Designation.objects.filter(scope_entries__product_type__in=names)
        .order_by("id")
        .values_list(*_DESIGNATION_FIELDS)
    )
)


def load_designations(
    key: str, names: Sequence[str], organisations: Collection[str] | None = None
) -> list[facts.Designation]:
    """Designations covering the product type (`key`, read under any of its `names`) of the given
    organisations (None: all). One query."""
    if organisations is None:
        rows = _DESIGNATIONS_ALL.rows(names=list(names))
    else:
        rows = _DESIGNATIONS_BY_ORGANISATION.rows(names=list(names), ids=sorted(organisations))
    rows = _once(rows, names)
    scope = frozenset({key})  # shared, as for agreements
    return [
        facts.designation(
            id_,
            organisation,
            role,
            scope,
            valid_from if valid_from.__class__ is _DATE else day(valid_from),
            valid_until if valid_until is None or valid_until.__class__ is _DATE else day(valid_until),
        )
        for id_, organisation, role, valid_from, valid_until in rows
    ]


_PLANS = Prepared(
    lambda: (
        Plan.objects.filter(status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED])
        .order_by("id")
        .values_list(
            "id",
            "year",
            "role",
            "product_types",
            "status",
            "published",
            "opens",
            "closes",
            "requires_expression_of_interest",
            "closed_early_at",
        )
    )
)


def load_plans(index: Mapping[str, str]) -> list[facts.Plan]:
    """Published plans (published or closed early) covering a product type of `index` (every name of
    the wanted types -> its key), their product types named by key. One query; drafts never count."""
    plans = []
    for (
        id_,
        year,
        role,
        product_types,
        status,
        published,
        opens,
        closes,
        requires,
        closed_early,
    ) in _PLANS.rows():
        codes = _json_codes(product_types)
        if not codes.isdisjoint(index):
            plans.append(
                facts.Plan(
                    id=id_,
                    year=year,
                    role=role,
                    product_types=_keys(codes, index),
                    published=maybe_day(published),
                    opens=moment(opens),
                    closes=moment(closes),
                    requires_expression_of_interest=flag(requires),
                    status=status,
                    closed_early_at=maybe_moment(closed_early),
                )
            )
    return plans


def plan_of_record(record: Plan) -> facts.Plan:
    """The facts of a plan a page has already read (no query)."""
    return facts.Plan(
        id=record.id,
        year=record.year,
        role=record.role,
        product_types=_codes(record.product_types),
        published=record.published,
        opens=record.opens,
        closes=record.closes,
        requires_expression_of_interest=record.requires_expression_of_interest,
        status=record.status,
        closed_early_at=record.closed_early_at,
    )


_EOI_FIELDS = ("id", "organisation_id", "year", "product_types", "submitted")
_EOIS_BY_ORGANISATION = Prepared(
    lambda ids: (
        ExpressionOfInterest.objects.filter(organisation_id__in=ids).order_by("id").values_list(*_EOI_FIELDS)
    )
)
_EOIS_ALL = Prepared(lambda: ExpressionOfInterest.objects.order_by("id").values_list(*_EOI_FIELDS))


def load_expressions_of_interest(
    organisations: Collection[str] | None, index: Mapping[str, str]
) -> list[facts.ExpressionOfInterest]:
    """Expressions of interest of the given organisations (None: all), their product types mapped to
    keys by `index` (as for plans). One query."""
    rows = (
        _EOIS_ALL.rows() if organisations is None else _EOIS_BY_ORGANISATION.rows(ids=sorted(organisations))
    )
    return [
        facts.ExpressionOfInterest(
            id_, organisation, year, _keys(json_value(product_types), index), moment(submitted)
        )
        for id_, organisation, year, product_types, submitted in rows
    ]


_INSPECTOR_FIELDS = ("id", "grade", "specialties", "registered", "expires", *NAME_FIELDS)
_AFFILIATION_FIELDS = ("inspector_id", "organisation_id", "valid_from", "valid_until")
_INSPECTOR_EVENT_FIELDS = ("inspector_id", "on", "status", "grade")


def _inspector_query(model: Any, fields: tuple[str, ...], order: tuple[str, ...], ids: Any = None) -> Any:
    where = Q() if ids is None else Q(**{"id__in" if model is Inspector else "inspector_id__in": ids})
    return model.objects.filter(where).order_by(*order).values_list(*fields)


_INSPECTORS_BY_ID = Prepared(lambda ids: _inspector_query(Inspector, _INSPECTOR_FIELDS, ("id",), ids))
_INSPECTORS_ALL = Prepared(lambda: _inspector_query(Inspector, _INSPECTOR_FIELDS, ("id",)))
_AFFILIATION_ORDER = ("inspector_id", "valid_from", "id")
_AFFILIATIONS_BY_ID = Prepared(
    lambda ids: _inspector_query(Affiliation, _AFFILIATION_FIELDS, _AFFILIATION_ORDER, ids)
)
_AFFILIATIONS_ALL = Prepared(lambda: _inspector_query(Affiliation, _AFFILIATION_FIELDS, _AFFILIATION_ORDER))
_EVENT_ORDER = ("inspector_id", "position", "id")
_INSPECTOR_EVENTS_BY_ID = Prepared(
    lambda ids: _inspector_query(InspectorEvent, _INSPECTOR_EVENT_FIELDS, _EVENT_ORDER, ids)
)
_INSPECTOR_EVENTS_ALL = Prepared(
    lambda: _inspector_query(InspectorEvent, _INSPECTOR_EVENT_FIELDS, _EVENT_ORDER)
)


def load_inspectors(ids: Collection[str] | None = None, *, names: bool = True) -> list[facts.Inspector]:
    """Inspectors with their affiliations and events. Three queries. `names=False` leaves `name` None
    (as for organisations)."""
    if ids is None:
        inspector_rows = _INSPECTORS_ALL.rows()
        affiliation_rows = _AFFILIATIONS_ALL.rows()
        event_rows = _INSPECTOR_EVENTS_ALL.rows()
    else:
        wanted = sorted(ids)
        inspector_rows = _INSPECTORS_BY_ID.rows(ids=wanted)
        affiliation_rows = _AFFILIATIONS_BY_ID.rows(ids=wanted) if inspector_rows else []
        event_rows = _INSPECTOR_EVENTS_BY_ID.rows(ids=wanted) if inspector_rows else []
    # Dates come as dates from both drivers: `day` is called only when one does not (as elsewhere here);
    # loops rather than comprehensions, as in `_certificate`: a certificate decision loads its inspectors.
    affiliations: dict[str, list[facts.Affiliation]] = {}
    for inspector_id, organisation, valid_from, valid_until in affiliation_rows:
        built = facts.affiliation(
            organisation,
            valid_from if valid_from.__class__ is _DATE else day(valid_from),
            valid_until if valid_until is None or valid_until.__class__ is _DATE else day(valid_until),
        )
        group = affiliations.get(inspector_id)
        if group is None:
            affiliations[inspector_id] = [built]
        else:
            group.append(built)
    events: dict[str, list[facts.InspectorEvent]] = {}
    for inspector_id, on, status, grade in event_rows:
        events.setdefault(inspector_id, []).append(facts.InspectorEvent(day(on), status or "", grade or ""))
    inspectors: list[facts.Inspector] = []
    for id_, grade, specialties, registered, expires, en, zh_hant, zh_hans in inspector_rows:
        inspectors.append(
            facts.inspector(
                id_,
                grade,
                _json_codes(specialties),
                registered if registered.__class__ is _DATE else day(registered),
                expires if expires.__class__ is _DATE else day(expires),
                tuple(affiliations.get(id_, ())),
                tuple(events.get(id_, ())),
                _name(en, zh_hant, zh_hans) if names else None,
            )
        )
    return inspectors


# --- one snapshot per question ---------------------------------------------------------------------


def snapshot_for_testing(
    product_type: str, subject: str | None = None, *, subjects: Collection[str] | None = None
) -> facts.Snapshot:
    """Facts for `testing` of one product type (any of its codes, or its key): for `subject`, for each of
    `subjects`, or for every laboratory (neither given).

    At most six queries: catalogue, organisations, accreditations and their events, agreements,
    designations. Subjects that are not Hong Kong laboratories need fewer. They share one connection
    lookup, one set of connection checks and one driver cursor (`one_cursor`), as the certificate's do.
    """
    with one_cursor(Organisation):
        return _snapshot_for_testing(product_type, subject, subjects)


def _snapshot_for_testing(
    product_type: str, subject: str | None, subjects: Collection[str] | None
) -> facts.Snapshot:
    catalogue = load_catalogue(product_type)
    key, names = names_of(catalogue, product_type)
    if subject is not None:
        subjects = [subject]
    if subjects is None:
        return _snapshot_for_every_laboratory(key, names, catalogue)
    organisations = load_organisations(ids=sorted(subjects)) if subjects else []
    hong_kong = [o.id for o in organisations if o.kind == facts.LABORATORY and o.seat == facts.HK]
    accreditations = load_accreditations(key, names, facts.HOKLAS, ids=hong_kong) if hong_kong else []
    agreements = load_agreements(key, names, facts.TESTING, parties=hong_kong) if hong_kong else []
    laboratories = [o.id for o in organisations if o.kind == facts.LABORATORY and o.seat != facts.OVERSEAS]
    relevant = set(laboratories) | {a.counterparty for a in agreements}
    designations = load_designations(key, names, relevant) if relevant else []
    return facts.Snapshot.of(
        organisations=organisations,
        accreditations=accreditations,
        agreements=agreements,
        designations=designations,
        catalogue=catalogue,
    )


def _snapshot_for_every_laboratory(
    key: str, names: Sequence[str], catalogue: list[facts.ProductType]
) -> facts.Snapshot:
    """`snapshot_for_testing` for every laboratory: the same queries and the same snapshot, each fact
    built and grouped as `Snapshot.of` groups it in one pass over its rows (thousands of them)."""
    names = list(names)
    organisations = facts.organisation_index(_ORGANISATIONS_BY_KIND.rows(kinds=[facts.LABORATORY]))
    rows = _ACCREDITATIONS_ALL.rows(names=names, scheme=facts.HOKLAS)
    event_rows = _EVENTS_ALL.rows(names=names, scheme=facts.HOKLAS) if any(row[3] for row in rows) else []
    in_scope, nothing, events = _scopes_and_events(key, names, event_rows)
    accreditations = facts.accreditations_by_organisation(rows, facts.HOKLAS, in_scope, nothing, events, day)
    del rows
    agreements = facts.agreements_by_party(
        _once(_AGREEMENTS_ALL.rows(names=names, kind=facts.TESTING), names), in_scope, day
    )
    designations = facts.designations_by_organisation(
        _once(_DESIGNATIONS_ALL.rows(names=names), names), in_scope, day
    )
    return facts.Snapshot(
        organisations=organisations,
        accreditations=accreditations,
        designations=designations,
        agreements=agreements,
        catalogue={name: product_type for product_type in catalogue for name in product_type.names},
    )


def snapshot_for_inspection(
    product_type: str, subject: str | None = None, org: str | None = None
) -> facts.Snapshot:
    """Facts for `inspection` of one product type (any of its codes, or its key): for one inspector and
    ORG, or (both None) for every inspector and every organisation any inspector is affiliated with. At
    most ten queries."""
    catalogue = load_catalogue(product_type)
    key, names = names_of(catalogue, product_type)
    if subject is None and org is None:
        inspectors = load_inspectors()
        organisations = load_organisations(
            ids={a.organisation for i in inspectors for a in i.affiliations}, names=False
        )
        accreditations = load_accreditations(key, names, facts.HKCAS)
        agreements = load_agreements(key, names, facts.FACTORY_INSPECTION)
        designations = load_designations(key, names)
    else:
        if subject is None or org is None:
            raise ValueError("give both subject and org, or neither")
        inspectors = load_inspectors([subject])
        organisations = load_organisations(ids=[org])
        bodies = [o for o in organisations if o.kind == facts.CERTIFICATION_BODY]
        hong_kong = [o.id for o in bodies if o.seat == facts.HK]
        accreditations = load_accreditations(key, names, facts.HKCAS, ids=hong_kong) if hong_kong else []
        agreements = (
            load_agreements(key, names, facts.FACTORY_INSPECTION, parties=hong_kong) if hong_kong else []
        )
        relevant = {o.id for o in bodies if o.seat == facts.MAINLAND} | {a.counterparty for a in agreements}
        designations = load_designations(key, names, relevant) if relevant else []
    return facts.Snapshot.of(
        organisations=organisations,
        inspectors=inspectors,
        accreditations=accreditations,
        agreements=agreements,
        designations=designations,
        catalogue=catalogue,
    )


def snapshot_for_designation(product_type: str, subject: str | None = None) -> facts.Snapshot:
    """Facts for `designation` of one product type (any of its codes, or its key): for `subject`, or for
    every Mainland body. Five queries: catalogue, organisations, routine scope, plans, expressions of
    interest."""
    catalogue = load_catalogue(product_type)
    key, _ = names_of(catalogue, product_type)
    index = key_index(catalogue)
    if subject is None:
        organisations = [o for o in load_organisations(names=False) if o.seat == facts.MAINLAND]
        interest_of: Collection[str] | None = None
    else:
        organisations = load_organisations(ids=[subject])
        interest_of = [subject]
    mainland = [o for o in organisations if o.seat == facts.MAINLAND]
    return facts.Snapshot.of(
        organisations=organisations,
        routine_scope=load_routine_scope(key) if mainland else [],
        plans=load_plans(index) if mainland else [],
        expressions_of_interest=load_expressions_of_interest(interest_of, index) if mainland else [],
        catalogue=catalogue,
    )


def snapshot_for_enquiry(product_type: str) -> facts.Snapshot:
    """Facts for `enquiry`: the product type named `product_type` and the contacts. Two queries."""
    catalogue = load_catalogue(product_type)
    return facts.Snapshot.of(catalogue=catalogue, contacts=load_contacts() if catalogue else [])


# --- certificates (rev. 2) ---------------------------------------------------------------------------

# One row per status event (one with no event when there is none), in the events' order: the
# certificate and its events in one query.
_CERTIFICATE = Prepared(
    lambda number: (
        Certificate.objects.filter(id=number)
        .order_by("events__position", "events__id")
        .values_list(
            "id",
            "product_type",
            "issuer_id",
            "issued",
            "expires",
            "holder_en",
            "holder_zh_hant",
            "holder_zh_hans",
            "events__on",
            "events__status",
        )
    )
)
_CERTIFICATE_REPORTS = Prepared(
    lambda number: (
        CertificateReport.objects.filter(certificate_id=number)
        .order_by("position", "id")
        .values_list(
            "test_report_id",
            "test_report__laboratory_id",
            "test_report__product_type",
            "test_report__issued",
            "test_report__certification_body_id",
        )
    )
)
# One row per inspector of each inspection, the inspections in the certificate's order.
_CERTIFICATE_INSPECTIONS = Prepared(
    lambda number: (
        CertificateInspection.objects.filter(certificate_id=number)
        .order_by("position", "id", "inspection__inspector_entries__position")
        .values_list(
            "inspection_id",
            "inspection__organisation_id",
            "inspection__on_behalf_of_id",
            "inspection__product_type",
            "inspection__on",
            "inspection__inspector_entries__inspector_id",
        )
    )
)


def load_certificate(number: str) -> facts.Certificate | None:
    """The certificate with its events, reports and inspections (with their inspectors), in the
    certificate's order; None when there is none. Three queries (one when there is none), whatever the
    number of reports, inspections and events."""
    rows = _CERTIFICATE.rows(number=number)
    if not rows:
        return None
    return _certificate(
        rows, _CERTIFICATE_REPORTS.rows(number=number), _CERTIFICATE_INSPECTIONS.rows(number=number)
    )


def _certificate(
    rows: list[tuple[Any, ...]], report_rows: list[tuple[Any, ...]], inspection_rows: list[tuple[Any, ...]]
) -> facts.Certificate:
    # Dates come as dates from both drivers: `day` is called only when one does not (as elsewhere here).
    id_, product_type, issuer, issued, expires, en, zh_hant, zh_hans, _, _ = rows[0]
    events: list[facts.CertificateEvent] = []
    for row in rows:
        if row[8] is not None:
            events.append(
                facts.certificate_event(row[8] if row[8].__class__ is _DATE else day(row[8]), row[9])
            )
    reports: list[facts.TestReport] = []
    for report, laboratory, code, report_issued, body in report_rows:
        reports.append(
            facts.report(
                report,
                laboratory,
                code,
                report_issued if report_issued.__class__ is _DATE else day(report_issued),
                body,
            )
        )
    inspections: list[facts.FactoryInspection] = []
    if inspection_rows:
        # One row per inspector (one with none when the inspection has none), an inspection's rows
        # next to each other.
        heads: dict[str, tuple[str, str, str, dt.date]] = {}
        inspectors: dict[str, list[str]] = {}
        for inspection, organisation, on_behalf_of, code, on, inspector in inspection_rows:
            named = inspectors.get(inspection)
            if named is None:
                heads[inspection] = (
                    organisation,
                    on_behalf_of,
                    code,
                    on if on.__class__ is _DATE else day(on),
                )
                named = inspectors[inspection] = []
            if inspector is not None:
                named.append(inspector)
        for inspection, (organisation, on_behalf_of, code, on) in heads.items():
            inspections.append(
                facts.factory_inspection(
                    inspection, organisation, on_behalf_of, tuple(inspectors[inspection]), code, on
                )
            )
    return facts.certificate(
        id_,
        product_type,
        issuer,
        issued if issued.__class__ is _DATE else day(issued),
        expires if expires.__class__ is _DATE else day(expires),
        tuple(reports),
        tuple(inspections),
        tuple(events),
        _name(en, zh_hant, zh_hans),
    )


def snapshot_for_certificate(number: str) -> facts.Snapshot:
    """Facts for `certificate`: the certificate and its chain, and what the `testing` and `inspection`
    decisions need about each link for the certificate's product type. A fixed number of queries (at
    most seventeen), the same for a certificate with one report or twenty; an unknown number gives an
    empty snapshot after one."""
    with one_cursor(Certificate):
        return _snapshot_for_certificate(number)


def _snapshot_for_certificate(number: str) -> facts.Snapshot:
    certificate = load_certificate(number)
    if certificate is None:
        return facts.Snapshot.of()
    catalogue = load_catalogue(certificate.product_type)
    key, names = names_of(catalogue, certificate.product_type)
    issuer = certificate.issuer
    # The chain's parties in one pass over it (loops: this runs for every decision).
    laboratories: set[str] = set()
    inspecting: set[str] = set()
    inspector_ids: set[str] = set()
    wanted = {issuer}
    for report in certificate.test_reports:
        laboratories.add(report.laboratory)
        wanted.add(report.laboratory)
        wanted.add(report.certification_body)
    for inspection in certificate.factory_inspections:
        inspecting.add(inspection.organisation)
        wanted.add(inspection.organisation)
        wanted.add(inspection.on_behalf_of)
        inspector_ids.update(inspection.inspectors)
    # The engine reads no organisation's name: none built.
    organisations = load_organisations(ids=wanted, names=False)
    by_id = {o.id: o for o in organisations}
    hk_labs: list[str] = []
    relevant = {issuer}  # whose designations count: the issuer, Mainland links, agreements' counterparties
    for lab in laboratories:
        found = by_id.get(lab)
        if found is not None and found.kind == facts.LABORATORY:
            if found.seat == facts.HK:
                hk_labs.append(lab)
            elif found.seat == facts.MAINLAND:
                relevant.add(lab)
    hk_bodies: list[str] = []
    for body in inspecting:
        found = by_id.get(body)
        if found is not None and found.kind == facts.CERTIFICATION_BODY:
            if found.seat == facts.HK:
                hk_bodies.append(body)
            elif found.seat == facts.MAINLAND:
                relevant.add(body)
    hk_labs.sort()
    hk_bodies.sort()
    if hk_labs and hk_bodies:
        # The commonest chain (a Hong Kong laboratory's report, a Hong Kong body's inspection): the
        # two schemes' accreditations and the two kinds of agreement each in one query.
        accreditations = load_accreditations_of_both(key, names, hk_labs, hk_bodies)
        agreements = load_agreements_of_both(key, names, hk_labs, hk_bodies)
    else:
        accreditations = load_accreditations(key, names, facts.HOKLAS, ids=hk_labs) if hk_labs else []
        if hk_bodies:
            accreditations += load_accreditations(key, names, facts.HKCAS, ids=hk_bodies)
        agreements = load_agreements(key, names, facts.TESTING, parties=hk_labs) if hk_labs else []
        if hk_bodies:
            agreements += load_agreements(key, names, facts.FACTORY_INSPECTION, parties=hk_bodies)
    for agreement in agreements:
        relevant.add(agreement.counterparty)
    designations = load_designations(key, names, relevant)
    inspectors = load_inspectors(inspector_ids, names=False) if inspector_ids else []
    return facts.Snapshot.of(
        organisations=organisations,
        accreditations=accreditations,
        agreements=agreements,
        designations=designations,
        inspectors=inspectors,
        catalogue=catalogue,
        certificates=[certificate],
    )
