"""GET /api/v1/decisions/{question}: the rules engine's decisions over HTTP (contract §3).

200 with the decision whether allowed or refused; 400 {"code", "message", "errors"} for bad input.
Public: no account needed.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, JsonResponse
from ninja import Router

from cepa.api.decisions.schemas import DECISION_RESPONSES, DecisionOut
from cepa.api.errors import BadRequestOut
from cepa.decisions.services import DecisionInputError, decide
from cepa.errors import InvalidInput

router = Router(tags=["Decisions"])

QUERY_PARAMETERS = ("subject", "org", "product_type", "on", "at", "lang")


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
    openapi_extra=DECISION_RESPONSES,
)
def get_decision(
    request: HttpRequest,
    question: Literal["testing", "inspection", "designation", "enquiry", "certificate"],
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
        raise InvalidInput(unknown[0], message)
    try:
        decision = decide(
            question, subject=subject, org=org, product_type=product_type, on=on, at=at, lang=lang
        )
    except DecisionInputError as error:
        raise InvalidInput(error.field, error.message) from error
    return JsonResponse(decision.to_json(), json_dumps_params={"ensure_ascii": False})
