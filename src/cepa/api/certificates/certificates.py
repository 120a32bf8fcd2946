"""Certificates: the public lookup and list, and the writes of the bodies that own the records.

Checks run in the contract's order, 401 → 403 → 404 → 400 → 409 → 422: the role (and the organisation
the body names) before the body is judged; the record before its body.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cepa.api.auth import current_user
from cepa.api.certificates.schemas import (
    CertificateDetailOut,
    CertificateFilters,
    CertificateIn,
    CertificatePage,
    FactoryInspectionIn,
    FactoryInspectionOut,
    StatusIn,
    TestReportIn,
    TestReportOut,
)
from cepa.api.errors import BadRequestOut, ErrorOut, parse_body
from cepa.api.imports import actor_of
from cepa.api.pagination import PageParams, paginate
from cepa.api.routes import PRIVATE, READ, WRITE_ERRORS, json_request, raw_field
from cepa.certificates import selectors, services
from cepa.decisions.services import DecisionInputError, decide, parse_date, today_in_beijing
from cepa.errors import InvalidInput, NotFound

router = Router(tags=["Certificates"])

CERTIFICATE_EXAMPLE = {
    "issuer": "cn-cb-east",
    "holder": {"en": "Pearl Appliances Ltd", "zh-Hans": "珠江电器有限公司"},
    "product_type": "0701",
    "issued": "2026-04-01",
    "expires": "2031-03-31",
    "test_reports": ["HV-2026-0412"],
    "factory_inspections": ["FI-2026-88"],
}


def _not_found(number: str) -> NotFound:
    return NotFound(
        "no certificate numbered %(number)s. %(rule)s",
        params={"number": number, "rule": selectors.NUMBER_RULE},
    )


@router.get(
    "/certificates",
    response={200: CertificatePage, 400: BadRequestOut},
    summary="Certificates, filtered (laboratory and inspector follow the chain)",
    **READ,
)
def list_certificates(
    request: HttpRequest, filters: Query[CertificateFilters], page: Query[PageParams]
) -> Any:
    """Each certificate with its chain and its status on the day `on` (today in Beijing if not given)."""
    values = filters.model_dump()
    day = values.get("on") or today_in_beijing()
    queryset = selectors.certificates(current_user(request), **values)
    return paginate(request, queryset, page, lambda ids: selectors.certificate_records(ids, day))


@router.get(
    "/certificates/{number}",
    response={200: CertificateDetailOut, 400: BadRequestOut, 404: ErrorOut},
    summary="A certificate with its chain, its status and the certificate decision on a day",
    **READ,
)
def get_certificate(request: HttpRequest, number: str, on: str | None = None, lang: str | None = None) -> Any:
    """404 for a number that is malformed or unknown (the message says how numbers are formed)."""
    if not selectors.NUMBER.fullmatch(number):
        raise _not_found(number)
    try:
        day = today_in_beijing() if on is None else parse_date(on)
    except DecisionInputError as error:
        if selectors.certificate_record(number, today_in_beijing()) is None:
            raise _not_found(number) from error
        raise InvalidInput(error.field, error.message) from error
    record = selectors.certificate_record(number, day)
    if record is None:
        raise _not_found(number)
    try:
        decision = decide("certificate", subject=number, on=day, lang=lang)
    except DecisionInputError as error:
        raise InvalidInput(error.field, error.message) from error
    return {**record, "decision": decision.to_json()}


@router.post(
    "/certificates",
    response={201: CertificateDetailOut, **WRITE_ERRORS},
    summary="Issue a certificate (staff of the issuing certification body)",
    openapi_extra=json_request(CertificateIn, CERTIFICATE_EXAMPLE),
    **PRIVATE,
)
def issue_certificate(request: HttpRequest) -> Any:
    """422 `CHAIN_NOT_ELIGIBLE`, with the failing condition codes of the `certificate` decision on the
    day of issue in `failing`, when a link it cites was not eligible; nothing is stored then."""
    user = current_user(request)
    services.check_may_issue(user=user, issuer=raw_field(request, "issuer"))
    body = parse_body(request, CertificateIn)
    certificate = services.issue_certificate(
        actor=actor_of(request),
        user=user,
        issuer=body.issuer,
        holder=body.holder.names(),
        product_type=body.product_type,
        issued=body.issued,
        expires=body.expires,
        test_reports=body.test_reports,
        factory_inspections=body.factory_inspections,
        number=body.number,
    )
    day = today_in_beijing()
    record = selectors.certificate_record(certificate.pk, day)
    decision = decide("certificate", subject=certificate.pk, on=day)
    return Status(201, {**(record or {}), "decision": decision.to_json()})


@router.post(
    "/certificates/{number}/status",
    response={200: CertificateDetailOut, **WRITE_ERRORS},
    summary="Suspend, reinstate, revoke or cancel a certificate (staff of its issuer)",
    openapi_extra=json_request(
        StatusIn, {"action": "suspend", "reason": "factory failed follow-up inspection"}
    ),
    **PRIVATE,
)
def change_status(request: HttpRequest, number: str) -> Any:
    """`suspend` (from valid), `reinstate` (from suspended), `revoke` or `cancel` (from valid or
    suspended; final), from `on` (today by default), with a `reason`. 409 when the status on that day
    does not allow it, or it changed meanwhile."""
    user = current_user(request)
    services.check_may_change(user=user)
    if not selectors.NUMBER.fullmatch(number) or not selectors.certificates(user).filter(pk=number).exists():
        raise _not_found(number)
    services.check_may_change_certificate(user=user, certificate=services.find_certificate(number))
    body = parse_body(request, StatusIn)
    services.change_status(
        actor=actor_of(request), user=user, number=number, action=body.action, reason=body.reason, on=body.on
    )
    day = today_in_beijing()
    record = selectors.certificate_record(number, day)
    decision = decide("certificate", subject=number, on=day)
    return {**(record or {}), "decision": decision.to_json()}


@router.post(
    "/test-reports",
    response={201: TestReportOut, **WRITE_ERRORS},
    summary="Record a test report (staff of the laboratory)",
    openapi_extra=json_request(
        TestReportIn,
        {
            "id": "HV-2026-0412",
            "laboratory": "hk-lab-harbour",
            "product_type": "0701",
            "issued": "2026-03-02",
            "certification_body": "cn-cb-east",
        },
    ),
    **PRIVATE,
)
def record_test_report(request: HttpRequest) -> Any:
    """409 `ALREADY_EXISTS` for a report number the registry holds."""
    user = current_user(request)
    services.check_may_record(user=user, organisation=raw_field(request, "laboratory"), what="test_reports")
    body = parse_body(request, TestReportIn)
    report = services.record_test_report(
        actor=actor_of(request),
        user=user,
        report_id=body.id,
        laboratory=body.laboratory,
        product_type=body.product_type,
        issued=body.issued,
        certification_body=body.certification_body,
    )
    return Status(201, selectors.report_record(report.pk))


@router.get(
    "/test-reports/{report_id}",
    response={200: TestReportOut, 404: ErrorOut},
    summary="A test report",
    **READ,
)
def get_test_report(request: HttpRequest, report_id: str) -> Any:
    found = selectors.report_record(report_id)
    if found is None:
        raise NotFound(f"no test report {report_id!r}")
    return found


@router.post(
    "/factory-inspections",
    response={201: FactoryInspectionOut, **WRITE_ERRORS},
    summary="Record a factory inspection (staff of the inspecting body)",
    openapi_extra=json_request(
        FactoryInspectionIn,
        {
            "id": "FI-2026-88",
            "organisation": "hk-cb-lionrock",
            "on_behalf_of": "cn-cb-east",
            "inspectors": ["CCAA-2023-CCC-0001"],
            "product_type": "0701",
            "on": "2026-03-20",
        },
    ),
    **PRIVATE,
)
def record_factory_inspection(request: HttpRequest) -> Any:
    """409 `ALREADY_EXISTS` for a reference the registry holds."""
    user = current_user(request)
    services.check_may_record(
        user=user, organisation=raw_field(request, "organisation"), what="factory_inspections"
    )
    body = parse_body(request, FactoryInspectionIn)
    inspection = services.record_factory_inspection(
        actor=actor_of(request),
        user=user,
        inspection_id=body.id,
        organisation=body.organisation,
        on_behalf_of=body.on_behalf_of,
        inspectors=body.inspectors,
        product_type=body.product_type,
        on=body.on,
    )
    return Status(201, selectors.inspection_record(inspection.pk))


@router.get(
    "/factory-inspections/{inspection_id}",
    response={200: FactoryInspectionOut, 404: ErrorOut},
    summary="A factory inspection",
    **READ,
)
def get_factory_inspection(request: HttpRequest, inspection_id: str) -> Any:
    found = selectors.inspection_record(inspection_id)
    if found is None:
        raise NotFound(f"no factory inspection {inspection_id!r}")
    return found
