"""Enquiries (issue 11): anyone sends one (`POST /enquiries`, no account, at most as many per address and
hour as the site's form, counted with it); CNCA officers read the queues and reply, close or reopen; the
enquirer follows theirs with the reference and their email (`POST /enquiries/status`: a POST, so the
email is never in a URL or a log).

Checks run in the contract's order, 401 → 403 → 404 → 400 → 409.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from cepa.accounts import permissions
from cepa.api.auth import current_user, token_auth
from cepa.api.enquiries.schemas import (
    EnquirerStatusOut,
    EnquiryFilters,
    EnquiryIn,
    EnquiryOut,
    ReasonIn,
    ReceivedOut,
    ReplyIn,
    StatusIn,
)
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body, request_language
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, page_schema, paginate
from cepa.api.routes import json_request
from cepa.enquiries import protection, selectors, services
from cepa.errors import NotFound, role_may_not

router = Router(tags=["Enquiries"])

PRIVATE: dict[Any, Any] = {"auth": token_auth, "by_alias": True}
ACTION_ERRORS: dict[Any, Any] = {
    400: BadRequestOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}
EnquiryPage = page_schema("EnquiryPage", EnquiryOut)
LANGUAGES = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
THROTTLED = "too many enquiries have been sent from your address; try again in an hour"


def _address(request: HttpRequest) -> str:
    """The address the limit counts, read as the site's form reads it."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@router.post(
    "/enquiries",
    response={201: ReceivedOut, 400: BadRequestOut, 429: ErrorOut},
    summary="Send an enquiry to CNCA (anyone; rate-limited per address)",
    openapi_extra=json_request(
        EnquiryIn,
        {
            "product_type": "0701",
            "name": "Chan Tai Man",
            "email": "chan@example.com",
            "organisation": "Pearl Appliances Ltd",
            "message": "Which laboratories in Hong Kong may test fridges?",
        },
    ),
)
def send_enquiry(request: HttpRequest) -> Any:
    """Routed to the queue of the product type's sector; the answer's `reference`, with the email, shows
    the enquiry's status (`POST /enquiries/status`). CNCA replies by email in `language`. 429 after
    as many enquiries from one address in an hour as the site's form allows (the two count together)."""
    address = _address(request)
    if protection.rate_limited(address):
        raise HttpError(429, THROTTLED)
    body = parse_body(request, EnquiryIn)
    language = body.language or LANGUAGES.get(request_language(request).lower(), "en")
    enquiry = services.submit_enquiry(
        actor="public:api",
        product_type=body.product_type,
        name=body.name,
        email=body.email,
        organisation=body.organisation,
        message=body.message,
        language=language,
    )
    protection.count_submission(address)
    return Status(
        201,
        {
            "reference": enquiry.reference,
            "status": enquiry.status,
            "queue": enquiry.queue,
            "product_type": enquiry.product_type,
            "submitted_at": enquiry.submitted_at,
        },
    )


@router.post(
    "/enquiries/status",
    response={200: EnquirerStatusOut, 400: BadRequestOut, 404: ErrorOut},
    summary="The status of your enquiry, by its reference and your email (anyone)",
    openapi_extra=json_request(StatusIn, {"reference": "ENQ-7KQ2M9XA", "email": "chan@example.com"}),
)
def enquiry_status(request: HttpRequest) -> Any:
    """404 when the reference and the email do not belong to one enquiry (either may be wrong)."""
    body = parse_body(request, StatusIn)
    enquiry = selectors.enquiry_for_enquirer(body.reference, body.email)
    if enquiry is None:
        raise NotFound("no enquiry has this reference and email address")
    return selectors.enquirer_record(enquiry)


@router.get(
    "/enquiries",
    response={200: EnquiryPage, 400: BadRequestOut, 401: ErrorOut, 403: ErrorOut},
    summary="The enquiries queues, oldest first (CNCA officers)",
    **PRIVATE,
)
def list_enquiries(request: HttpRequest, filters: Query[EnquiryFilters], page: Query[PageParams]) -> Any:
    user = current_user(request)
    if not permissions.can(user, "enquiries.view"):
        raise role_may_not(permissions.role_of(user), "read enquiries")
    queryset = selectors.enquiries(user, queue=filters.queue, status=filters.status, open_only=filters.open)
    return paginate(request, queryset, page, selectors.enquiry_records)


@router.get(
    "/enquiries/{reference}",
    response={200: EnquiryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="An enquiry with its replies and history (CNCA officers)",
    **PRIVATE,
)
def get_enquiry(request: HttpRequest, reference: str) -> Any:
    enquiry = services.find_enquiry(user=current_user(request), reference=reference)
    return selectors.enquiry_records([enquiry.pk])[0]


@router.post(
    "/enquiries/{reference}/reply",
    response={200: EnquiryOut, **ACTION_ERRORS},
    summary="Reply to an enquiry: emailed in the enquirer's language, kept on the record (CNCA officers)",
    openapi_extra=json_request(ReplyIn, {"body": "Yes: the laboratories listed on the directory for 0701."}),
    **PRIVATE,
)
def reply(request: HttpRequest, reference: str) -> Any:
    """From `new` or `answered`; the enquiry is then `answered`. 409 when it is closed (reopen it)."""
    user = current_user(request)
    enquiry = services.find_enquiry(user=user, reference=reference)
    body = parse_body(request, ReplyIn)
    services.reply_to_enquiry(actor=actor_of(request), user=user, reference=enquiry.reference, body=body.body)
    return selectors.enquiry_records([enquiry.pk])[0]


@router.post(
    "/enquiries/{reference}/close",
    response={200: EnquiryOut, **ACTION_ERRORS},
    summary="Close an enquiry (CNCA officers)",
    openapi_extra=json_request(ReasonIn, {"reason": "answered by telephone"}, required=False),
    **PRIVATE,
)
def close(request: HttpRequest, reference: str) -> Any:
    """From `new` or `answered`; nothing is sent to the enquirer. 409 when it is already closed."""
    user = current_user(request)
    enquiry = services.find_enquiry(user=user, reference=reference)
    body = parse_body(request, ReasonIn) if request.body else ReasonIn(reason="")
    services.close_enquiry(
        actor=actor_of(request), user=user, reference=enquiry.reference, reason=body.reason
    )
    return selectors.enquiry_records([enquiry.pk])[0]


@router.post(
    "/enquiries/{reference}/reopen",
    response={200: EnquiryOut, **ACTION_ERRORS},
    summary="Reopen a closed enquiry, saying why (CNCA officers)",
    openapi_extra=json_request(ReasonIn, {"reason": "the enquirer asked again"}),
    **PRIVATE,
)
def reopen(request: HttpRequest, reference: str) -> Any:
    """`closed` → `answered` when CNCA has replied before, else `new`. 409 unless closed."""
    user = current_user(request)
    enquiry = services.find_enquiry(user=user, reference=reference)
    body = parse_body(request, ReasonIn)
    services.reopen_enquiry(
        actor=actor_of(request), user=user, reference=enquiry.reference, reason=body.reason
    )
    return selectors.enquiry_records([enquiry.pk])[0]
