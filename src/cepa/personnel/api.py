"""Inspectors: the public register and lookup, the registrar's writes, institution transfers, and
personal data (only for the registrar and the inspector's own body's staff, every read logged).

Handlers check in the contract's order: 401 (auth class), 403 role or organisation, 404 record,
400 body (read with parse_body after the record is found), 409 status, 422 rules ("failing").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

import pydantic
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cepa.accounts import permissions
from cepa.api.auth import admin_auth, current_user
from cepa.api.errors import (
    BadRequest,
    BadRequestOut,
    Conflict,
    ErrorOut,
    Forbidden,
    NotFound,
    Refused,
    json_body,
    parse_body,
)
from cepa.api.imports import actor_of, upsert_record
from cepa.api.openapi import record_body
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.api.routes import PRIVATE, READ, WRITE_ERRORS, json_request
from cepa.bodies.api import Names, found, record_id_ok
from cepa.personnel import messages, policy, selectors, services
from cepa.personnel.models import Grade, Inspector, InspectorStatus, TransferStatus

router = Router(tags=["Inspectors"])
records = Router(tags=["Inspectors"])

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD strings (pydantic would also take numbers as timestamps)."""
    if isinstance(value, str) and not _DATE.fullmatch(value):
        raise ValueError("must be a date YYYY-MM-DD")
    if not isinstance(value, (str, dt.date)):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


Day = Annotated[dt.date, pydantic.BeforeValidator(_iso_date)]
Text = Annotated[str, Field(max_length=10_000, pattern=r"^[^\x00]*$")]


class Body(Schema):
    model_config = {"extra": "forbid"}


@contextmanager
def _service_errors(lang: str = "en") -> Iterator[None]:
    """The services' errors as the API's: 404, 400 naming the field, 409, 422 with the failing codes."""
    try:
        yield
    except services.NotFound as error:
        raise NotFound(error.message) from error
    except services.Conflict as error:
        raise Conflict(error.message, code=error.code) from error
    except services.PersonnelError as error:
        raise BadRequest(
            f"{error.field}: {error.message}", errors=[{"field": error.field, "message": error.message}]
        ) from error
    except services.Refusal as refusal:
        raise Refused(
            " ".join(reason.message(lang) for reason in refusal.reasons),
            failing=refusal.codes,
            reasons=[{"code": r.code, "message": r.message(lang)} for r in refusal.reasons],
        ) from refusal


def _require(request: HttpRequest, permission: str, obj: Any = None, what: str = "do this") -> None:
    user = current_user(request)
    if not permissions.can(user, permission, obj):
        raise Forbidden(f"role {permissions.role_of(user) or 'none'} may not {what}")


def _inspector_id(record_id: str) -> str:
    if not record_id_ok(record_id) or not Inspector.objects.filter(pk=record_id).exists():
        raise NotFound(f"no inspector with id {record_id!r}")
    return record_id


# --- schemas ------------------------------------------------------------------------------------------


class AffiliationOut(Schema):
    organisation: str
    valid_from: dt.date = Field(..., alias="from")
    until: dt.date | None = None


EXAMPLE: dict[str, Any] = {
    "id": "2024-CCC-HK-0007",
    "name": {"en": "Wong Ka Yan", "zh-Hant": "黃嘉欣"},
    "grade": "inspector",
    "specialties": ["07"],
    "registered": "2024-05-01",
    "expires": "2027-04-30",
    "affiliations": [{"organisation": "hk-cb-lionrock", "from": "2024-05-01"}],
    "status": "active",
    "current_grade": "inspector",
    "registration_valid": True,
    "organisation": "hk-cb-lionrock",
    "as_of": "2026-05-20",
}


