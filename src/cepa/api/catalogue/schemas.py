"""The CCC catalogue's records as the API shows them, and the product types' filters."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from cepa.api.pagination import page_schema

RouteName = Literal["certification", "self_declaration_a", "self_declaration_b"]
SectorName = Literal["electrical_electronic", "non_electrical_electronic"]


class InstrumentRef(Schema):
    key: str
    title: dict[str, str]


class InstrumentOut(Schema):
    key: str
    title: dict[str, str]
    issued: dt.date | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class VersionOut(Schema):
    key: str
    instrument: InstrumentRef
    effective: dt.date
    category_count: int | None = Field(..., description="As published")
    product_type_count: int | None = Field(..., description="As published")
    product_types_recorded: int = Field(..., description="Product types this registry attaches to it")
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class CategoryRef(Schema):
    key: str
    name: dict[str, str]


class CategoryOut(Schema):
    key: str
    name: dict[str, str]
    number_2020: int | None
    number_2023: int | None
    sector: SectorName
    sector_confirmed: bool = Field(..., description="The sector mapping is an inference until confirmed")
    product_type_count: int
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


SpanRouteName = Literal[
    "certification", "certification_or_self_declaration", "self_declaration_a", "self_declaration_b"
]


class PeriodOut(Schema):
    from_: dt.date = Field(..., alias="from", description="First day in the catalogue (applications open)")
    until: dt.date | None = Field(..., description="Last day in the catalogue; null while it is in")
    instrument: str = Field(..., description="The instrument that brought the type in (see /instruments)")
    ended_by: str | None = Field(..., description="The instrument that removed it")
    confirmed: bool = Field(..., description="False where a date is inferred")
    source: str = Field(..., description="Where the fact was read")


class RouteSpanOut(Schema):
    route: SpanRouteName
    from_: dt.date = Field(..., alias="from")
    until: dt.date | None = Field(..., description="Last day of this route; null while in force")
    instrument: str = Field(..., description="The instrument that set the route (see /instruments)")
    confirmed: bool = Field(..., description="False where the research could not verify it")
    source: str = Field(..., description="Where the fact was read")


class ProductTypeOut(Schema):
    key: str
    code: str | None = Field(..., description="Null where no code has been published")
    other_codes: list[str] = Field(..., description="Further codes the type bundles")
    name: dict[str, str]
    category: CategoryRef
    route: RouteName = Field(..., description="The current conformity route (see changes for dates)")
    route_confirmed: bool
    sector: SectorName = Field(..., description="The CNCA enquiry sector")
    versions: list[str]
    applications_from: dt.date = Field(..., description="First day in the catalogue")
    mandatory_from: dt.date | None
    removed_on: dt.date | None = Field(..., description="First day no longer in the catalogue")
    removed_by: str | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str
    periods: list[PeriodOut] = Field(
        [], description="The type's periods in the catalogue, in order (removed and brought back: two)"
    )
    routes: list[RouteSpanOut] = Field([], description="The type's conformity routes over time, in order")


class ChangeOut(Schema):
    key: str
    kind: str
    instrument: InstrumentRef | None
    effective: dt.date | None
    applications_from: dt.date | None
    mandatory_from: dt.date | None
    new_route: str
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class RoutineScopeOut(Schema):
    product_type: str
    code: str | None
    other_codes: list[str]
    name: dict[str, str]
    instrument: InstrumentRef
    valid_from: dt.date
    valid_until: dt.date | None
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


class ProductTypeDetailOut(ProductTypeOut):
    changes: list[ChangeOut]
    routine_scope: list[RoutineScopeOut]


class RoutineScopeListOut(Schema):
    on: dt.date | None = Field(..., description="The date asked about, or null for every entry")
    instruments: list[InstrumentOut] = Field(..., description="The instruments of routine designation")
    entries: list[RoutineScopeOut]


class ContactOut(Schema):
    sector: SectorName
    name: dict[str, str]
    organisation: dict[str, str]
    phone: str
    email: str = Field(..., description="Empty where not published")
    confirmed: bool = Field(..., description="False where the research could not verify the record")
    source: str = Field(..., description="Where the fact was read")
    note: str


ProductTypePage = page_schema("ProductTypePage", ProductTypeOut)


class ProductTypeFilters(Schema):
    category: str | None = Field(None, description="Category key")
    version: str | None = Field(None, description="Catalogue version key, e.g. SAMR-2023-36")
    route: RouteName | None = None
    sector: SectorName | None = None
    in_catalogue_on: str | None = Field(None, description="YYYY-MM-DD: only types in the catalogue that day")
    q: str | None = Field(None, max_length=100, description="Text in the code or any of the three names")
