"""Inspectors: the public register and lookup, and the registrar's writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body
from cepa.api.imports import actor_of, upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, paginate
from cepa.api.personnel.checks import registrar_write
from cepa.api.personnel.schemas import (
    ConfirmationIn,
    ConfirmationOut,
    GradeIn,
    InspectorDetailOut,
    InspectorFilters,
    InspectorPage,
    LookupParams,
    LookupResultOut,
    RegistrationIn,
    RenewalIn,
    RenewalOut,
    StatusIn,
)
from cepa.api.routes import ADMIN, PRIVATE, READ, WRITE_ERRORS, found, json_request
from cepa.errors import InvalidInput
from cepa.personnel import messages, policy, selectors
from cepa.personnel.models import Inspector
from cepa.personnel.services import base, registration

router = Router(tags=["Inspectors"])
records = Router(tags=["Inspectors"])


@router.get("/inspectors", response={200: InspectorPage, 400: BadRequestOut, 401: ErrorOut}, **READ)
def list_inspectors(
    request: HttpRequest, filters: Query[InspectorFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Registered CCC factory inspectors, sorted by registration number."""
    queryset = selectors.inspectors(current_user(request), **filters.model_dump())
    return paginate(request, queryset, page, selectors.public_records)


@router.get(
    "/inspectors/lookup",
    response={200: LookupResultOut, 400: BadRequestOut, 401: ErrorOut},
    summary="Is this person a registered CCC factory inspector?",
    **READ,
)
def lookup_inspector(request: HttpRequest, params: Query[LookupParams]) -> dict[str, Any]:
    """By registration number, or by name (any language) with the certification body: is the person a
    registered CCC factory inspector on the date (default today), for which body and product families?
    Needs no account; shows no personal data."""
    if not params.number and not (params.name and params.organisation):
        raise InvalidInput("number", "give a registration number, or a name with the organisation")
    day = params.on or selectors.beijing_today()
    items = selectors.lookup(
        number=params.number, name=params.name, organisation=params.organisation, on=day, lang=params.lang
    )
    result: dict[str, Any] = {"on": day, "items": items}
    if not items:
        result["answer"] = messages.message("LOOKUP.none", params.lang)
    return result


@records.get(
    "/inspectors/{path:record_id}", response={200: InspectorDetailOut, 401: ErrorOut, 404: ErrorOut}, **READ
)
def get_inspector(request: HttpRequest, record_id: str) -> dict[str, Any]:
    """The public record with its status today and its history across bodies."""
    return found("inspector", selectors.inspector, request, record_id)


@records.put(
    "/inspectors/{path:record_id}",
    response={
        200: InspectorDetailOut,
        201: InspectorDetailOut,
        400: BadRequestOut,
        401: ErrorOut,
        403: ErrorOut,
    },
    **ADMIN,
    openapi_extra=record_body("inspectors"),
)
def put_inspector(request: HttpRequest, record_id: str) -> Any:
    """Creates or replaces the registration, its affiliations and events (interchange shape)."""
    created = upsert_record(request, list_name="inspectors", model=Inspector, record_id=record_id)
    return Status(201 if created else 200, get_inspector(request, record_id))


# --- the registrar's writes ---------------------------------------------------------------------------


@router.post(
    "/inspectors/registrations",
    response={201: InspectorDetailOut, **WRITE_ERRORS},
    openapi_extra=json_request(
        RegistrationIn,
        {
            "id": "CCAA-2026-CCC-0042",
            "name": {"en": "Lee Siu Ming", "zh-Hant": "李小明"},
            "grade": "provisional",
            "specialties": ["07", "0915"],
            "registered": "2026-03-01",
            "organisation": "hk-cb-lionrock",
            "date_of_birth": "1988-10-02",
            "identity_document": "Z1234567",
            "email": "lee@example.hk",
        },
    ),
    **PRIVATE,
)
def register_inspector(request: HttpRequest) -> Any:
    """The registrar registers an inspector: number, grade, specialties, dates, the body and personal
    data (kept, never shown publicly). 422 `NOT_CERTIFICATION_BODY`, `AGE_LIMIT`."""
    user = current_user(request)
    base.require(user, "inspectors.register", what="register inspectors")
    body = parse_body(request, RegistrationIn)
    inspector = registration.register_inspector(
        actor=actor_of(request),
        user=user,
        channel="api",
        **body.model_dump(exclude={"name"}),
        name={str(language): text for language, text in body.name.items()},
    )
    return Status(201, get_inspector(request, inspector.pk))


