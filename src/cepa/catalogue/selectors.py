"""Reads of the CCC catalogue. Public reference data: no user scoping is needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from cepa.catalogue.models import (
    CataloguePeriod,
    CatalogueVersion,
    Category,
    CepaMeasure,
    Contact,
    Instrument,
    MeasureActivity,
    ProductType,
    RouteSpan,
    RoutineProvision,
    RoutineScopeEntry,
)

# The instruments the contract names for routine (any-time) laboratory designation.
ROUTINE_INSTRUMENTS = ("CNCA-PN-2015-34", "CNCA-PN-2017-1", "CNCA-PN-2017-28")


def known_codes() -> frozenset[str]:
    """Every 4-digit code any shipped catalogue version has had (the main code and bundled codes)."""
    codes: set[str] = set()
    for code, others in ProductType.objects.values_list("code", "other_codes"):
        if code:
            codes.add(code)
        codes.update(str(other) for other in others or ())
    return frozenset(codes)


def product_type_by_code(code: str) -> ProductType | None:
    """The product type whose code, or one of whose bundled codes, is `code`."""
    if not code:
        return None
    found = ProductType.objects.select_related("category").filter(code=code).first()
    if found is not None:
        return found
    # Bundled codes live in a JSON list; the catalogue is small, so a scan is cheap and portable.
    for candidate in ProductType.objects.select_related("category").exclude(other_codes=[]):
        if code in (candidate.other_codes or []):
            return candidate
    return None


def product_type_key_for(code_or_key: str) -> str | None:
    """The canonical key of the product type with this code, bundled code or key, in one query.

    Codes a type is listed under are interchangeable (contract §1, rev. 2), and a type without a
    published code is named by its key, so every one of them resolves to the same key."""
    return code_index().get(code_or_key)


def _codes(code: str | None, others: Iterable[object] | None) -> tuple[str, ...]:
    return (*([code] if code else []), *(str(other) for other in others or ()))


def code_index() -> dict[str, str]:
    """Every name a product type answers to (its key, main code and bundled codes) -> its canonical key.
    One query; for resolving many codes at once."""
    index: dict[str, str] = {}
    for key, code, others in ProductType.objects.values_list("key", "code", "other_codes"):
        for name in (key, *_codes(code, others)):
            index[name] = str(key)
    return index


def codes_of(code_or_key: str) -> tuple[str, ...] | None:
    """All codes of the product type named by `code_or_key`, main code first: () for a type without a
    published code, None for a name no type has. One query."""
    for key, code, others in ProductType.objects.values_list("key", "code", "other_codes"):
        codes = _codes(code, others)
        if code_or_key == key or code_or_key in codes:
            return codes
    return None


def unknown_names(names: Iterable[str]) -> list[str]:
    """Those of the names (codes or keys) no product type of any catalogue version has had, sorted.
    One query."""
    index = code_index()
    return sorted({name for name in names if name not in index})


def same_type(names: Iterable[str]) -> frozenset[str]:
    """Every name (key, main and bundled codes) of the product types the given names name: what a record
    may hold for any of them, as the codes a type is listed under are interchangeable (contract §1,
    rev. 2). A name no type has stands for itself. One query."""
    wanted = set(names)
    found = set(wanted)
    for key, code, others in ProductType.objects.values_list("key", "code", "other_codes"):
        every = (str(key), *_codes(code, others))
        if not wanted.isdisjoint(every):
            found.update(every)
    return frozenset(found)


def product_types_by_codes(codes: Iterable[str]) -> dict[str, ProductType]:
    """Maps each given code (main or bundled) or key that is known to its product type, in one query."""
    wanted = set(codes)
    found: dict[str, ProductType] = {}
    for candidate in ProductType.objects.select_related("category"):
        for code in (candidate.key, *candidate.all_codes):
            if code in wanted:
                found[code] = candidate
    return found


def in_catalogue_filter(on: dt.date) -> Q:
    """Product types in the catalogue on `on`: one of their periods covers it. Periods of a type never
    overlap, so the join matches at most one row per type."""
    return Q(periods__start__lte=on) & (Q(periods__until__isnull=True) | Q(periods__until__gte=on))


@dataclass(frozen=True)
class Timeline:
    """A product type's time in the catalogue and its conformity routes, both in order of start."""

    key: str
    codes: tuple[str, ...]  # main code first; empty for a type without a published code
    periods: tuple[CataloguePeriod, ...]
    route_spans: tuple[RouteSpan, ...]

    def period_on(self, day: dt.date) -> CataloguePeriod | None:
        return next((period for period in self.periods if period.covers(day)), None)

    def in_catalogue(self, day: dt.date) -> bool:
        return self.period_on(day) is not None

    def route_on(self, day: dt.date) -> RouteSpan | None:
        """The route span in force on `day`; None outside the type's periods."""
        return next((span for span in self.route_spans if span.covers(day)), None)


