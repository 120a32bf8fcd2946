"""GET /api/v1/decisions/{question}: the rules engine's decisions over HTTP (contract §3).

200 with the decision whether allowed or refused; 400 {"code", "message", "errors"} for bad input.
Public: no account needed.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from cepa.api.errors import BadRequest, BadRequestOut
from cepa.decisions.services import DecisionInputError, decide

router = Router(tags=["Decisions"])

QUERY_PARAMETERS = ("subject", "org", "product_type", "on", "at", "lang")


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
    name: str
    organisation: str
    phone: str
    email: str


class DecisionOut(Schema):
    """One decision. `org` only for inspection; `on` for testing and inspection, `at` for designation;
    `route` for designation, with `plan`, `window` and `next_deadline` on the plan route; `sector` and
    `contact` for enquiry."""

    question: Literal["testing", "inspection", "designation", "enquiry"]
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


_TESTING_EXAMPLE: dict[str, Any] = {
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
_DESIGNATION_EXAMPLE: dict[str, Any] = {
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
_ENQUIRY_EXAMPLE: dict[str, Any] = {
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

_OPENAPI_EXTRA: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "testing": {"summary": "A refused testing decision", "value": _TESTING_EXAMPLE},
                        "designation": {
                            "summary": "The plan route, window closed",
                            "value": _DESIGNATION_EXAMPLE,
                        },
                        "enquiry": {"summary": "Where an enquiry goes", "value": _ENQUIRY_EXAMPLE},
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


@router.get(
    "/{question}",
    response={200: DecisionOut, 400: BadRequestOut},
    summary="Ask the rules engine a question",
    description=(
        "`testing` (subject, product_type, on): may a laboratory carry out CCC testing of a product type "
        "on a date? `inspection` (subject = inspector registration number, org, product_type, on): may an "
        "inspector carry out CCC factory inspection for a certification body? `designation` (subject, "
        "product_type, at): how may a body apply to be designated, as of a time? `enquiry` (product_type): "
        "where does an enquiry go?\n\n"
        "`on` is YYYY-MM-DD (default today in Beijing); `at` is an ISO 8601 timestamp, Beijing time when "
        "it has no offset (default now); `lang` is en, zh-Hant or zh-Hans. `allowed` is true exactly when "
        "no reason has `holds: false`. A parameter the question does not take is bad input (400)."
    ),
    openapi_extra=_OPENAPI_EXTRA,
)
def get_decision(
    request: HttpRequest,
    question: Literal["testing", "inspection", "designation", "enquiry"],
    subject: str | None = None,
    org: str | None = None,
    product_type: str | None = None,
    on: str | None = None,
    at: str | None = None,
    lang: str | None = None,
) -> JsonResponse:
    unknown = sorted(set(request.GET) - set(QUERY_PARAMETERS))
    if unknown:
        message = f"unknown query parameter {unknown[0]!r}: use {', '.join(QUERY_PARAMETERS)}"
        raise BadRequest(f"{unknown[0]}: {message}", errors=[{"field": unknown[0], "message": message}])
    try:
        decision = decide(
            question, subject=subject, org=org, product_type=product_type, on=on, at=at, lang=lang
        )
    except DecisionInputError as error:
        raise BadRequest(str(error), errors=[{"field": error.field, "message": error.message}]) from error
    return JsonResponse(decision.to_json(), json_dumps_params={"ensure_ascii": False})
