"""The write path of certificates and their chain (contract rev. 2, §1), for the people who own them:

- a certification body's staff issue their certificates (the chain is judged by the `certificate`
  decision on the day of issue: a link that was not eligible refuses it, 422 with the failing codes),
  and suspend, reinstate, revoke or cancel them with a reason (revoked and cancelled are final);
- a certification body's (or inspection body's) staff record the factory inspections their inspectors
  made;
- a laboratory's staff record the test reports they made for a certification body.

Checks in the contract's order (403 → 404 → 400 → 409 → 422), all before anything is written; each
write is one transaction with its change-log entry. A status change reads the certificate's events
under a row lock and appends the next one: of two changes at once the second finds the status moved
and is refused (409), nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cepa.accounts import permissions
from cepa.bodies.models import Organisation, OrganisationKind
from cepa.catalogue.models import CODE_OR_KEY
from cepa.catalogue.selectors import codes_of, same_type, unknown_names
from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    CertificateStatus,
    EventStatus,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.certificates.records import CERTIFICATES, FACTORY_INSPECTIONS, TEST_REPORTS
from cepa.certificates.status import status_on
from cepa.decisions.services import decide
from cepa.decisions.terms import beijing_date
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotAllowed, NotFound, Refused
from cepa.history.services import RecordChange, record_changes
from cepa.personnel.models import Inspector

CODE = re.compile(CODE_OR_KEY)
NUMBER = re.compile(r"[0-9]{16}")
RECORD_ID = re.compile(r"[^\x00]{1,100}")
MAX_REASON = 2000
MAX_NAME = 300
MAX_LINKS = 200

SUSPEND, REINSTATE, REVOKE, CANCEL = "suspend", "reinstate", "revoke", "cancel"
# Each action: the statuses on the day it may start from, and the status it sets.
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    SUSPEND: ((CertificateStatus.VALID,), EventStatus.SUSPENDED),
    REINSTATE: ((CertificateStatus.SUSPENDED,), EventStatus.VALID),
    REVOKE: ((CertificateStatus.VALID, CertificateStatus.SUSPENDED), EventStatus.REVOKED),
    CANCEL: ((CertificateStatus.VALID, CertificateStatus.SUSPENDED), EventStatus.CANCELLED),
}


def _require_actor(actor: str) -> None:
    if not actor:
        raise ValueError("actor is required")


def _safe(value: Any) -> bool:
    return isinstance(value, str) and "\x00" not in value


# --- who may ---------------------------------------------------------------------------------------


def check_may_issue(*, user: Any, issuer: Any) -> None:
    """403 unless `user` is an applicant of `issuer` (an organisation id)."""
    if not permissions.is_applicant(user):
        raise NotAllowed("only the staff of a certification body may issue its certificates")
    if isinstance(issuer, str) and not permissions.can(user, "certificates.issue", issuer):
        raise NotAllowed(f"you act for {permissions.organisation_of(user)}, not for the issuer {issuer!r}")


def check_may_change(*, user: Any) -> None:
    if not permissions.is_applicant(user):
        raise NotAllowed("only the staff of the issuing certification body may change a certificate")


def check_may_change_certificate(*, user: Any, certificate: Certificate) -> None:
    """403 unless `user` is an applicant of the certificate's issuer."""
    if not permissions.can(user, "certificates.change", certificate):
        raise NotAllowed(
            f"certificate {certificate.pk} was issued by {certificate.issuer_id}, not by your body"
        )


def check_may_record(*, user: Any, organisation: Any, what: str) -> None:
    """403 unless `user` is an applicant of `organisation`; `what` is `test_reports` or
    `factory_inspections`."""
    if not permissions.is_applicant(user):
        raise NotAllowed(f"only an organisation's staff may record its {what.replace('_', ' ')}")
    if isinstance(organisation, str) and not permissions.can(user, f"{what}.record", organisation):
        raise NotAllowed(f"you act for {permissions.organisation_of(user)}, not for {organisation!r}")


def find_certificate(number: Any) -> Certificate:
    found = (
        Certificate.objects.select_related("issuer").filter(pk=number).first()
        if isinstance(number, str) and NUMBER.fullmatch(number)
        else None
    )
    if found is None:
        raise NotFound(f"no certificate with number {number!r}")
    return found