class InspectorOut(Schema):
    """The public fields of a registration; personal data is never part of it."""

    id: str
    name: Names
    grade: Grade = Field(..., description="The grade at registration")
    specialties: list[str]
    registered: dt.date
    expires: dt.date
    affiliations: list[AffiliationOut]
    status: InspectorStatus = Field(..., description="Status on `as_of`")
    current_grade: Grade = Field(..., description="Grade on `as_of`")
    registration_valid: bool = Field(..., description="`as_of` lies between registered and expires")
    organisation: str | None = Field(..., description="The organisation affiliated on `as_of`")
    as_of: dt.date = Field(..., description="Today in Beijing time")

    model_config = {"json_schema_extra": {"examples": [EXAMPLE]}}


class CareerEntryOut(Schema):
    on: dt.date
    event: Literal["registered", "affiliated", "transferred", "left", "grade", "status", "renewed", "expired"]
    from_: str | None = Field(None, alias="from", description="Organisation, status, grade or expiry before")
    to: str | None = Field(None, description="Organisation, status, grade or expiry after")
    reason: str | None = None


class InspectorDetailOut(InspectorOut):
    history: list[CareerEntryOut] = Field(
        ..., description="The whole career up to today, across bodies (public facts only)"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **EXAMPLE,
                    "history": [
                        {"on": "2024-05-01", "event": "registered", "from": None, "to": "inspector"},
                        {"on": "2024-05-01", "event": "affiliated", "from": None, "to": "hk-cb-lionrock"},
                    ],
                }
            ]
        }
    }


InspectorPage = page_schema("InspectorPage", InspectorOut)


class InspectorFilters(Schema):
    organisation: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="Affiliated with this organisation today"
    )
    q: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[^\x00]*$",
        description="Text in the registration number or any of the names",
    )


class LookupParams(Schema):
    number: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$", description="Registration number")
    name: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$", description="Name, any language")
    organisation: str | None = Field(
        None, max_length=200, pattern=r"^[^\x00]*$", description="The certification body (with `name`)"
    )
    on: Day | None = Field(None, description="The date asked about (default today in Beijing)")
    lang: Literal["en", "zh-Hant", "zh-Hans"] = "en"


class SpecialtyOut(Schema):
    code: str
    name: str


class NamedOrganisation(Schema):
    id: str
    name: str


class RegistrationPeriod(Schema):
    registered: dt.date
    expires: dt.date


class LookupOut(Schema):
    id: str
    name: Names
    on: dt.date
    registered: bool = Field(..., description="A valid, active registration on `on`")
    status: InspectorStatus
    grade: Grade
    registration: RegistrationPeriod
    organisation: NamedOrganisation | None
    with_organisation: bool | None = Field(
        None, description="With `name`: whether the inspector works for the body asked about on `on`"
    )
    specialties: list[SpecialtyOut]
    answer: str = Field(..., description="The answer in words, in `lang`")


class LookupResultOut(Schema):
    on: dt.date
    items: list[LookupOut]
    answer: str | None = Field(None, description="Said when nothing matches")


class RegistrationIn(Body):
    id: str = Field(..., min_length=1, max_length=100, pattern=r"^[^\x00]*$", description="CCAA number")
    name: dict[Literal["en", "zh-Hant", "zh-Hans"], Annotated[str, Field(max_length=300)]]
    grade: Grade
    specialties: list[Annotated[str, Field(pattern=r"^([0-9]{2}|[0-9]{4})$")]] = Field(..., min_length=1)
    registered: Day
    expires: Day | None = None
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    date_of_birth: Day | None = None
    identity_document: str = Field("", max_length=60, pattern=r"^[^\x00]*$")
    email: str = Field("", max_length=200, pattern=r"^[^\x00]*$")
    phone: str = Field("", max_length=50, pattern=r"^[^\x00]*$")
    reason: Text = ""


class RenewalIn(Body):
    applied_on: Day | None = Field(None, description="Default today in Beijing")
    reason: Text = ""


class RenewalOut(Schema):
    inspector: str
    applied_on: dt.date
    previous_expires: dt.date
    expires: dt.date


