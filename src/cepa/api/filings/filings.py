"""Cooperation agreement filings (contract §4): filed by an applicant of the party, reviewed by CNCA.

Checks run in the contract's order, 401 → 403 → 404 → 400 → 409 → 422: the role (and, for a
filing, the party named in the body) before the body is judged; the record before its body.
Mounted before the registry's per-record routes, so /agreements/filings is never read as the id of
an agreement.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user, token_auth
from cepa.api.errors import BadRequestOut, ErrorOut, RefusedOut, parse_body
from cepa.api.filings.schemas import (
    FilingFilters,
    FilingIn,
    FilingOut,
    FilingPage,
    ReviewIn,
    TerminateIn,
    TerminationCorrectionIn,
)
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import json_request, raw_field
from cepa.filings import selectors
from cepa.filings.services import base, ending, review, submission

router = Router(tags=["Agreement filings"])

PRIVATE: dict[Any, Any] = {"auth": token_auth, "by_alias": True}
FILING_EXAMPLE = {
    "kind": "testing",
    "party": "hk-lab-harbour",
    "counterparty": "cn-cb-east",
    "product_types": ["0701", "0702"],
    "from": "2026-07-01",
    "until": "2029-06-30",
}


WRITE_ERRORS: dict[Any, Any] = {400: BadRequestOut, 401: ErrorOut, 403: ErrorOut, 422: RefusedOut}
ACTION_ERRORS: dict[Any, Any] = {**WRITE_ERRORS, 404: ErrorOut, 409: ErrorOut}


@router.post(
    "/agreements/filings",
    response={201: FilingOut, **WRITE_ERRORS},
    summary="File a cooperation agreement (applicant of the party)",
    openapi_extra=json_request(FilingIn, FILING_EXAMPLE),
    **PRIVATE,
)
def file_agreement(request: HttpRequest) -> Any:
    """Files an agreement between the applicant's organisation (`party`) and a designated Mainland
    certification body (`counterparty`). 422 `COUNTERPARTY_NOT_DESIGNATED`, with the product types
    in `failing`, for those the counterparty is not designated for on every day from `from` to
    `until`; 422 `PARTY_NOT_ELIGIBLE` when the party is not a Hong Kong laboratory (testing) or
    certification body (factory inspection, sampling). A refused filing stores nothing."""
    user = current_user(request)
    base.check_may_file(user=user, party=raw_field(request, "party"))
    body = parse_body(request, FilingIn)
    filing = submission.file_agreement(
        actor=actor_of(request),
        user=user,
        kind=body.kind,
        party=body.party,
        counterparty=body.counterparty,
        product_types=body.product_types,
        valid_from=body.from_,
        valid_until=body.until,
    )
    return Status(201, selectors.filing_detail(filing.pk))


@router.get(
    "/agreements/filings",
    response={200: FilingPage, 400: BadRequestOut, 401: ErrorOut},
    summary="Agreement filings you may see",
    **PRIVATE,
)
def list_filings(request: HttpRequest, filters: Query[FilingFilters], page: Query[PageParams]) -> Any:
    """Officers and administrators see every filing; an applicant those of their organisation."""
    queryset = selectors.filings(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, selectors.filing_records)


@router.get(
    "/agreements/filings/{filing_id}",
    response={200: FilingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="An agreement filing with its status and history",
    **PRIVATE,
)
def get_filing(request: HttpRequest, filing_id: str) -> Any:
    found = base.find_filing(user=current_user(request), filing_id=filing_id, permission="filings.view")
    return selectors.filing_detail(found.pk)


@router.post(
    "/agreements/filings/{filing_id}/review",
    response={200: FilingOut, **ACTION_ERRORS},
    summary="Accept or return a filing (CNCA officer)",
    openapi_extra=json_request(ReviewIn, {"action": "accept", "reason": ""}),
    **PRIVATE,
)
def review_filing(request: HttpRequest, filing_id: str) -> Any:
    """`accept` (filed → accepted): the agreement is in force on the days of its range from the day of
    acceptance on, and is written to the registry. `return` (filed → returned) needs a `reason`.
    409 when the filing is not `filed`; 422 `RANGE_ENDED` when its range is over."""
    user = current_user(request)
    base.check_may_review(user=user)
    found = base.find_filing(user=user, filing_id=filing_id, permission="filings.review").pk
    body = parse_body(request, ReviewIn)
    review.review_filing(
        actor=actor_of(request), user=user, filing_id=found, action=body.action, reason=body.reason
    )
    return selectors.filing_detail(found)


@router.post(
    "/agreements/filings/{filing_id}/terminate",
    response={200: FilingOut, **ACTION_ERRORS},
    summary="Record the termination of an accepted filing's agreement",
    openapi_extra=json_request(TerminateIn, {"on": "2027-01-01", "reason": "ended by mutual consent"}),
    **PRIVATE,
)
def terminate_filing(request: HttpRequest, filing_id: str) -> Any:
    """By a CNCA officer or an applicant of either organisation; `on` is the first day the agreement is
    no longer in force (within its range). 409 unless the filing is `accepted`."""
    user = current_user(request)
    base.check_may_terminate(user=user)
    found = base.find_filing(user=user, filing_id=filing_id, permission="filings.terminate").pk
    body = parse_body(request, TerminateIn)
    ending.terminate_filing(
        actor=actor_of(request), user=user, filing_id=found, on=body.on, reason=body.reason
    )
    return selectors.filing_detail(found)


@router.post(
    "/agreements/filings/{filing_id}/termination",
    response={200: FilingOut, **ACTION_ERRORS},
    summary="Correct or undo the termination recorded for a filing's agreement (CNCA officer)",
    openapi_extra=json_request(
        TerminationCorrectionIn, {"on": None, "reason": "recorded as 9999-12-31 by mistake"}
    ),
    **PRIVATE,
)
def correct_termination(request: HttpRequest, filing_id: str) -> Any:
    """`on`: the right first day the agreement is no longer in force (within its range); null undoes the
    termination, and the filing is `accepted` again. Takes any termination stored before, however far
    off. 409 unless the filing is `terminated`; a `reason` is required."""
    user = current_user(request)
    base.check_may_review(user=user)
    found = base.find_filing(user=user, filing_id=filing_id, permission="filings.review").pk
    body = parse_body(request, TerminationCorrectionIn)
    ending.correct_termination(
        actor=actor_of(request), user=user, filing_id=found, on=body.on, reason=body.reason, channel="api"
    )
    return selectors.filing_detail(found)
