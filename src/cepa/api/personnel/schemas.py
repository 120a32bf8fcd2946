"""Inspectors, lookups, transfers and personal data as the API shows and takes them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import pydantic
from ninja import Field, Schema

from cepa.api.filters import query_schema
from cepa.api.pagination import page_schema
from cepa.api.schemas import Names
from cepa.catalogue.models import FAMILY_CODE_OR_KEY
from cepa.personnel.filters import InspectorFilter, TransferFilter
from cepa.personnel.models import Grade, InspectorStatus, TransferStatus

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD strings (pydantic would also take numbers as timestamps)."""
    if isinstance(value, str) and not _DATE.fullmatch(value):
        raise ValueError("must be a date YYYY-MM-DD")
    if not isinstance(value, (str, dt.date)):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


Day = Annotated[dt.date, pydantic.BeforeValidator(_iso_date)]
Text = Annotated[str, Field(max_length=10_000, pattern=r"^[^\x00]*$")]


class Body(Schema):
    model_config = {"extra": "forbid"}


class AffiliationOut(Schema):
    organisation: str
    valid_from: dt.date = Field(..., alias="from")
    until: dt.date | None = None


EXAMPLE: dict[str, Any] = {
    "id": "2024-CCC-HK-0007",
    "name": {"en": "Wong Ka Yan", "zh-Hant": "黃嘉欣"},
    "grade": "inspector",
    "specialties": ["07"],
    "registered": "2024-05-01",
    "expires": "2027-04-30",
    "affiliations": [{"organisation": "hk-cb-lionrock", "from": "2024-05-01"}],
    "status": "active",
    "current_grade": "inspector",
    "registration_valid": True,
    "organisation": "hk-cb-lionrock",
    "as_of": "2026-05-20",
}


class InspectorOut(Schema):
    """The public fields of a registration; personal data is never part of it."""

    id: str
    name: Names
    grade: Grade = Field(..., description="The grade at registration")
    specialties: list[str]
    registered: dt.date
    expires: dt.date
    affiliations: list[AffiliationOut]
    status: InspectorStatus = Field(..., description="Status on `as_of`")
    current_grade: Grade = Field(..., description="Grade on `as_of`")
    registration_valid: bool = Field(..., description="`as_of` lies between registered and expires")
    organisation: str | None = Field(..., description="The organisation affiliated on `as_of`")
    as_of: dt.date = Field(..., description="Today in Beijing time")

    model_config = {"json_schema_extra": {"examples": [EXAMPLE]}}


class CareerEntryOut(Schema):
    on: dt.date
    event: Literal["registered", "affiliated", "transferred", "left", "grade", "status", "renewed", "expired"]
    from_: str | None = Field(None, alias="from", description="Organisation, status, grade or expiry before")
    to: str | None = Field(None, description="Organisation, status, grade or expiry after")
    reason: str | None = None


class InspectorDetailOut(InspectorOut):
    history: list[CareerEntryOut] = Field(
        ..., description="The whole career up to today, across bodies (public facts only)"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **EXAMPLE,
                    "history": [
                        {"on": "2024-05-01", "event": "registered", "from": None, "to": "inspector"},
                        {"on": "2024-05-01", "event": "affiliated", "from": None, "to": "hk-cb-lionrock"},
                    ],
                }
            ]
        }
    }


InspectorPage = page_schema("InspectorPage", InspectorOut)


class InspectorFilters(query_schema(InspectorFilter)):  # type: ignore[misc]
    pass


class LookupParams(Schema):
    number: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$", description="Registration number")
    name: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$", description="Name, any language")
    organisation: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="The certification body (with `name`)"
    )
    on: Day | None = Field(None, description="The date asked about (default today in Beijing)")
    lang: Literal["en", "zh-Hant", "zh-Hans"] = "en"


class SpecialtyOut(Schema):
    code: str
    name: str


class NamedOrganisation(Schema):
    id: str
    name: str


