"""Inspectors with their affiliations and events."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q

from cepa.decisions.loader.common import NAME_FIELDS, _codes, _name
from cepa.decisions.prepared import Prepared, day, json_value, maybe_day
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.rules import facts

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


def load_inspectors(ids: Collection[str] | None = None) -> list[facts.Inspector]:
    """Inspectors with their affiliations and events. Three queries."""
    if ids is None:
        inspector_rows = _INSPECTORS_ALL.rows()
        affiliation_rows = _AFFILIATIONS_ALL.rows()
        event_rows = _INSPECTOR_EVENTS_ALL.rows()
    else:
        wanted = sorted(ids)
        inspector_rows = _INSPECTORS_BY_ID.rows(ids=wanted)
        affiliation_rows = _AFFILIATIONS_BY_ID.rows(ids=wanted) if inspector_rows else []
        event_rows = _INSPECTOR_EVENTS_BY_ID.rows(ids=wanted) if inspector_rows else []
    affiliations: dict[str, list[facts.Affiliation]] = {}
    for inspector_id, organisation, valid_from, valid_until in affiliation_rows:
        affiliations.setdefault(inspector_id, []).append(
            facts.Affiliation(organisation, day(valid_from), maybe_day(valid_until))
        )
    events: dict[str, list[facts.InspectorEvent]] = {}
    for inspector_id, on, status, grade in event_rows:
        events.setdefault(inspector_id, []).append(facts.InspectorEvent(day(on), status or "", grade or ""))
    return [
        facts.Inspector(
            id=id_,
            grade=grade,
            specialties=_codes(json_value(specialties)),
            registered=day(registered),
            expires=day(expires),
            affiliations=tuple(affiliations.get(id_, ())),
            events=tuple(events.get(id_, ())),
            name=_name(en, zh_hant, zh_hans),
        )
        for id_, grade, specialties, registered, expires, en, zh_hant, zh_hans in inspector_rows
    ]
