"""Agreement filings as the API shows and takes them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from cepa.api.pagination import page_schema
from cepa.bodies.models import AgreementKind
from cepa.catalogue.models import CODE_OR_KEY
from cepa.filings import services
from cepa.filings.models import FilingStatus

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
    reason: str = Field("", max_length=services.MAX_REASON)

    model_config = {"extra": "forbid"}


class TerminateIn(Schema):
    on: dt.date = Field(..., description="The first day the agreement is no longer in force")
    reason: str = Field("", max_length=services.MAX_REASON)

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


class FilingFilters(Schema):
    status: FilingStatus | None = None
    kind: AgreementKind | None = None
    party: str | None = Field(None, max_length=200, pattern=ID)
    counterparty: str | None = Field(None, max_length=200, pattern=ID)