class RegistrationPeriod(Schema):
    registered: dt.date
    expires: dt.date


class LookupOut(Schema):
    id: str
    name: Names
    on: dt.date
    registered: bool = Field(..., description="A valid, active registration on `on`")
    status: InspectorStatus
    grade: Grade
    registration: RegistrationPeriod
    organisation: NamedOrganisation | None
    with_organisation: bool | None = Field(
        None, description="With `name`: whether the inspector works for the body asked about on `on`"
    )
    specialties: list[SpecialtyOut]
    answer: str = Field(..., description="The answer in words, in `lang`")


class LookupResultOut(Schema):
    on: dt.date
    items: list[LookupOut]
    answer: str | None = Field(None, description="Said when nothing matches")


class RegistrationIn(Body):
    id: str = Field(..., min_length=1, max_length=100, pattern=r"^[^\x00]*$", description="CCAA number")
    name: dict[Literal["en", "zh-Hant", "zh-Hans"], Annotated[str, Field(max_length=300)]]
    grade: Grade
    specialties: list[Annotated[str, Field(pattern=FAMILY_CODE_OR_KEY)]] = Field(..., min_length=1)
    registered: Day
    expires: Day | None = None
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    date_of_birth: Day | None = None
    identity_document: str = Field("", max_length=60, pattern=r"^[^\x00]*$")
    email: str = Field("", max_length=200, pattern=r"^[^\x00]*$")
    phone: str = Field("", max_length=50, pattern=r"^[^\x00]*$")
    reason: Text = ""


class RenewalIn(Body):
    applied_on: Day | None = Field(None, description="Default today in Beijing")
    reason: Text = ""


class RenewalOut(Schema):
    inspector: str
    applied_on: dt.date
    previous_expires: dt.date
    expires: dt.date


class ConfirmationIn(Body):
    year: int | None = Field(None, ge=1900, le=9999, description="Default the earliest year still due")
    confirmed_on: Day | None = None


class ConfirmationOut(Schema):
    inspector: str
    year: int
    due: dt.date
    confirmed_on: dt.date
    next_due: dt.date | None


class StatusIn(Body):
    status: InspectorStatus = Field(..., description="suspended, active (reinstated) or cancelled (final)")
    on: Day
    reason: Text = Field(..., min_length=1)


class GradeIn(Body):
    grade: Grade
    on: Day
    evidence: Text = Field(..., min_length=1, description="What the change rests on")
    reason: Text = ""


class TransferIn(Body):
    to_organisation: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    effective: Day = Field(..., description="First day with the new body")


class ReviewIn(Body):
    action: Literal["approve", "refuse"]
    reason: Text = ""


class TransferHistoryOut(Schema):
    who: str
    when: dt.datetime
    from_: TransferStatus | None = Field(None, alias="from", description="The status before (null first)")
    to: TransferStatus = Field(..., description="The status after")
    reason: str
    event: Literal["transition"] = Field("transition", description="Always a status change for transfers")


class TransferOut(Schema):
    id: int
    inspector: str
    from_organisation: str | None
    to_organisation: str
    effective: dt.date
    status: TransferStatus
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str
    history: list[TransferHistoryOut]


TransferPage = page_schema("TransferPage", TransferOut)


class TransferFilters(query_schema(TransferFilter)):  # type: ignore[misc]
    pass


class PersonalDataOut(Schema):
    id: str
    date_of_birth: dt.date | None
    identity_document: str
    email: str
    phone: str


class PersonalDataIn(Body):
    date_of_birth: Day | None = None
    identity_document: str | None = Field(None, max_length=60, pattern=r"^[^\x00]*$")
    email: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    phone: str | None = Field(None, max_length=50, pattern=r"^[^\x00]*$")
    reason: Text = ""


class AccessOut(Schema):
    at: dt.datetime
    actor: str
    fields: list[str]
    channel: str