def timelines() -> dict[str, Timeline]:
    """Every product type's periods and route spans, keyed by canonical key, with the instruments they
    cite. Three queries whatever the size of the catalogue."""
    periods: dict[str, list[CataloguePeriod]] = {}
    for period in CataloguePeriod.objects.select_related("started_by", "ended_by").order_by(
        "product_type_id", "start"
    ):
        periods.setdefault(period.product_type_id, []).append(period)
    spans: dict[str, list[RouteSpan]] = {}
    for span in RouteSpan.objects.select_related("instrument").order_by("product_type_id", "start"):
        spans.setdefault(span.product_type_id, []).append(span)
    return {
        key: Timeline(
            key=key,
            codes=_codes(code, others),
            periods=tuple(periods.get(key, ())),
            route_spans=tuple(spans.get(key, ())),
        )
        for key, code, others in ProductType.objects.order_by("key").values_list("key", "code", "other_codes")
    }


@dataclass(frozen=True)
class PeriodEntry:
    """A period of a type in the catalogue, as readers see it: `instrument` brought it in (or opened
    applications), `ended_by` removed it; `confirmed` is false where a date is inferred."""

    start: dt.date
    until: dt.date | None
    instrument: str
    ended_by: str | None
    confirmed: bool
    source: str


@dataclass(frozen=True)
class RouteEntry:
    """A conformity route of a type from `start` through `until`, on `instrument`."""

    route: str
    start: dt.date
    until: dt.date | None
    instrument: str
    confirmed: bool
    source: str


@dataclass(frozen=True)
class History:
    periods: tuple[PeriodEntry, ...] = ()
    routes: tuple[RouteEntry, ...] = ()