class ConfirmationIn(Body):
    year: int | None = Field(None, ge=1900, le=9999, description="Default the earliest year still due")
    confirmed_on: Day | None = None


class ConfirmationOut(Schema):
    inspector: str
    year: int
    due: dt.date
    confirmed_on: dt.date
    next_due: dt.date | None


class StatusIn(Body):
    status: InspectorStatus = Field(..., description="suspended, active (reinstated) or cancelled (final)")
    on: Day
    reason: Text = Field(..., min_length=1)


class GradeIn(Body):
    grade: Grade
    on: Day
    evidence: Text = Field(..., min_length=1, description="What the change rests on")
    reason: Text = ""


class TransferIn(Body):
    to_organisation: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    effective: Day = Field(..., description="First day with the new body")


class ReviewIn(Body):
    action: Literal["approve", "refuse"]
    reason: Text = ""


class TransferHistoryOut(Schema):
    who: str
    when: dt.datetime
    from_: TransferStatus | None = Field(None, alias="from", description="The status before (null first)")
    to: TransferStatus = Field(..., description="The status after")
    reason: str
    event: Literal["transition"] = Field("transition", description="Always a status change for transfers")


class TransferOut(Schema):
    id: int
    inspector: str
    from_organisation: str | None
    to_organisation: str
    effective: dt.date
    status: TransferStatus
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str
    history: list[TransferHistoryOut]


TransferPage = page_schema("TransferPage", TransferOut)


class TransferFilters(Schema):
    inspector: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$")
    status: TransferStatus | None = None
    organisation: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")


class PersonalDataOut(Schema):
    id: str
    date_of_birth: dt.date | None
    identity_document: str
    email: str
    phone: str


class PersonalDataIn(Body):
    date_of_birth: Day | None = None
    identity_document: str | None = Field(None, max_length=60, pattern=r"^[^\x00]*$")
    email: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")
    phone: str | None = Field(None, max_length=50, pattern=r"^[^\x00]*$")
    reason: Text = ""


class AccessOut(Schema):
    at: dt.datetime
    actor: str
    fields: list[str]
    channel: str


# --- public reads -------------------------------------------------------------------------------------


