"""Certificates, test reports and factory inspections as the API shows and takes them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from cepa.api.filters import query_schema
from cepa.api.pagination import page_schema
from cepa.catalogue.models import CODE_OR_KEY
from cepa.certificates import services
from cepa.certificates.filters import CertificateFilter
from cepa.certificates.models import CertificateStatus, EventStatus

ID = r"^[^\x00]*$"
NUMBER = r"^[0-9]{16}$"


class HolderIn(Schema):
    en: str = Field(..., min_length=1, max_length=services.MAX_NAME, pattern=ID)
    zh_hant: str = Field("", alias="zh-Hant", max_length=services.MAX_NAME, pattern=ID)
    zh_hans: str = Field("", alias="zh-Hans", max_length=services.MAX_NAME, pattern=ID)

    model_config = {"extra": "forbid", "populate_by_name": True}

    def names(self) -> dict[str, str]:
        return {"en": self.en, "zh-Hant": self.zh_hant, "zh-Hans": self.zh_hans}


class CertificateIn(Schema):
    issuer: str = Field(..., min_length=1, max_length=200, pattern=ID)
    holder: HolderIn
    product_type: str = Field(..., pattern=CODE_OR_KEY)
    issued: dt.date | None = Field(None, description="The day of issue; today in Beijing if not given")
    expires: dt.date
    test_reports: list[str] = Field(..., min_length=1, max_length=services.MAX_LINKS)
    factory_inspections: list[str] = Field([], max_length=services.MAX_LINKS)
    number: str | None = Field(
        None,
        pattern=NUMBER,
        description="The certificate's number; the next free one (year, CNCA code, product code, serial) "
        "if not given",
    )

    model_config = {"extra": "forbid"}


class StatusIn(Schema):
    action: Literal["suspend", "reinstate", "revoke", "cancel"]
    reason: str = Field(..., min_length=1, max_length=services.MAX_REASON)
    on: dt.date | None = Field(None, description="The day the status changes; today in Beijing if not given")

    model_config = {"extra": "forbid"}


class TestReportIn(Schema):
    __test__ = False

    id: str = Field(..., min_length=1, max_length=100, pattern=ID)
    laboratory: str = Field(..., min_length=1, max_length=200, pattern=ID)
    product_type: str = Field(..., pattern=CODE_OR_KEY)
    issued: dt.date
    certification_body: str = Field(..., min_length=1, max_length=200, pattern=ID)

    model_config = {"extra": "forbid"}


class FactoryInspectionIn(Schema):
    id: str = Field(..., min_length=1, max_length=100, pattern=ID)
    organisation: str = Field(..., min_length=1, max_length=200, pattern=ID)
    on_behalf_of: str = Field(..., min_length=1, max_length=200, pattern=ID)
    inspectors: list[str] = Field(..., min_length=1, max_length=services.MAX_LINKS)
    product_type: str = Field(..., pattern=CODE_OR_KEY)
    on: dt.date

    model_config = {"extra": "forbid"}


class TestReportOut(Schema):
    __test__ = False

    id: str
    laboratory: str
    product_type: str
    issued: dt.date
    certification_body: str


class FactoryInspectionOut(Schema):
    id: str
    organisation: str
    on_behalf_of: str
    inspectors: list[str]
    product_type: str
    on: dt.date


class EventOut(Schema):
    on: dt.date
    status: EventStatus
    reason: str


class HolderOut(Schema):
    en: str
    zh_hant: str | None = Field(None, alias="zh-Hant")
    zh_hans: str | None = Field(None, alias="zh-Hans")


class CertificateOut(Schema):
    id: str = Field(..., description="The 16-digit CCC certificate number")
    holder: HolderOut
    product_type: str
    issuer: str
    issued: dt.date
    expires: dt.date
    on: dt.date = Field(..., description="The day `status` is given for")
    status: CertificateStatus
    test_reports: list[TestReportOut]
    factory_inspections: list[FactoryInspectionOut]
    events: list[EventOut]


class CertificateDetailOut(CertificateOut):
    decision: dict[str, Any] = Field(
        ..., description="The `certificate` decision on the day `on` (contract §2), with its notices"
    )


CertificatePage = page_schema("CertificatePage", CertificateOut)


class CertificateFilters(query_schema(CertificateFilter)):  # type: ignore[misc]
    pass
