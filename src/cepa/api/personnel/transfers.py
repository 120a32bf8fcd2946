"""Institution transfers: asked by an applicant of the new body, reviewed by the CCAA registrar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user
from cepa.api.errors import BadRequestOut, ErrorOut, json_body, parse_body
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.personnel.checks import inspector_or_404
from cepa.api.personnel.schemas import ReviewIn, TransferFilters, TransferIn, TransferOut, TransferPage
from cepa.api.routes import PRIVATE, WRITE_ERRORS, json_request
from cepa.errors import NotFound
from cepa.personnel import selectors
from cepa.personnel.services import base, transfers

router = Router(tags=["Inspectors"])


@router.post(
    "/inspectors/{path:record_id}/transfers",
    response={201: TransferOut, **WRITE_ERRORS},
    openapi_extra=json_request(TransferIn, {"to_organisation": "hk-cb-harbour", "effective": "2026-07-01"}),
    **PRIVATE,
)
def request_transfer(request: HttpRequest, record_id: str) -> Any:
    """The "change institution" request, by an applicant of the new body. 422 `NOT_CERTIFICATION_BODY`,
    `ALREADY_AFFILIATED`, `REGISTRATION_NOT_VALID`, `REGISTRATION_CANCELLED`, `TRANSFER_PENDING`,
    `LATER_AFFILIATION`, `AFFILIATION_STARTS_ON_EFFECTIVE`."""
    user = current_user(request)
    transfers.check_may_request_transfer(user=user, to_organisation=None)
    # The organisation is in the body: judge it before the record and the rest of the body.
    raw = json_body(request)
    target = raw.get("to_organisation") if isinstance(raw, dict) else None
    transfers.check_may_request_transfer(user=user, to_organisation=target)
    inspector_id = inspector_or_404(record_id)
    body = parse_body(request, TransferIn)
    transfer = transfers.request_transfer(
        actor=actor_of(request),
        user=user,
        inspector_id=inspector_id,
        to_organisation=body.to_organisation,
        effective=body.effective,
        channel="api",
    )
    return Status(201, selectors.transfer_records([transfer.pk])[0])


@router.get(
    "/transfers", response={200: TransferPage, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut}, **PRIVATE
)
def list_transfers(
    request: HttpRequest, filters: Query[TransferFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Transfers: the registrar and administrators see all, applicants those to or from their body."""
    base.require(current_user(request), "transfers.view", what="read transfers")
    queryset = selectors.transfers(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, selectors.transfer_records)


def _transfer_id(transfer_id: str) -> int:
    if not transfer_id.isascii() or not transfer_id.isdigit() or len(transfer_id) > 18:
        raise NotFound(f"no transfer with id {transfer_id!r}")
    return int(transfer_id)


@router.get(
    "/transfers/{transfer_id}",
    response={200: TransferOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def get_transfer(request: HttpRequest, transfer_id: str) -> Any:
    """The transfer with its status and history (who, when, from, to, reason)."""
    base.require(current_user(request), "transfers.view", what="read transfers")
    transfer = selectors.transfer(current_user(request), _transfer_id(transfer_id))
    if transfer is None:
        raise NotFound(f"no transfer with id {transfer_id!r}")
    return transfer


@router.post(
    "/transfers/{transfer_id}/review",
    response={200: TransferOut, **WRITE_ERRORS},
    openapi_extra=json_request(
        ReviewIn, {"action": "approve", "reason": "CCAA change-institution check done"}
    ),
    **PRIVATE,
)
def review_transfer(request: HttpRequest, transfer_id: str) -> Any:
    """The CCAA registrar approves or refuses (a reason is required to refuse). Approval ends the old
    affiliation the day before `effective` and starts the new one; number, grade, specialties and expiry
    stay. 409 when already decided; 422 when the rules no longer allow it (nothing changes)."""
    user = current_user(request)
    base.require(user, "transfers.review", what="review transfers")
    number = _transfer_id(transfer_id)
    if selectors.transfer(user, number) is None:
        raise NotFound(f"no transfer with id {transfer_id!r}")
    body = parse_body(request, ReviewIn)
    transfer = transfers.review_transfer(
        actor=actor_of(request),
        user=user,
        transfer_id=number,
        action=body.action,
        reason=body.reason,
        channel="api",
    )
    return selectors.transfer_records([transfer.pk])[0]