# --- validation helpers -------------------------------------------------------------------------


def _organisations(ids: Mapping[str, Any]) -> dict[str, Organisation]:
    lookup = [value for value in ids.values() if _safe(value)]
    return {o.pk: o for o in Organisation.objects.filter(pk__in=lookup)}


def _product_type(errors: dict[str, str], value: Any) -> None:
    if not isinstance(value, str) or not CODE.fullmatch(value):
        errors["product_type"] = (
            f"malformed product type code {value!r}: expected 4 digits or a catalogue key"
        )
    elif unknown_names([value]):
        errors["product_type"] = f"unknown product type code {value!r}: no catalogue version has had it"


def _date(errors: dict[str, str], field: str, value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = "must be a date (YYYY-MM-DD)"


def _id_list(errors: dict[str, str], field: str, value: Any, *, required: bool) -> list[str]:
    if not isinstance(value, (list, tuple)) or (required and not value):
        errors[field] = "must be a non-empty list of ids" if required else "must be a list of ids"
        return []
    if len(value) > MAX_LINKS:
        errors[field] = f"at most {MAX_LINKS} ids"
        return []
    if not all(_safe(item) and item for item in value):
        errors[field] = "must be a list of ids (non-empty strings)"
        return []
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        errors[field] = f"listed more than once: {', '.join(repeated)}"
        return []
    return list(value)


def _check_kind(
    errors: dict[str, str], field: str, value: Any, found: Mapping[str, Organisation], kinds: Sequence[str]
) -> Organisation | None:
    if not _safe(value) or not value:
        errors[field] = "must be an organisation id"
        return None
    organisation = found.get(value)
    if organisation is None:
        errors[field] = f"no organisation with id {value!r}"
        return None
    if organisation.kind not in kinds:
        errors[field] = f"{value} is a {organisation.kind}, not a {' or '.join(kinds)}"
        return None
    return organisation


def _check_new_id(model: type[Any], record_id: Any, what: str) -> None:
    if model.objects.filter(pk=record_id).exists():
        raise Conflict(f"the registry already holds {what} {record_id!r}", code=ErrorCode.ALREADY_EXISTS)


# --- test reports -------------------------------------------------------------------------------


def record_test_report(
    *,
    actor: str,
    report_id: str,
    laboratory: str,
    product_type: str,
    issued: dt.date,
    certification_body: str,
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> TestReport:
    """Records a test report `laboratory` made for `certification_body`."""
    _require_actor(actor)
    if user is not None:
        check_may_record(user=user, organisation=laboratory, what="test_reports")
    today = beijing_date(now or timezone.now())
    errors: dict[str, str] = {}
    if not isinstance(report_id, str) or not RECORD_ID.fullmatch(report_id) or report_id != report_id.strip():
        errors["id"] = "must be the report's number: 1 to 100 characters, no surrounding spaces"
    found = _organisations({"laboratory": laboratory, "certification_body": certification_body})
    _check_kind(errors, "laboratory", laboratory, found, [OrganisationKind.LABORATORY])
    _check_kind(
        errors, "certification_body", certification_body, found, [OrganisationKind.CERTIFICATION_BODY]
    )
    _product_type(errors, product_type)
    _date(errors, "issued", issued)
    if "issued" not in errors and issued > today:
        errors["issued"] = f"is after today ({today})"
    if errors:
        raise InvalidInput(errors)
    _check_new_id(TestReport, report_id, "a test report")
    with transaction.atomic():
        report = TestReport.objects.create(
            id=report_id,
            laboratory_id=laboratory,
            product_type=product_type,
            issued=issued,
            certification_body_id=certification_body,
        )
        record_changes(
            actor=actor,
            reason="test report recorded",
            channel=channel,
            changes=[RecordChange("test_reports", report.pk, "create", None, TEST_REPORTS.record_of(report))],
        )
    return report


# --- factory inspections ------------------------------------------------------------------------


def record_factory_inspection(
    *,
    actor: str,
    inspection_id: str,
    organisation: str,
    on_behalf_of: str,
    inspectors: Sequence[str],
    product_type: str,
    on: dt.date,
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> FactoryInspection:
    """Records a factory inspection by `organisation`'s inspectors for the certification body
    `on_behalf_of` (itself, or one it cooperates with)."""
    _require_actor(actor)
    if user is not None:
        check_may_record(user=user, organisation=organisation, what="factory_inspections")
    today = beijing_date(now or timezone.now())
    errors: dict[str, str] = {}
    if (
        not isinstance(inspection_id, str)
        or not RECORD_ID.fullmatch(inspection_id)
        or inspection_id != inspection_id.strip()
    ):
        errors["id"] = "must be the inspection's reference: 1 to 100 characters, no surrounding spaces"
    found = _organisations({"organisation": organisation, "on_behalf_of": on_behalf_of})
    _check_kind(
        errors,
        "organisation",
        organisation,
        found,
        [OrganisationKind.CERTIFICATION_BODY, OrganisationKind.INSPECTION_BODY],
    )
    _check_kind(errors, "on_behalf_of", on_behalf_of, found, [OrganisationKind.CERTIFICATION_BODY])
    names = _id_list(errors, "inspectors", inspectors, required=True)
    if names:
        known = set(Inspector.objects.filter(pk__in=names).values_list("pk", flat=True))
        missing = [name for name in names if name not in known]
        if missing:
            errors["inspectors"] = f"no inspector with registration number {', '.join(missing)}"
    _product_type(errors, product_type)
    _date(errors, "on", on)
    if "on" not in errors and on > today:
        errors["on"] = f"is after today ({today})"
    if errors:
        raise InvalidInput(errors)
    _check_new_id(FactoryInspection, inspection_id, "a factory inspection")
    with transaction.atomic():
        inspection = FactoryInspection.objects.create(
            id=inspection_id,
            organisation_id=organisation,
            on_behalf_of_id=on_behalf_of,
            product_type=product_type,
            on=on,
        )
        InspectionInspector.objects.bulk_create(
            [
                InspectionInspector(inspection=inspection, inspector_id=name, position=position)
                for position, name in enumerate(names)
            ]
        )
        record_changes(
            actor=actor,
            reason="factory inspection recorded",
            channel=channel,
            changes=[
                RecordChange(
                    "factory_inspections",
                    inspection.pk,
                    "create",
                    None,
                    FACTORY_INSPECTIONS.record_of(inspection),
                )
            ],
        )
    return inspection


# --- issuing ------------------------------------------------------------------------------------


def number_problem(number: str, *, issued: dt.date, cnca_code: str, product_codes: Sequence[str]) -> str:
    """What is wrong with a certificate number (§1), or "" when it fits."""
    if not NUMBER.fullmatch(number):
        return "must be 16 digits"
    if int(number[:4]) > issued.year:
        return f"digits 1-4 ({number[:4]}) must be a year not after the year of issue ({issued.year})"
    if number[4:6] != cnca_code:
        return f"digits 5-6 ({number[4:6]}) must be the issuer's CNCA code ({cnca_code})"
    if product_codes and number[6:10] not in product_codes:
        return f"digits 7-10 ({number[6:10]}) must be a code of the product type ({', '.join(product_codes)})"
    return ""


def next_number(*, issued: dt.date, cnca_code: str, product_code: str) -> str:
    """The next free number of the year, issuer and product code: the highest serial taken plus one."""
    prefix = f"{issued.year:04d}{cnca_code}{product_code}"
    taken = (
        Certificate.objects.filter(id__startswith=prefix).order_by("-id").values_list("id", flat=True).first()
    )
    serial = int(taken[len(prefix) :]) + 1 if taken else 1
    return f"{prefix}{serial:06d}"


def _holder(errors: dict[str, str], holder: Any) -> dict[str, str]:
    if not isinstance(holder, Mapping) or set(holder) - {"en", "zh-Hant", "zh-Hans"}:
        errors["holder"] = "must be names by language: en (required), zh-Hant, zh-Hans"
        return {}
    values = {lang: holder.get(lang) or "" for lang in ("en", "zh-Hant", "zh-Hans")}
    if not all(_safe(value) for value in values.values()) or not values["en"].strip():
        errors["holder"] = "the holder's name in English is required"
        return {}
    if any(len(value) > MAX_NAME for value in values.values()):
        errors["holder"] = f"each name at most {MAX_NAME} characters"
        return {}
    return {lang: value.strip() for lang, value in values.items()}


def issue_certificate(
    *,
    actor: str,
    issuer: str,
    holder: Mapping[str, str],
    product_type: str,
    expires: dt.date,
    test_reports: Sequence[str],
    factory_inspections: Sequence[str] = (),
    issued: dt.date | None = None,
    number: str | None = None,
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> Certificate:
    """Issues a certificate of `issuer` on the reports and inspections it cites. Its number is given or
    the next free one (year of issue, the issuer's CNCA code, the product code, a serial).

    Refused (422 CHAIN_NOT_ELIGIBLE, the failing condition codes in `failing`, nothing written) when the
    `certificate` decision on the day of issue finds a condition that fails: a link that was not
    eligible when it was made, a report not made for the issuer, an issuer not designated."""
    _require_actor(actor)
    if user is not None:
        check_may_issue(user=user, issuer=issuer)
    moment = now or timezone.now()
    day = issued if issued is not None else beijing_date(moment)
    errors: dict[str, str] = {}
    found = _organisations({"issuer": issuer})
    body = _check_kind(errors, "issuer", issuer, found, [OrganisationKind.CERTIFICATION_BODY])
    if body is not None and not body.cnca_code:
        errors["issuer"] = f"{issuer} has no CNCA code: it cannot number certificates"
    names = _holder(errors, holder)
    _product_type(errors, product_type)
    _date(errors, "issued", day)
    _date(errors, "expires", expires)
    if "issued" not in errors and "expires" not in errors and expires < day:
        errors["expires"] = f"is before the day of issue ({day})"
    if "issued" not in errors and day > beijing_date(moment):
        errors["issued"] = f"is after today ({beijing_date(moment)})"
    reports = _id_list(errors, "test_reports", test_reports, required=True)
    inspections = _id_list(errors, "factory_inspections", factory_inspections, required=False)
    kinds = same_type([product_type]) if "product_type" not in errors else frozenset()
    if reports:
        stored = dict(TestReport.objects.filter(pk__in=reports).values_list("pk", "product_type"))
        missing = [r for r in reports if r not in stored]
        other = [r for r in reports if r in stored and kinds and stored[r] not in kinds]
        if missing:
            errors["test_reports"] = f"no test report {', '.join(missing)}"
        elif other:
            errors["test_reports"] = f"not of product type {product_type}: {', '.join(other)}"
    if inspections:
        stored = dict(FactoryInspection.objects.filter(pk__in=inspections).values_list("pk", "product_type"))
        missing = [i for i in inspections if i not in stored]
        other = [i for i in inspections if i in stored and kinds and stored[i] not in kinds]
        if missing:
            errors["factory_inspections"] = f"no factory inspection {', '.join(missing)}"
        elif other:
            errors["factory_inspections"] = f"not of product type {product_type}: {', '.join(other)}"
    product_codes: tuple[str, ...] = ()
    if "product_type" not in errors:
        product_codes = codes_of(product_type) or ()
    if number is not None and body is not None and body.cnca_code and "issued" not in errors:
        problem = number_problem(
            number if _safe(number) else "", issued=day, cnca_code=body.cnca_code, product_codes=product_codes
        )
        if problem:
            errors["number"] = problem
    if errors:
        raise InvalidInput(errors)
    assert body is not None and body.cnca_code
    if number is not None:
        _check_new_id(Certificate, number, "a certificate numbered")
    code = product_type if product_type in product_codes else (product_codes[0] if product_codes else "0000")
    with transaction.atomic():
        chosen = number or next_number(issued=day, cnca_code=body.cnca_code, product_code=code)
        certificate = Certificate.objects.create(
            id=chosen,
            holder_en=names["en"],
            holder_zh_hant=names["zh-Hant"],
            holder_zh_hans=names["zh-Hans"],
            product_type=product_type,
            issuer_id=issuer,
            issued=day,
            expires=expires,
        )
        CertificateReport.objects.bulk_create(
            [
                CertificateReport(certificate=certificate, test_report_id=report, position=position)
                for position, report in enumerate(reports)
            ]
        )
        CertificateInspection.objects.bulk_create(
            [
                CertificateInspection(certificate=certificate, inspection_id=inspection, position=position)
                for position, inspection in enumerate(inspections)
            ]
        )
        # The decision reads the certificate as it would stand (inside this transaction): a refusal
        # rolls it back, so nothing is written.
        failing = chain_failing(certificate.pk, day)
        if failing:
            raise Refused(
                f"the chain of the certificate is not eligible on {day}: {', '.join(failing)}",
                code=ErrorCode.CHAIN_NOT_ELIGIBLE,
                failing=failing,
            )
        record_changes(
            actor=actor,
            reason="certificate issued",
            channel=channel,
            changes=[
                RecordChange(
                    "certificates", certificate.pk, "create", None, CERTIFICATES.record_of(certificate)
                )
            ],
        )
    return certificate


def chain_failing(number: str, day: dt.date) -> list[str]:
    """The codes of the `certificate` decision's conditions that fail on `day`."""
    return list(decide("certificate", subject=number, on=day).failing)


# --- status changes -----------------------------------------------------------------------------


def change_status(
    *,
    actor: str,
    number: str,
    action: str,
    reason: str,
    on: dt.date | None = None,
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> Certificate:
    """Suspends, reinstates, revokes or cancels a certificate from `on` (today in Beijing by default):
    a dated event with its reason. Revoked and cancelled are final."""
    _require_actor(actor)
    if user is not None:
        check_may_change(user=user)
    certificate = find_certificate(number)
    if user is not None:
        check_may_change_certificate(user=user, certificate=certificate)
    moment = now or timezone.now()
    day = on if on is not None else beijing_date(moment)
    errors: dict[str, str] = {}
    if action not in ACTIONS:
        errors["action"] = f"must be one of {', '.join(ACTIONS)}"
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        errors["reason"] = f"must be text of at most {MAX_REASON} characters"
    elif not reason.strip():
        errors["reason"] = "is required: say why the certificate's status changes"
    _date(errors, "on", day)
    if "on" not in errors and not certificate.issued <= day <= certificate.expires:
        errors["on"] = (
            f"must lie within the certificate's dates ({certificate.issued} to {certificate.expires})"
        )
    if "on" not in errors and day > beijing_date(moment):
        errors["on"] = f"is after today ({beijing_date(moment)})"
    events = list(certificate.events.order_by("position").values_list("on", "status"))
    if "on" not in errors and events and day < max(e[0] for e in events):
        errors["on"] = f"is before the certificate's latest event ({max(e[0] for e in events)})"
    if errors:
        raise InvalidInput(errors)
    _check_transition(certificate, events, action, day)
    with transaction.atomic():
        # Locked, then read again: a change made meanwhile by someone else is seen here.
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        now_events = list(locked.events.order_by("position").values_list("on", "status"))
        if now_events != events:
            raise Conflict(
                f"certificate {certificate.pk} changed meanwhile; it is now "
                f"{status_on(locked.issued, locked.expires, now_events, day)}",
                code=ErrorCode.STATUS_NOT_ALLOWED,
            )
        before = CERTIFICATES.record_of(locked)
        CertificateEvent.objects.create(
            certificate=locked,
            position=len(now_events),
            on=day,
            status=ACTIONS[action][1],
            reason=reason.strip(),
        )
        record_changes(
            actor=actor,
            reason=reason.strip(),
            channel=channel,
            changes=[
                RecordChange("certificates", locked.pk, "transition", before, CERTIFICATES.record_of(locked))
            ],
        )
    return certificate


def _check_transition(
    certificate: Certificate, events: Sequence[tuple[dt.date, str]], action: str, day: dt.date
) -> None:
    current = status_on(certificate.issued, certificate.expires, events, day)
    allowed_from, _target = ACTIONS[action]
    if current not in allowed_from:
        final = current in (CertificateStatus.REVOKED, CertificateStatus.CANCELLED)
        raise Conflict(
            f"certificate {certificate.pk} is {current} on {day}"
            + ("; that is final" if final else f"; {action} needs {' or '.join(allowed_from)}"),
            code=ErrorCode.STATUS_NOT_ALLOWED,
        )
