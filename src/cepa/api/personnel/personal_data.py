"""An inspector's personal data: only for the registrar and the inspector's own body's staff, every
read logged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cepa.api.auth import current_user
from cepa.api.errors import ErrorOut
from cepa.api.imports import actor_of
from cepa.api.personnel.checks import inspector_or_404, registrar_write
from cepa.api.personnel.schemas import AccessOut, PersonalDataIn, PersonalDataOut
from cepa.api.routes import PRIVATE, WRITE_ERRORS, json_request
from cepa.personnel import selectors
from cepa.personnel.services import base, personal_data

router = Router(tags=["Inspectors"])


@router.get(
    "/inspectors/{path:record_id}/personal-data",
    response={200: PersonalDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def read_personal_data(request: HttpRequest, record_id: str) -> Any:
    """Date of birth, identity document, email and phone: for the CCAA registrar and the applicants of the
    inspector's current body only. Every read is logged (who, when, which fields)."""
    user = current_user(request)
    personal_data.check_may_read_personal_data(user=user)
    inspector_id = inspector_or_404(record_id)
    return personal_data.disclose_personal_data(
        actor=actor_of(request), user=user, inspector_id=inspector_id, channel="api"
    )


@router.patch(
    "/inspectors/{path:record_id}/personal-data",
    response={200: PersonalDataOut, **WRITE_ERRORS},
    openapi_extra=json_request(PersonalDataIn, {"email": "new@example.hk"}),
    **PRIVATE,
)
def update_personal_data(request: HttpRequest, record_id: str) -> Any:
    """The registrar corrects personal data (only the fields given). The change log records which
    fields changed, never their values."""
    registrar_write(
        request,
        record_id,
        "inspectors.edit_personal_data",
        PersonalDataIn,
        lambda user, body: personal_data.update_personal_data(
            actor=actor_of(request),
            user=user,
            inspector_id=record_id,
            reason=body.reason,
            channel="api",
            values=body.model_dump(exclude={"reason"}, exclude_unset=True),
        ),
    )
    return personal_data.disclose_personal_data(
        actor=actor_of(request), user=current_user(request), inspector_id=record_id, channel="api"
    )


@router.get(
    "/inspectors/{path:record_id}/personal-data/accesses",
    response={200: list[AccessOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def personal_data_accesses(request: HttpRequest, record_id: str) -> Any:
    """The log of reads of this inspector's personal data (the registrar only)."""
    base.require(current_user(request), "inspectors.view_access_log", what="read the access log")
    return selectors.access_log(inspector_or_404(record_id))