@router.get("/inspectors", response={200: InspectorPage, 400: BadRequestOut, 401: ErrorOut}, **READ)
def list_inspectors(
    request: HttpRequest, filters: Query[InspectorFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Registered CCC factory inspectors, sorted by registration number."""
    queryset = selectors.inspectors(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.public_records)


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
        raise BadRequest(
            "number: give a registration number, or a name with the organisation",
            errors=[
                {"field": "number", "message": "give a registration number, or a name with the organisation"}
            ],
        )
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
    auth=admin_auth,
    openapi_extra=record_body("inspectors"),
    by_alias=True,
    exclude_unset=True,
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
    _require(request, "inspectors.register", what="register inspectors")
    body = parse_body(request, RegistrationIn)
    with _service_errors():
        inspector = services.register_inspector(
            actor=actor_of(request),
            channel="api",
            **body.model_dump(exclude={"name"}),
            name={str(language): text for language, text in body.name.items()},
        )
    return Status(201, get_inspector(request, inspector.pk))


def _registrar_write(
    request: HttpRequest, record_id: str, permission: str, schema: type[Body], call: Callable[[Any], Any]
) -> Any:
    """403, 404, 400, then the service (409, 422)."""
    _require(request, permission, record_id, what="change this registration")
    _inspector_id(record_id)
    body = parse_body(request, schema)
    with _service_errors():
        return call(body)


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
    renewal = _registrar_write(
        request,
        record_id,
        "inspectors.manage",
        RenewalIn,
        lambda body: services.renew_registration(
            actor=actor_of(request),
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
    confirmation = _registrar_write(
        request,
        record_id,
        "inspectors.confirm",
        ConfirmationIn,
        lambda body: services.confirm_annual(
            actor=actor_of(request),
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
    _registrar_write(
        request,
        record_id,
        "inspectors.manage",
        StatusIn,
        lambda body: services.change_status(
            actor=actor_of(request),
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
    _registrar_write(
        request,
        record_id,
        "inspectors.manage",
        GradeIn,
        lambda body: services.change_grade(
            actor=actor_of(request),
            inspector_id=record_id,
            grade=body.grade,
            on=body.on,
            evidence=body.evidence,
            reason=body.reason,
            channel="api",
        ),
    )
    return get_inspector(request, record_id)


# --- personal data ------------------------------------------------------------------------------------


@router.get(
    "/inspectors/{path:record_id}/personal-data",
    response={200: PersonalDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def read_personal_data(request: HttpRequest, record_id: str) -> Any:
    """Date of birth, identity document, email and phone: for the CCAA registrar and the applicants of the
    inspector's current body only. Every read is logged (who, when, which fields)."""
    user = current_user(request)
    if permissions.role_of(user) not in ("ccaa_registrar", "applicant"):
        raise Forbidden(f"role {permissions.role_of(user) or 'none'} may not read personal data")
    inspector_id = _inspector_id(record_id)
    _require(
        request, "inspectors.view_personal_data", inspector_id, what="read this inspector's personal data"
    )
    with _service_errors():
        return services.disclose_personal_data(
            actor=actor_of(request), inspector_id=inspector_id, channel="api"
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
    _registrar_write(
        request,
        record_id,
        "inspectors.edit_personal_data",
        PersonalDataIn,
        lambda body: services.update_personal_data(
            actor=actor_of(request),
            inspector_id=record_id,
            reason=body.reason,
            channel="api",
            values=body.model_dump(exclude={"reason"}, exclude_unset=True),
        ),
    )
    with _service_errors():
        return services.disclose_personal_data(actor=actor_of(request), inspector_id=record_id, channel="api")


@router.get(
    "/inspectors/{path:record_id}/personal-data/accesses",
    response={200: list[AccessOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def personal_data_accesses(request: HttpRequest, record_id: str) -> Any:
    """The log of reads of this inspector's personal data (the registrar only)."""
    _require(request, "inspectors.view_access_log", what="read the access log")
    return selectors.access_log(_inspector_id(record_id))


# --- transfers ----------------------------------------------------------------------------------------


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
    if permissions.role_of(user) != "applicant":
        raise Forbidden(f"role {permissions.role_of(user) or 'none'} may not request transfers")
    # The organisation is in the body: judge it before the record and the rest of the body.
    raw = json_body(request)
    target = raw.get("to_organisation") if isinstance(raw, dict) else None
    if isinstance(target, str) and not permissions.can(user, "transfers.request", target):
        raise Forbidden(f"only applicants of {target!r} may ask for a transfer to it")
    inspector_id = _inspector_id(record_id)
    body = parse_body(request, TransferIn)
    if not permissions.can(user, "transfers.request", body.to_organisation):
        raise Forbidden(f"only applicants of {body.to_organisation!r} may ask for a transfer to it")
    with _service_errors():
        transfer = services.request_transfer(
            actor=actor_of(request),
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
    _require(request, "transfers.view", what="read transfers")
    queryset = selectors.transfers(current_user(request), **filters.model_dump())
    return paginate(queryset, page, selectors.transfer_records)


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
    _require(request, "transfers.view", what="read transfers")
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
    _require(request, "transfers.review", what="review transfers")
    number = _transfer_id(transfer_id)
    if selectors.transfer(current_user(request), number) is None:
        raise NotFound(f"no transfer with id {transfer_id!r}")
    body = parse_body(request, ReviewIn)
    with _service_errors():
        transfer = services.review_transfer(
            actor=actor_of(request), transfer_id=number, action=body.action, reason=body.reason, channel="api"
        )
    return selectors.transfer_records([transfer.pk])[0]