def histories(keys: Iterable[str]) -> dict[str, History]:
    """The periods and routes over time of these product types (by key), each in order of start. One
    query (periods and route spans read as one union), for pages and lists with a query budget."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    text: CharField[str, str] = CharField()
    flag: BooleanField[bool, bool] = BooleanField()
    # Without the models' default ordering: a compound statement orders only as a whole.
    periods = CataloguePeriod.objects.filter(product_type_id__in=wanted).order_by().values_list(
        "product_type_id", Value("", output_field=text), "start", "until", "started_by_id", "ended_by_id",
        "start_confirmed", Coalesce("end_confirmed", Value(True, output_field=flag)), "source",
    )
    spans = RouteSpan.objects.filter(product_type_id__in=wanted).order_by().values_list(
        "product_type_id", "route", "start", "until", "instrument_id", Value(None, output_field=text),
        "confirmed", Value(True, output_field=flag), "source",
    )
    found: dict[str, tuple[list[PeriodEntry], list[RouteEntry]]] = {key: ([], []) for key in wanted}
    for key, route, start, until, instrument, ended_by, confirmed, end_confirmed, source in periods.union(
        spans, all=True
    ):
        if route:
            found[key][1].append(RouteEntry(route, start, until, instrument, bool(confirmed), source))
        else:
            found[key][0].append(
                PeriodEntry(start, until, instrument, ended_by, bool(confirmed and end_confirmed), source)
            )
    return {
        key: History(
            tuple(sorted(periods_, key=lambda p: p.start)), tuple(sorted(routes, key=lambda r: r.start))
        )
        for key, (periods_, routes) in found.items()
    }


def versions() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.select_related("instrument").order_by("effective", "key")


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.all()


def product_types() -> QuerySet[ProductType]:
    return ProductType.objects.select_related("category", "removed_by").prefetch_related("versions")


def routine_scope(on: dt.date | None = None) -> QuerySet[RoutineScopeEntry]:
    entries = RoutineScopeEntry.objects.select_related("product_type", "instrument").order_by(
        "product_type__code", "product_type__key", "valid_from"
    )
    if on is not None:
        entries = entries.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
    return entries


def routine_scope_codes(on: dt.date) -> frozenset[str]:
    """Codes (main and bundled) of product types in the routine-designation scope on `on`."""
    codes: set[str] = set()
    for entry in routine_scope(on):
        codes.update(entry.product_type.all_codes)
    return frozenset(codes)


def contacts() -> QuerySet[Contact]:
    return Contact.objects.all()


def contact_for_sector(sector: str) -> Contact | None:
    return Contact.objects.filter(sector=sector).first()


def measures() -> QuerySet[CepaMeasure]:
    """Every CEPA measure in order of its first day, or of its signing where that day was not read
    (ISO dates and months sort as text), with its instrument."""
    return CepaMeasure.objects.select_related("instrument").order_by(
        Coalesce(Cast("effective", CharField()), "signed"), "key"
    )


def measure_on(day: dt.date) -> list[CepaMeasure]:
    """The CEPA measures under which Hong Kong laboratories could do CCC testing on `day`, oldest first.
    Empty before the first one (HK laboratories had no CCC testing under CEPA then)."""
    return [
        measure
        for measure in measures().filter(activity=MeasureActivity.CCC_TESTING)
        if measure.covers(day)
    ]


def place_of_processing_mattered(day: dt.date) -> bool:
    """Whether, on `day`, a Hong Kong laboratory could do CCC testing only for products processed or made
    in certain places: every CCC testing measure in force then limited the place (none has since 2020-06)."""
    in_force = measure_on(day)
    return bool(in_force) and all(measure.place_restricted for measure in in_force)


def routine_provisions() -> QuerySet[RoutineProvision]:
    return RoutineProvision.objects.select_related("instrument").order_by("instrument", "key")


@dataclass(frozen=True)
class Uncertainties:
    """What the shipped reference data marks as not verified, for a reader who wants to know where the
    sources run out."""

    instruments: tuple[Instrument, ...]  # confirmed false
    measures: tuple[CepaMeasure, ...]  # content, a date or an end not confirmed
    routine_provisions: tuple[RoutineProvision, ...]  # not found, or its fields or products not read
    inferred_periods: int  # periods in the catalogue with an inferred boundary
    periods: int
    inferred_route_spans: int
    route_spans: int
    unconfirmed_routine_entries: int
    routine_entries: int


def uncertainties() -> Uncertainties:
    """Six queries whatever the size of the data."""
    unconfirmed = Count("id", filter=Q(confirmed=False))
    periods = CataloguePeriod.objects.aggregate(
        total=Count("id"), inferred=Count("id", filter=Q(start_confirmed=False) | Q(end_confirmed=False))
    )
    spans = RouteSpan.objects.aggregate(total=Count("id"), inferred=unconfirmed)
    routine = RoutineScopeEntry.objects.aggregate(total=Count("id"), inferred=unconfirmed)
    return Uncertainties(
        instruments=tuple(Instrument.objects.filter(confirmed=False).order_by("key")),
        measures=tuple(
            measure for measure in measures()
            if not measure.confirmed or not measure.effective_confirmed or measure.until_confirmed is False
        ),
        routine_provisions=tuple(
            provision for provision in routine_provisions()
            if not provision.confirmed or not provision.scope_confirmed
        ),
        inferred_periods=periods["inferred"],
        periods=periods["total"],
        inferred_route_spans=spans["inferred"],
        route_spans=spans["total"],
        unconfirmed_routine_entries=routine["inferred"],
        routine_entries=routine["total"],
    )
