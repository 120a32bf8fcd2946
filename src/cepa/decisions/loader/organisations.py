"""The registry's organisations and their accreditations (for one product type, or whole histories)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cepa.bodies.models import Accreditation, AccreditationEvent, AccreditationScope, Organisation
from cepa.decisions.loader.common import _DATE, NAME_FIELDS, _codes, _name
from cepa.decisions.prepared import Prepared, day, json_value
from cepa.rules import facts

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


def load_organisations(
    ids: Collection[str] | None = None, kinds: Collection[str] | None = None, *, names: bool = True
) -> list[facts.Organisation]:
    """Organisations by id, else by kind, else all. One query. `names=False` leaves `name` None (the
    engine does not need names; for every body at once that saves building thousands of them)."""
    if ids is not None:
        rows = _ORGANISATIONS_BY_ID.rows(ids=sorted(ids))
    elif kinds is not None:
        rows = _ORGANISATIONS_BY_KIND.rows(kinds=sorted(kinds))
    else:
        rows = _ORGANISATIONS_ALL.rows()
    if not names:
        build = facts.organisation
        return [build(row[0], row[1], row[2], bool(row[3]), None) for row in rows]
    return [
        facts.organisation(id_, kind, seat, bool(hk_invested), _name(en, zh_hant, zh_hans))
        for id_, kind, seat, hk_invested, en, zh_hant, zh_hans in rows
    ]


def _accreditations(code: str, scheme: str, ids: Any = None) -> QuerySet[Any, Any]:
    covers = AccreditationScope.objects.filter(accreditation=OuterRef("pk"), product_type=code)
    where = Q(scheme=scheme) if ids is None else Q(scheme=scheme, organisation_id__in=ids)
    return (
        Accreditation.objects.filter(where)
        .annotate(covers=Exists(covers))
        .order_by("id")
        .values_list("id", "organisation_id", "granted", "covers")
    )


def _accreditation_events(code: str, scheme: str, ids: Any = None) -> QuerySet[Any, Any]:
    where = Q(accreditation__scheme=scheme, accreditation__scope_entries__product_type=code)
    if ids is not None:
        where &= Q(accreditation__organisation_id__in=ids)
    return (
        AccreditationEvent.objects.filter(where)
        .order_by("accreditation_id", "position", "id")
        .values_list("accreditation_id", "on", "status", "scope")
    )


_ACCREDITATIONS_BY_ID = Prepared(lambda code, scheme, ids: _accreditations(code, scheme, ids))
_ACCREDITATIONS_ALL = Prepared(lambda code, scheme: _accreditations(code, scheme))
_EVENTS_BY_ID = Prepared(lambda code, scheme, ids: _accreditation_events(code, scheme, ids))
_EVENTS_ALL = Prepared(lambda code, scheme: _accreditation_events(code, scheme))


def load_accreditations(
    code: str, scheme: str, ids: Collection[str] | None = None
) -> list[facts.Accreditation]:
    """Accreditations in `scheme` of the given organisations (None: of every organisation), with
    `code` in scope or not, and the events of those covering it. Two queries (one when none covers it)."""
    if ids is not None:
        rows = _ACCREDITATIONS_BY_ID.rows(code=code, scheme=scheme, ids=sorted(ids))
    else:
        rows = _ACCREDITATIONS_ALL.rows(code=code, scheme=scheme)
    events: dict[str, list[facts.AccreditationEvent]] = {}
    if any(row[3] for row in rows):
        if ids is not None:
            event_rows = _EVENTS_BY_ID.rows(code=code, scheme=scheme, ids=sorted(ids))
        else:
            event_rows = _EVENTS_ALL.rows(code=code, scheme=scheme)
        for accreditation_id, on, status, scope in event_rows:
            scope_codes = json_value(scope)
            events.setdefault(accreditation_id, []).append(
                facts.AccreditationEvent(
                    day(on), status, None if scope_codes is None else _codes(scope_codes)
                )
            )
    in_scope = frozenset({code})
    nothing: frozenset[str] = frozenset()
    return [
        facts.accreditation(
            id_,
            organisation,
            scheme,
            granted if granted.__class__ is _DATE else day(granted),
            in_scope if covers else nothing,
            tuple(events.get(id_, ())),
        )
        for id_, organisation, granted, covers in rows
    ]


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