@router.post(
    "/inspectors/{path:record_id}/renewals",
    response={201: RenewalOut, **WRITE_ERRORS},
    openapi_extra=json_request(RenewalIn, {"applied_on": "2026-11-20"}),
    **PRIVATE,
)
def renew(request: HttpRequest, record_id: str) -> Any:
    """Renews the registration (same number, expiry one term later). 422 `RENEWAL_WINDOW_NOT_OPEN`
    (before 3 months ahead of expiry), `REGISTRATION_EXPIRED`, `AGE_LIMIT` (65 or older on the application
    date), `DATE_OF_BIRTH_UNKNOWN`, `REGISTRATION_CANCELLED`."""
    renewal = registrar_write(
        request,
        record_id,
        "inspectors.manage",
        RenewalIn,
        lambda user, body: registration.renew_registration(
            actor=actor_of(request),
            user=user,
            inspector_id=record_id,
            applied_on=body.applied_on,
            reason=body.reason,
            channel="api",
        ),
    )
    return Status(
        201,
        {
            "inspector": renewal.inspector_id,
            "applied_on": renewal.applied_on,
            "previous_expires": renewal.previous_expires,
            "expires": renewal.expires,
        },
    )


@router.post(
    "/inspectors/{path:record_id}/confirmations",
    response={201: ConfirmationOut, **WRITE_ERRORS},
    openapi_extra=json_request(ConfirmationIn, {"year": 2026}),
    **PRIVATE,
)
def confirm(request: HttpRequest, record_id: str) -> Any:
    """Records the annual confirmation (the registrar, or staff of the inspector's current body).
    409 `ALREADY_CONFIRMED`, `REGISTRATION_CANCELLED`; 422 `CONFIRMATION_NOT_DUE`."""
    confirmation = registrar_write(
        request,
        record_id,
        "inspectors.confirm",
        ConfirmationIn,
        lambda user, body: registration.confirm_annual(
            actor=actor_of(request),
            user=user,
            inspector_id=record_id,
            year=body.year,
            confirmed_on=body.confirmed_on,
            channel="api",
        ),
    )
    done = {c["year"] for c in selectors.confirmations(record_id)}
    inspector = Inspector.objects.only("registered", "expires").get(pk=record_id)
    return Status(
        201,
        {
            "inspector": record_id,
            "year": confirmation.year,
            "due": confirmation.due,
            "confirmed_on": confirmation.confirmed_on,
            "next_due": policy.next_confirmation_due(inspector.registered, inspector.expires, done),
        },
    )


@router.post(
    "/inspectors/{path:record_id}/status",
    response={200: InspectorDetailOut, **WRITE_ERRORS},
    openapi_extra=json_request(
        StatusIn, {"status": "suspended", "on": "2026-06-01", "reason": "no annual confirmation"}
    ),
    **PRIVATE,
)
def change_status(request: HttpRequest, record_id: str) -> Any:
    """Suspends, reinstates (`active`) or cancels (final) the registration from a date, with a reason.
    409 when the status does not allow it; 422 `EVENT_BEFORE_LATEST`."""
    registrar_write(
        request,
        record_id,
        "inspectors.manage",
        StatusIn,
        lambda user, body: registration.change_status(
            actor=actor_of(request),
            user=user,
            inspector_id=record_id,
            status=body.status,
            on=body.on,
            reason=body.reason,
            channel="api",
        ),
    )
    return get_inspector(request, record_id)


@router.post(
    "/inspectors/{path:record_id}/grade",
    response={200: InspectorDetailOut, **WRITE_ERRORS},
    openapi_extra=json_request(
        GradeIn,
        {
            "grade": "inspector",
            "on": "2026-06-01",
            "evidence": "CCAA letter 2026-117: supervised inspections done",
        },
    ),
    **PRIVATE,
)
def change_grade(request: HttpRequest, record_id: str) -> Any:
    """Records a grade change (a promotion from provisional) with its evidence. 422 `GRADE_UNCHANGED`,
    `EVENT_BEFORE_LATEST`."""
    registrar_write(
        request,
        record_id,
        "inspectors.manage",
        GradeIn,
        lambda user, body: registration.change_grade(
            actor=actor_of(request),
            user=user,
            inspector_id=record_id,
            grade=body.grade,
            on=body.on,
            evidence=body.evidence,
            reason=body.reason,
            channel="api",
        ),
    )
    return get_inspector(request, record_id)
