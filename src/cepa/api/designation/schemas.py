"""The designation workflow's records as the API shows them, their pages, filters and request bodies."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from cepa.api.filters import query_schema
from cepa.api.pagination import page_schema
from cepa.api.schemas import Provenance
from cepa.bodies.models import DesignationRole, OrganisationKind
from cepa.designation.filters import ApplicationFilter, ExpressionOfInterestFilter, PlanFilter
from cepa.designation.models import ApplicationStatus, ObjectionStatus, PlanStatus, Route


class WindowOut(Schema):
    opens: dt.datetime
    closes: dt.datetime


class Requirements(Schema):
    en: str | None = Field(None, max_length=20_000)
    zh_hant: str | None = Field(None, alias="zh-Hant", max_length=20_000)
    zh_hans: str | None = Field(None, alias="zh-Hans", max_length=20_000)

    model_config = {"extra": "forbid", "populate_by_name": True}


class HistoryEntryOut(Schema):
    who: str
    when: dt.datetime
    from_: str | None = Field(None, alias="from", description="The status before (null when created)")
    to: str = Field(..., description="The status after")
    reason: str
    event: str = Field(
        ...,
        description="transition for a status change; otherwise what happened (updated, document_added, "
        "objection_lodged, objection_upheld, objection_dismissed)",
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "who": "cnca-li",
                    "when": "2026-09-14T11:00:00+08:00",
                    "from": "under_review",
                    "to": "information_requested",
                    "reason": "Send the GB 31241 test report",
                    "event": "transition",
                }
            ]
        }
    }


class PlanOut(Provenance):
    id: str
    year: int
    role: DesignationRole
    product_types: list[str]
    published: dt.date | None = None
    window: WindowOut
    requires_expression_of_interest: bool
    status: PlanStatus = Field(
        ..., description="draft plans are seen only by CNCA officers and administrators"
    )
    requirements: Requirements | None = Field(
        None, description="What applicants must meet, in up to three languages"
    )
    close_reason: str | None = Field(None, description="Why the plan was closed early")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "2026-1",
                    "year": 2026,
                    "role": "laboratory",
                    "product_types": ["0915"],
                    "published": "2026-06-01",
                    "window": {"opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00"},
                    "requires_expression_of_interest": True,
                    "status": "published",
                }
            ]
        }
    }


class PlanDetailOut(PlanOut):
    history: list[HistoryEntryOut] = []


class ExpressionOfInterestOut(Provenance):
    id: str
    organisation: str
    year: int
    product_types: list[str]
    submitted: dt.datetime

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "EOI-2026-0031",
                    "organisation": "cn-lab-pearl",
                    "year": 2026,
                    "product_types": ["0915"],
                    "submitted": "2026-03-20T11:15:00+08:00",
                }
            ]
        }
    }


class InterestOut(Schema):
    expression_of_interest: str
    year: int
    organisation: str
    name: str
    kind: OrganisationKind
    hk_invested: bool
    submitted: dt.datetime


class ProductTypeInterestOut(Schema):
    product_type: str
    organisations: int = Field(..., description="How many bodies asked for it")
    expressions: list[InterestOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product_type": "0915",
                    "organisations": 1,
                    "expressions": [
                        {
                            "expression_of_interest": "EOI-2026-0031",
                            "year": 2026,
                            "organisation": "cn-lab-pearl",
                            "name": "Pearl River Testing (Shenzhen) Co",
                            "kind": "laboratory",
                            "hk_invested": True,
                            "submitted": "2026-03-20T11:15:00+08:00",
                        }
                    ],
                }
            ]
        }
    }


class DocumentOut(Schema):
    id: int
    filename: str
    size: int = Field(..., description="Bytes")
    sha256: str
    uploaded: dt.datetime
    uploaded_by: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "filename": "capability.pdf",
                    "size": 482113,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "uploaded": "2026-09-10T10:05:00+08:00",
                    "uploaded_by": "pearl-staff",
                }
            ]
        }
    }


class ObjectionOut(Schema):
    id: int
    application: int
    status: ObjectionStatus
    grounds: str
    on_behalf_of: str | None = Field(None, description="The member of the public an officer lodged it for")
    lodged: dt.datetime
    lodged_by: str
    decided: dt.datetime | None = None
    decision_reason: str | None = None
    history: list[HistoryEntryOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 4,
                    "application": 12,
                    "status": "dismissed",
                    "grounds": "The laboratory's GB 31241 capability lapsed in August.",
                    "on_behalf_of": None,
                    "lodged": "2026-10-09T10:00:00+08:00",
                    "lodged_by": "river-staff",
                    "decided": "2026-10-12T10:00:00+08:00",
                    "decision_reason": "capability confirmed on site",
                    "history": [
                        {
                            "who": "river-staff",
                            "when": "2026-10-09T10:00:00+08:00",
                            "from": None,
                            "to": "pending",
                            "reason": "The laboratory's GB 31241 capability lapsed in August.",
                            "event": "transition",
                        },
                        {
                            "who": "cnca-li",
                            "when": "2026-10-12T10:00:00+08:00",
                            "from": "pending",
                            "to": "dismissed",
                            "reason": "capability confirmed on site",
                            "event": "transition",
                        },
                    ],
                }
            ]
        }
    }


APPLICATION_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "organisation": "cn-lab-pearl",
    "product_types": ["0915"],
    "status": "approved",
    "route": "plan",
    "plan": "2026-2",
    "created": "2026-09-10T10:00:00+08:00",
    "submitted": "2026-09-15T09:00:00+08:00",
    "decided": "2026-09-24T16:00:00+08:00",
    "objection_period_ends": "2026-10-22",
    "designation_from": "2026-09-24",
    "designation_date_provisional": False,
    "designation": "CNCA-APPLICATION-12",
    "designation_cancelled": None,
}


class ApplicationOut(Schema):
    id: int
    organisation: str
    product_types: list[str]
    status: ApplicationStatus
    route: Route = Field(..., description="The route the designation decision gives: routine or plan")
    plan: str | None = Field(None, description="The plan applied under (plan route)")
    created: dt.datetime
    submitted: dt.datetime | None = None
    decided: dt.datetime | None = None
    objection_period_ends: dt.date | None = Field(
        None,
        description="Approved: the last day of the objection period, the 15th Mainland working day after "
        "the day of approval",
    )
    designation_from: dt.date | None = Field(
        None,
        description="Approved: the day of approval (Beijing date), from which the designation is in force",
    )
    designation_date_provisional: bool | None = Field(
        None,
        description="Approved: true when `objection_period_ends` is provisional: the period runs into a year "
        "whose Mainland holiday schedule is not announced yet (counted with the statutory holidays alone)",
    )
    designation: str | None = Field(
        None, description="Approved: the designation record it created (null once removed on an objection)"
    )
    designation_cancelled: dt.datetime | None = Field(
        None,
        description="Approved: when an upheld objection ended the designation (the day before) or, upheld "
        "on the day of approval, removed it",
    )

    model_config = {"json_schema_extra": {"examples": [APPLICATION_EXAMPLE]}}


class ApplicationDetailOut(ApplicationOut):
    documents: list[DocumentOut] = Field([], description="Seen by the applicant's organisation and officers")
    objections: list[ObjectionOut] = Field(
        [], description="Seen by officers, the applicant's organisation and whoever lodged them"
    )
    history: list[HistoryEntryOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **APPLICATION_EXAMPLE,
                    "documents": [],
                    "objections": [],
                    "history": [
                        {
                            "who": "pearl-staff",
                            "when": "2026-09-10T10:00:00+08:00",
                            "from": None,
                            "to": "draft",
                            "reason": "drafted",
                            "event": "transition",
                        },
                        {
                            "who": "cnca-li",
                            "when": "2026-09-24T16:00:00+08:00",
                            "from": "under_review",
                            "to": "approved",
                            "reason": "meets the plan's requirements",
                            "event": "transition",
                        },
                    ],
                }
            ]
        }
    }


PlanPage = page_schema("PlanPage", PlanOut)
ExpressionOfInterestPage = page_schema("ExpressionOfInterestPage", ExpressionOfInterestOut)
ApplicationPage = page_schema("ApplicationPage", ApplicationOut)


class PlanFilters(query_schema(PlanFilter)):  # type: ignore[misc]
    pass


class ExpressionOfInterestFilters(query_schema(ExpressionOfInterestFilter)):  # type: ignore[misc]
    pass


class InterestGroupFilters(query_schema(ExpressionOfInterestFilter, only={"year"})):  # type: ignore[misc]
    pass


class ApplicationFilters(query_schema(ApplicationFilter)):  # type: ignore[misc]
    pass


# Request bodies. Strict shapes (unknown fields are errors); the services check the meaning.


class Body(Schema):
    model_config = {"extra": "forbid", "populate_by_name": True}


class ExpressionOfInterestIn(Body):
    organisation: str = Field(..., max_length=200)
    year: int
    product_types: list[str] = Field(..., min_length=1, max_length=500)


class WindowIn(Body):
    opens: dt.datetime = Field(..., description="ISO 8601; without an offset, Beijing time")
    closes: dt.datetime


class PlanIn(Body):
    id: str = Field(..., max_length=100)
    year: int
    role: DesignationRole
    product_types: list[str] = Field(..., min_length=1, max_length=500)
    window: WindowIn
    # A plan requires no expression of interest unless its publisher says so (contract rev. 2).
    requires_expression_of_interest: bool = False
    requirements: Requirements | None = None


class PlanChangesIn(Body):
    """Only the fields sent change. Once published, only `requirements` may."""

    year: int | None = None
    role: DesignationRole | None = None
    product_types: list[str] | None = Field(None, min_length=1, max_length=500)
    window: WindowIn | None = None
    requires_expression_of_interest: bool | None = None
    requirements: Requirements | None = None
    reason: str = Field("", max_length=10_000)


class ReasonIn(Body):
    reason: str = Field(..., max_length=10_000)


class OptionalReasonIn(Body):
    reason: str = Field("", max_length=10_000)


class ApplicationIn(Body):
    organisation: str = Field(..., max_length=200)
    product_types: list[str] = Field(..., min_length=1, max_length=500)


class ReviewIn(Body):
    action: Literal["start", "request_information", "approve", "refuse"]
    reason: str = Field("", max_length=10_000, description="Required to request information or refuse")


class ObjectionIn(Body):
    grounds: str = Field(..., max_length=10_000)
    on_behalf_of: str = Field(
        "", max_length=200, description="For an officer lodging it for a member of the public: their name"
    )


class ObjectionReviewIn(Body):
    action: Literal["uphold", "dismiss"]
    reason: str = Field(..., max_length=10_000)
