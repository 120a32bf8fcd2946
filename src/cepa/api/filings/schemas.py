"""Agreement filings as the API shows and takes them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from cepa.api.filters import query_schema
from cepa.api.pagination import page_schema
from cepa.bodies.models import AgreementKind
from cepa.catalogue.models import CODE_OR_KEY
from cepa.filings.filters import FilingFilter
from cepa.filings.models import FilingStatus, Procedure
from cepa.filings.services import base

ID = r"^[^\x00]*$"


class FilingIn(Schema):
    kind: AgreementKind
    party: str = Field(..., min_length=1, max_length=200, pattern=ID)
    counterparty: str = Field(..., min_length=1, max_length=200, pattern=ID)
    product_types: list[Annotated[str, Field(pattern=CODE_OR_KEY)]] = Field(..., min_length=1, max_length=200)
    from_: dt.date = Field(..., alias="from")
    until: dt.date | None = None

    model_config = {"extra": "forbid", "populate_by_name": True}


class ReviewIn(Schema):
    action: Literal["accept", "return"]
    reason: str = Field("", max_length=base.MAX_REASON)

    model_config = {"extra": "forbid"}


class TerminateIn(Schema):
    on: dt.date = Field(..., description="The first day the agreement is no longer in force")
    reason: str = Field("", max_length=base.MAX_REASON)

    model_config = {"extra": "forbid"}


class TerminationCorrectionIn(Schema):
    on: dt.date | None = Field(
        ..., description="The right first day the agreement is no longer in force; null undoes it"
    )
    reason: str = Field(..., min_length=1, max_length=base.MAX_REASON)

    model_config = {"extra": "forbid"}


class HistoryEntryOut(Schema):
    who: str
    when: dt.datetime
    from_: str | None = Field(None, alias="from", description="The status before (null when filed)")
    to: str = Field(..., description="The status after")
    reason: str
    event: str = Field("transition", description="Always a status change for filings")


class FilingOut(Schema):
    id: str
    kind: AgreementKind
    party: str
    counterparty: str
    product_types: list[str]
    from_: dt.date = Field(..., alias="from")
    until: dt.date | None
    procedure: Procedure = Field(
        ...,
        description="Which CNCA procedure applies for the agreement's `from`: approval before 2025-03-01, "
        "filing from it (Agreement II amending the CEPA Agreement on Trade in Services)",
    )
    status: FilingStatus
    filed_at: dt.datetime
    accepted_on: dt.date | None = Field(None, description="The day CNCA accepted it")
    agreement: str | None = Field(None, description="The registry agreement written on acceptance")
    in_force_from: dt.date | None = Field(
        None, description="The agreement is in force from here: the later of `from` and the acceptance"
    )
    returned_reason: str | None = None
    terminated_on: dt.date | None = Field(None, description="The first day no longer in force")
    expired_on: dt.date | None = None
    history: list[HistoryEntryOut]


FilingPage = page_schema("AgreementFilingPage", FilingOut)


class FilingFilters(query_schema(FilingFilter)):  # type: ignore[misc]
    pass
