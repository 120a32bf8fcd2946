"""Objections to an approved designation application, during its objection period."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from cepa.api.auth import current_user
from cepa.api.designation.schemas import ObjectionIn, ObjectionOut, ObjectionReviewIn
from cepa.api.errors import ErrorOut, parse_body
from cepa.api.imports import actor_of
from cepa.api.routes import PRIVATE, WRITE_ERRORS, json_request
from cepa.designation import selectors, services
from cepa.errors import NotFound

router = Router(tags=["Designation applications"])


def _objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    number = services.parse_id(objection_id)
    found = selectors.objection(current_user(request), number) if number else None
    if found is None:
        raise NotFound(f"no objection with id {objection_id!r}")
    return found


@router.post(
    "/applications/{application_id}/objections",
    response={201: ObjectionOut, **WRITE_ERRORS},
    summary="Object to an approved application (anyone with an account)",
    openapi_extra=json_request(
        ObjectionIn, {"grounds": "The laboratory's GB 31241 capability lapsed in August.", "on_behalf_of": ""}
    ),
    **PRIVATE,
)
def lodge_objection(request: HttpRequest, application_id: str) -> Any:
    """From the day of approval through `objection_period_ends` (Beijing dates); after it, 422
    `OBJECTION_PERIOD_ENDED`. Officers may lodge one for a member of the public (`on_behalf_of`)."""
    user = current_user(request)
    services.find_application_to_object(user=user, application_id=application_id)
    body = parse_body(request, ObjectionIn)
    objection = services.lodge_objection(
        actor=actor_of(request),
        user=user,
        application_id=application_id,
        grounds=body.grounds,
        on_behalf_of=body.on_behalf_of,
    )
    return Status(201, _objection(request, str(objection.pk)))


@router.get(
    "/objections/{objection_id}",
    response={200: ObjectionOut, 401: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def get_objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    """An objection with its status and history (officers, the applicant's organisation, its lodger)."""
    return _objection(request, objection_id)


@router.post(
    "/objections/{objection_id}/review",
    response={200: ObjectionOut, **WRITE_ERRORS},
    summary="Uphold or dismiss an objection (CNCA officer)",
    openapi_extra=json_request(ObjectionReviewIn, {"action": "dismiss", "reason": "capability confirmed"}),
    **PRIVATE,
)
def review_objection(request: HttpRequest, objection_id: str) -> dict[str, Any]:
    """`uphold` or `dismiss` a pending objection, with a reason. Upheld on day X, the designation the
    approval created ends: its `until` becomes the earlier of its `until` and X − 1; upheld on the day
    of approval itself, the designation is removed (the history says why)."""
    user = current_user(request)
    services.find_objection(user=user, objection_id=objection_id)
    body = parse_body(request, ObjectionReviewIn)
    services.review_objection(
        actor=actor_of(request),
        user=user,
        objection_id=objection_id,
        action=body.action,
        reason=body.reason,
    )
    return _objection(request, objection_id)
