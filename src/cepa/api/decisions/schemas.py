"""A decision as the API shows it, with examples of each kind."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema


class ReasonOut(Schema):
    code: str
    holds: bool
    message: str
    basis: str
    refs: list[str]


class WindowOut(Schema):
    opens: str
    closes: str


class ContactOut(Schema):
    sector: str
    name: str = Field(
        description="The contact's name in the language asked; where the source gives it only romanised, "
        "Chinese answers give that name with its title in Chinese"
    )
    organisation: str
    phone: str
    email: str
    name_note: str | None = Field(
        None, description="Present when the source does not give the name in the language asked: says so"
    )


class NoticeOut(Schema):
    code: str
    message: str
    refs: list[str]


class DecisionOut(Schema):
    """One decision. `org` only for inspection; `on` for testing and inspection, `at` for designation;
    `route` for designation, with `plan`, `window` and `next_deadline` on the plan route; `sector` and
    `contact` for enquiry."""

    question: Literal["testing", "inspection", "designation", "enquiry", "certificate"]
    subject: str | None
    org: str | None = None
    product_type: str
    on: str | None = None
    at: str | None = None
    allowed: bool
    reasons: list[ReasonOut]
    route: Literal["none", "routine", "plan"] | None = None
    plan: str | None = None
    window: WindowOut | None = None
    next_deadline: str | None = None
    sector: Literal["electrical_electronic", "non_electrical_electronic"] | None = None
    contact: ContactOut | None = None
    status: Literal["not_yet_valid", "valid", "suspended", "revoked", "cancelled", "expired"] | None = None
    notices: list[NoticeOut] | None = None


TESTING_EXAMPLE: dict[str, Any] = {
    "question": "testing",
    "subject": "hk-lab-harbour",
    "product_type": "0915",
    "on": "2026-02-01",
    "allowed": False,
    "reasons": [
        {
            "code": "PRODUCT_IN_CATALOGUE",
            "holds": True,
            "message": "0915 is in the CCC catalogue on 2026-02-01",
            "basis": "CCC product catalogue (SAMR PN 2023 No.36 and later SAMR notices)",
            "refs": ["0915"],
        },
        {
            "code": "ACCREDITATION_SUSPENDED",
            "holds": False,
            "message": "HOKLAS 950 is suspended for 0915 from 2026-02-01",
            "basis": "CEPA Implementation Guide (May 2020): HOKLAS accreditation for CCC testing",
            "refs": ["HOKLAS 950"],
        },
    ],
}
DESIGNATION_EXAMPLE: dict[str, Any] = {
    "question": "designation",
    "subject": "cn-lab-pearl",
    "product_type": "0915",
    "at": "2026-06-13T10:00:00+08:00",
    "allowed": False,
    "reasons": [
        {
            "code": "PLAN_PUBLISHED",
            "holds": True,
            "message": "Designation plan 2026-1 for laboratories covering 0915 was published on 2026-06-01",
            "basis": "Art 12 of the CCC bodies measures: designation plans and their application windows",
            "refs": ["2026-1"],
        },
        {
            "code": "WINDOW_OPEN",
            "holds": False,
            "message": "The application window of plan 2026-1 closed at 2026-06-12T17:00:00+08:00",
            "basis": "Art 12 of the CCC bodies measures: designation plans and their application windows",
            "refs": ["2026-1"],
        },
    ],
    "route": "plan",
    "plan": "2026-1",
    "window": {"opens": "2026-06-02T09:00:00+08:00", "closes": "2026-06-12T17:00:00+08:00"},
    "next_deadline": "2027-04-01T00:00:00+08:00",
}
ENQUIRY_EXAMPLE: dict[str, Any] = {
    "question": "enquiry",
    "subject": None,
    "product_type": "0701",
    "allowed": True,
    "reasons": [],
    "sector": "electrical_electronic",
    "contact": {
        "sector": "electrical_electronic",
        "name": "Mr QIU Lei",
        "organisation": "Certification and Accreditation Administration of the PRC (CNCA)",
        "phone": "+86-10-82262779",
        "email": "",
    },
}

DECISION_RESPONSES: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "testing": {"summary": "A refused testing decision", "value": TESTING_EXAMPLE},
                        "designation": {
                            "summary": "The plan route, window closed",
                            "value": DESIGNATION_EXAMPLE,
                        },
                        "enquiry": {"summary": "Where an enquiry goes", "value": ENQUIRY_EXAMPLE},
                    }
                }
            }
        },
        400: {
            "content": {
                "application/json": {
                    "examples": {
                        "unknown code": {
                            "value": {
                                "code": "BAD_REQUEST",
                                "message": "product_type: unknown product type code '9999': no catalogue "
                                "version has had it",
                                "errors": [
                                    {
                                        "field": "product_type",
                                        "message": "unknown product type code '9999': no catalogue "
                                        "version has had it",
                                    }
                                ],
                            }
                        }
                    }
                }
            }
        },
    }
}
