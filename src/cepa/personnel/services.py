"""The write path of the inspector register: registration, renewal, annual confirmation, status and grade
changes, institution transfers, and personal data (kept and disclosed with a log of every read).

Every service takes keyword arguments only and a required `actor`, validates before it writes, makes its
change in one transaction and records it in the change log in that transaction. Personal data never
enters the change log (whose "inspectors" records are public): only the names of the fields changed.
Refusals list every failing rule at once (`Refusal.reasons`), as the decisions do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cepa.bodies.models import Organisation, OrganisationKind
from cepa.catalogue.models import FAMILY_CODE_OR_KEY
from cepa.decisions.selectors import inspector_standing
from cepa.history.services import RecordChange, record_changes
from cepa.personnel import messages, notify, policy
from cepa.personnel.models import (
    Affiliation,
    AnnualConfirmation,
    Grade,
    Inspector,
    InspectorEvent,
    InspectorStatus,
    PersonalDataAccess,
    Renewal,
    Transfer,
    TransferStatus,
)
from cepa.personnel.records import INSPECTORS
from cepa.personnel.selectors import beijing_today, transfer_record
from cepa.workflow import swap_status

PERSONAL_FIELDS = ("date_of_birth", "identity_document", "email", "phone")
PERSONAL_LIMITS = {"identity_document": 60, "email": 200, "phone": 50}
# Same-day status events apply cancelled over suspended over active (cepa-registry/1).
STATUS_PRECEDENCE: dict[str, int] = {"active": 0, "suspended": 1, "cancelled": 2}
# Which status each status may change to; cancellation is final.
TRANSITIONS = {
    InspectorStatus.ACTIVE: {InspectorStatus.SUSPENDED, InspectorStatus.CANCELLED},
    InspectorStatus.SUSPENDED: {InspectorStatus.ACTIVE, InspectorStatus.CANCELLED},
    InspectorStatus.CANCELLED: set(),
}
_SPECIALTY = re.compile(FAMILY_CODE_OR_KEY)


# --- errors -----------------------------------------------------------------------------------------


class PersonnelError(ValueError):
    """Bad input (HTTP 400): `field` names the argument, `message` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(PersonnelError):
    """No such inspector or transfer (HTTP 404)."""


class Conflict(PersonnelError):
    """The record's status does not allow the change (HTTP 409); `code` says which state."""

    def __init__(self, field: str, message: str, *, code: str = "CONFLICT") -> None:
        super().__init__(field, message)
        self.code = code


@dataclass(frozen=True)
class Reason:
    """One failing rule: a stable code and the values its message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return messages.message(self.code, lang, **self.params)


class Refusal(Exception):
    """A rule refuses the change (HTTP 422); nothing was written."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(reason.message() for reason in self.reasons))

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]


# --- helpers ----------------------------------------------------------------------------------------


def _require_actor(actor: str) -> None:
    if not actor:
        raise ValueError("actor is required")


def _date(name: str, value: Any) -> dt.date:
    """A date, or a YYYY-MM-DD string of one (a datetime is not a date here)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PersonnelError(name, f"{value!r} is not a date (YYYY-MM-DD)")


def _text(name: str, value: Any, *, required: bool = False, limit: int = 10_000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise PersonnelError(name, "must be text")
    value = value.strip()
    if required and not value:
        raise PersonnelError(name, "is required")
    if len(value) > limit:
        raise PersonnelError(name, f"must be at most {limit} characters")
    if "\x00" in value:
        raise PersonnelError(name, "must not contain NUL characters")
    return value


def _record(inspector_id: str) -> dict[str, Any]:
    """The inspector's public interchange record (what the change log keeps as before and after)."""
    return INSPECTORS.load([inspector_id])[inspector_id]


def _locked(inspector_id: Any) -> Inspector:
    """The inspector's row, locked until the end of the transaction (serialises writes to one
    registration: its status and grade live in events, so there is no status column to compare)."""
    if not isinstance(inspector_id, str) or not inspector_id or "\x00" in inspector_id:
        raise NotFound("inspector", f"no inspector with registration number {inspector_id!r}")
    found = Inspector.objects.select_for_update().filter(pk=inspector_id).first()
    if found is None:
        raise NotFound("inspector", f"no inspector with registration number {inspector_id!r}")
    return found


class _StatusEvent(NamedTuple):
    on: dt.date
    status: str


def _status_events(record: dict[str, Any]) -> list[_StatusEvent]:
    """The status changes among the events of an interchange inspector record."""
    return [
        _StatusEvent(dt.date.fromisoformat(e["on"]), e["status"])
        for e in record.get("events", [])
        if e.get("status")
    ]


def _cancellation(record: dict[str, Any]) -> dt.date | None:
    """The day the registration was cancelled, if it ever was (cancellation is final)."""
    days = [event.on for event in _status_events(record) if event.status == InspectorStatus.CANCELLED]
    return min(days) if days else None


def _latest_status_event(record: dict[str, Any]) -> _StatusEvent | None:
    return max(
        _status_events(record), key=lambda e: (e.on, STATUS_PRECEDENCE.get(e.status, 0)), default=None
    )


def _next_position(inspector_id: str) -> int:
    last = InspectorEvent.objects.filter(inspector_id=inspector_id).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _inspector_change(inspector_id: str, before: dict[str, Any]) -> RecordChange:
    return RecordChange("inspectors", inspector_id, "update", before, _record(inspector_id))


def _specialties(value: Any) -> list[str]:
    from cepa.catalogue.selectors import code_index

    if not isinstance(value, (list, tuple)) or not value:
        raise PersonnelError("specialties", "must be a non-empty list of product type families or types")
    # A type by any of its codes or its key (contract §1, rev. 2); a family covers codes only.
    names = code_index()
    families = {name[:2] for name in names if name.isdigit()}
    result = set()
    for code in value:
        if not isinstance(code, str) or not _SPECIALTY.fullmatch(code):
            raise PersonnelError(
                "specialties",
                f"{code!r} is not a family (2 digits), a type (4 digits) or a catalogue key",
            )
        if code not in (families if len(code) == 2 and code.isdigit() else names):
            raise PersonnelError("specialties", f"{code!r} is not in any version of the CCC catalogue")
        result.add(code)
    return sorted(result)


def _personal_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated personal data; only the keys given."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in PERSONAL_FIELDS:
            raise PersonnelError(name, f"not a personal data field; one of {', '.join(PERSONAL_FIELDS)}")
        if name == "date_of_birth":
            clean[name] = None if value in (None, "") else _date(name, value)
            continue
        text = _text(name, value, limit=PERSONAL_LIMITS[name])
        if name == "email" and text:
            try:
                validate_email(text)
            except ValidationError as error:
                raise PersonnelError("email", "is not a valid email address") from error
        clean[name] = text
    return clean


def _age_reasons(born: dt.date | None, day: dt.date, rules: policy.Policy) -> list[Reason]:
    if born is None:
        return [Reason("DATE_OF_BIRTH_UNKNOWN")]
    age = policy.age_on(born, day)
    if age >= rules.max_age:
        return [Reason("AGE_LIMIT", {"age": age, "on": day, "max_age": rules.max_age})]
    return []


# --- registration -----------------------------------------------------------------------------------


def register_inspector(
    *,
    actor: str,
    id: str,
    name: Mapping[str, str],
    grade: str,
    specialties: Sequence[str],
    registered: dt.date,
    expires: dt.date | None = None,
    organisation: str | None = None,
    date_of_birth: dt.date | None = None,
    identity_document: str = "",
    email: str = "",
    phone: str = "",
    source: str = "",
    note: str = "",
    reason: str = "",
    channel: str = "service",
) -> Inspector:
    """Registers an inspector under the CCAA registration number `id`, with the certification body it
    works for from `registered`. `expires` defaults to one term (CEPA_REGISTRATION_TERM_YEARS) later,
    the day before the anniversary."""
    _require_actor(actor)
    rules = policy.current()
    number = _text("id", id, required=True, limit=100)
    if number != id or number.strip("/") != number:
        raise PersonnelError("id", "must not start or end with spaces or slashes")
    if not isinstance(name, Mapping):
        raise PersonnelError("name", "must be an object with en, zh-Hant and zh-Hans")
    unknown = set(name) - {"en", "zh-Hant", "zh-Hans"}
    if unknown:
        raise PersonnelError("name", f"unknown language {sorted(unknown)[0]!r}; use en, zh-Hant, zh-Hans")
    names = {
        "name_en": _text("name.en", name.get("en"), required=True, limit=300),
        "name_zh_hant": _text("name.zh-Hant", name.get("zh-Hant"), limit=300),
        "name_zh_hans": _text("name.zh-Hans", name.get("zh-Hans"), limit=300),
    }
    if grade not in Grade.values:
        raise PersonnelError("grade", f"unknown grade {grade!r}; one of {', '.join(Grade.values)}")
    codes = _specialties(specialties)
    start = _date("registered", registered)
    end = (
        policy.add_years(start, rules.term_years) - dt.timedelta(days=1)
        if expires is None
        else _date("expires", expires)
    )
    if end < start:
        raise PersonnelError("expires", "must not be before registered")
    personal = _personal_values(
        {
            "date_of_birth": date_of_birth,
            "identity_document": identity_document,
            "email": email,
            "phone": phone,
        }
    )
    if personal["date_of_birth"] is not None and personal["date_of_birth"] >= start:
        raise PersonnelError("date_of_birth", "must be before the registration date")
    body = None
    if organisation is not None:
        body = Organisation.objects.filter(pk=organisation).first() if isinstance(organisation, str) else None
        if body is None:
            raise PersonnelError("organisation", f"no organisation with id {organisation!r}")
    reasons: list[Reason] = []
    if body is not None and body.kind != OrganisationKind.CERTIFICATION_BODY:
        reasons.append(Reason("NOT_CERTIFICATION_BODY", {"org": body.pk}))
    if personal["date_of_birth"] is not None:
        reasons += _age_reasons(personal["date_of_birth"], start, rules)
    if reasons:
        raise Refusal(reasons)

    with transaction.atomic():
        if Inspector.objects.filter(pk=number).exists():
            raise Conflict(
                "id", f"registration number {number!r} is already registered", code="ALREADY_REGISTERED"
            )
        inspector = Inspector.objects.create(
            id=number,
            grade=grade,
            specialties=codes,
            registered=start,
            expires=end,
            source=_text("source", source),
            note=_text("note", note),
            **names,
            **personal,
        )
        if body is not None:
            Affiliation.objects.create(inspector=inspector, organisation=body, valid_from=start)
        given = sorted(name for name, value in personal.items() if value not in (None, ""))
        changes = [RecordChange("inspectors", number, "create", None, _record(number))]
        if given:
            changes.append(RecordChange("personnel.personal_data", number, "create", None, {"fields": given}))
        record_changes(actor=actor, reason=reason, channel=channel, changes=changes)
        notify.expiry_reminder(actor=actor, inspector_id=number)
        notify.confirmation_reminder(
            actor=actor, inspector_id=number, due=policy.next_confirmation_due(start, end, set())
        )
    return inspector


def renew_registration(
    *,
    actor: str,
    inspector_id: str,
    applied_on: dt.date | None = None,
    reason: str = "",
    channel: str = "service",
) -> Renewal:
    """Renews a registration applied for on `applied_on` (default today): the number stays, the expiry
    moves on by one term. Refused before the window opens (CEPA_RENEWAL_WINDOW_MONTHS before expiry),
    after expiry, at CEPA_RENEWAL_MAX_AGE or older on the application date, or once cancelled."""
    _require_actor(actor)
    rules = policy.current()
    today = beijing_today()
    day = today if applied_on is None else _date("applied_on", applied_on)
    if day > today:
        raise PersonnelError("applied_on", "must not be in the future")
    with transaction.atomic():
        row = _locked(inspector_id)
        before = _record(row.pk)
        reasons: list[Reason] = []
        cancelled = _cancellation(before)
        if cancelled is not None:
            reasons.append(Reason("REGISTRATION_CANCELLED", {"since": cancelled}))
        opens = policy.renewal_window_opens(row.expires, rules)
        if day < opens:
            reasons.append(
                Reason(
                    "RENEWAL_WINDOW_NOT_OPEN",
                    {"opens": opens, "months": rules.renewal_window_months, "expires": row.expires},
                )
            )
        elif day > row.expires:
            reasons.append(Reason("REGISTRATION_EXPIRED", {"expires": row.expires}))
        reasons += _age_reasons(row.date_of_birth, day, rules)
        if reasons:
            raise Refusal(reasons)
        new_expiry = policy.renewed_expiry(row.expires, rules)
        # Compare-and-swap on the expiry: two renewals of the same term cannot both extend it.
        if Inspector.objects.filter(pk=row.pk, expires=row.expires).update(expires=new_expiry) != 1:
            raise Conflict("inspector", "the registration changed meanwhile; try again")
        renewal = Renewal.objects.create(
            inspector=row,
            applied_on=day,
            previous_expires=row.expires,
            expires=new_expiry,
            recorded_by=actor,
            recorded_at=timezone.now(),
            reason=_text("reason", reason),
        )
        record_changes(
            actor=actor,
            reason=reason or f"renewal applied for on {day}",
            channel=channel,
            changes=[
                _inspector_change(row.pk, before),
                RecordChange(
                    "personnel.renewals",
                    str(renewal.pk),
                    "create",
                    None,
                    {
                        "inspector": row.pk,
                        "applied_on": day.isoformat(),
                        "previous_expires": row.expires.isoformat(),
                        "expires": new_expiry.isoformat(),
                    },
                ),
            ],
        )
        notify.expiry_reminder(actor=actor, inspector_id=row.pk, previous=row.expires)
    return renewal


def confirm_annual(
    *,
    actor: str,
    inspector_id: str,
    year: int | None = None,
    confirmed_on: dt.date | None = None,
    channel: str = "service",
) -> AnnualConfirmation:
    """Records the annual confirmation for `year` (default: the earliest year still unconfirmed)."""
    _require_actor(actor)
    today = beijing_today()
    day = today if confirmed_on is None else _date("confirmed_on", confirmed_on)
    if day > today:
        raise PersonnelError("confirmed_on", "must not be in the future")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999):
        raise PersonnelError("year", "must be a year such as 2026")
    with transaction.atomic():
        row = _locked(inspector_id)
        cancelled = _cancellation(_record(row.pk))
        if cancelled is not None:
            raise Conflict(
                "inspector", f"the registration was cancelled on {cancelled}", code="REGISTRATION_CANCELLED"
            )
        done = set(AnnualConfirmation.objects.filter(inspector=row).values_list("year", flat=True))
        if year is None:
            due = policy.next_confirmation_due(row.registered, row.expires, done)
            year = due.year if due else day.year
        if year in done:
            raise Conflict(
                "year", f"the confirmation for {year} is already recorded", code="ALREADY_CONFIRMED"
            )
        if year not in policy.confirmation_years(row.registered, row.expires):
            raise Refusal(
                [
                    Reason(
                        "CONFIRMATION_NOT_DUE",
                        {"year": year, "registered": row.registered, "expires": row.expires},
                    )
                ]
            )
        due = policy.confirmation_due(row.registered, year)
        try:
            with transaction.atomic():
                confirmation = AnnualConfirmation.objects.create(
                    inspector=row,
                    year=year,
                    due=due,
                    confirmed_on=day,
                    recorded_by=actor,
                    recorded_at=timezone.now(),
                )
        except IntegrityError:
            raise Conflict(
                "year", f"the confirmation for {year} is already recorded", code="ALREADY_CONFIRMED"
            ) from None
        record_changes(
            actor=actor,
            reason=f"annual confirmation {year}",
            channel=channel,
            changes=[
                RecordChange(
                    "personnel.confirmations",
                    f"{row.pk}:{year}",
                    "create",
                    None,
                    {
                        "inspector": row.pk,
                        "year": year,
                        "due": due.isoformat(),
                        "confirmed_on": day.isoformat(),
                    },
                )
            ],
        )
        done.add(year)
        notify.confirmation_reminder(
            actor=actor,
            inspector_id=row.pk,
            due=policy.next_confirmation_due(row.registered, row.expires, done),
        )
    return confirmation


def change_status(
    *,
    actor: str,
    inspector_id: str,
    status: str,
    on: dt.date,
    reason: str,
    channel: str = "service",
) -> InspectorEvent:
    """Suspends (`suspended`), reinstates (`active`) or cancels (`cancelled`, final) a registration from
    `on`, with the reason. The change is dated on or after the latest one."""
    _require_actor(actor)
    if status not in InspectorStatus.values:
        raise PersonnelError(
            "status", f"unknown status {status!r}; one of {', '.join(InspectorStatus.values)}"
        )
    day = _date("on", on)
    why = _text("reason", reason, required=True)
    with transaction.atomic():
        row = _locked(inspector_id)
        before = _record(row.pk)
        latest = _latest_status_event(before)
        current = InspectorStatus(latest.status) if latest else InspectorStatus.ACTIVE
        if status not in TRANSITIONS[current]:
            raise Conflict(
                "status",
                "the registration is cancelled; cancellation is final"
                if current == InspectorStatus.CANCELLED
                else f"the registration is {current.value}; it cannot become {status}",
                code="REGISTRATION_CANCELLED"
                if current == InspectorStatus.CANCELLED
                else "STATUS_NOT_ALLOWED",
            )
        if latest is not None and (
            day < latest.on
            or (day == latest.on and STATUS_PRECEDENCE[InspectorStatus(status)] <= STATUS_PRECEDENCE[current])
        ):
            raise Refusal([Reason("EVENT_BEFORE_LATEST", {"latest": latest.on})])
        event = InspectorEvent.objects.create(
            inspector=row, position=_next_position(row.pk), on=day, status=status, reason=why
        )
        record_changes(actor=actor, reason=why, channel=channel, changes=[_inspector_change(row.pk, before)])
    return event


def change_grade(
    *,
    actor: str,
    inspector_id: str,
    grade: str,
    on: dt.date,
    evidence: str,
    reason: str = "",
    channel: str = "service",
) -> InspectorEvent:
    """Records a grade change (a promotion from provisional, usually) from `on`, with the evidence it
    rests on (kept as the event's reason, so it travels with the record)."""
    _require_actor(actor)
    if grade not in Grade.values:
        raise PersonnelError("grade", f"unknown grade {grade!r}; one of {', '.join(Grade.values)}")
    day = _date("on", on)
    proof = _text("evidence", evidence, required=True)
    with transaction.atomic():
        row = _locked(inspector_id)
        before = _record(row.pk)
        cancelled = _cancellation(before)
        if cancelled is not None:
            raise Conflict(
                "inspector", f"the registration was cancelled on {cancelled}", code="REGISTRATION_CANCELLED"
            )
        reasons = []
        grade_days = [dt.date.fromisoformat(e["on"]) for e in before.get("events", []) if e.get("grade")]
        later = [on for on in grade_days if on > day]
        if later:
            reasons.append(Reason("EVENT_BEFORE_LATEST", {"latest": max(later)}))
        if inspector_standing(before, day).grade == grade:
            reasons.append(Reason("GRADE_UNCHANGED", {"on": day, "grade": messages.grade_label(grade)}))
        if reasons:
            raise Refusal(reasons)
        event = InspectorEvent.objects.create(
            inspector=row, position=_next_position(row.pk), on=day, grade=grade, reason=proof
        )
        record_changes(
            actor=actor, reason=reason or proof, channel=channel, changes=[_inspector_change(row.pk, before)]
        )
    return event


# --- institution transfer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _TransferCheck:
    reasons: list[Reason]
    current: Affiliation | None  # the affiliation covering the effective date


def _check_transfer(
    row: Inspector, record: dict[str, Any], to: Organisation, effective: dt.date, *, exclude: int | None
) -> _TransferCheck:
    reasons: list[Reason] = []
    if to.kind != OrganisationKind.CERTIFICATION_BODY:
        reasons.append(Reason("NOT_CERTIFICATION_BODY", {"org": to.pk}))
    cancelled = _cancellation(record)
    if cancelled is not None:
        reasons.append(Reason("REGISTRATION_CANCELLED", {"since": cancelled}))
    if not row.registered <= effective <= row.expires:
        reasons.append(
            Reason(
                "REGISTRATION_NOT_VALID",
                {"on": effective, "registered": row.registered, "expires": row.expires},
            )
        )
    affiliations = list(Affiliation.objects.filter(inspector=row).order_by("valid_from", "id"))
    current = next(
        (
            a
            for a in affiliations
            if a.valid_from <= effective and (a.valid_until is None or effective <= a.valid_until)
        ),
        None,
    )
    if current is not None and current.organisation_id == to.pk:
        reasons.append(Reason("ALREADY_AFFILIATED", {"org": to.pk, "on": effective}))
    elif current is not None and current.valid_from == effective:
        reasons.append(
            Reason("AFFILIATION_STARTS_ON_EFFECTIVE", {"org": current.organisation_id, "on": effective})
        )
    later = next((a for a in affiliations if a.valid_from > effective), None)
    if later is not None:
        reasons.append(
            Reason(
                "LATER_AFFILIATION",
                {"org": later.organisation_id, "start": later.valid_from, "on": effective},
            )
        )
    pending = Transfer.objects.filter(inspector=row, status=TransferStatus.REQUESTED)
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    other = pending.values_list("pk", flat=True).first()
    if other is not None:
        reasons.append(Reason("TRANSFER_PENDING", {"transfer": other}))
    return _TransferCheck(reasons, current)


def request_transfer(
    *,
    actor: str,
    inspector_id: str,
    to_organisation: str,
    effective: dt.date,
    reason: str = "",
    channel: str = "service",
) -> Transfer:
    """The "change institution" request: the inspector is to work for `to_organisation` from
    `effective`. Refused when that body is not a certification body or is already the inspector's on
    that day, when the registration is not valid that day or was cancelled, or when another request of
    the same inspector is pending."""
    _require_actor(actor)
    day = _date("effective", effective)
    if not isinstance(to_organisation, str):
        raise PersonnelError("to_organisation", "must be an organisation id")
    with transaction.atomic():
        row = _locked(inspector_id)
        to = Organisation.objects.filter(pk=to_organisation).first()
        if to is None:
            raise PersonnelError("to_organisation", f"no organisation with id {to_organisation!r}")
        check = _check_transfer(row, _record(row.pk), to, day, exclude=None)
        if check.reasons:
            raise Refusal(check.reasons)
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    inspector=row,
                    from_organisation_id=check.current.organisation_id if check.current else None,
                    to_organisation=to,
                    effective=day,
                    requested_by=actor,
                    requested_at=timezone.now(),
                )
        except IntegrityError:  # a concurrent request of the same inspector got there first
            other = Transfer.objects.filter(inspector=row, status=TransferStatus.REQUESTED).first()
            raise Refusal([Reason("TRANSFER_PENDING", {"transfer": other.pk if other else ""})]) from None
        record_changes(
            actor=actor,
            reason=_text("reason", reason),
            channel=channel,
            changes=[RecordChange("transfers", str(transfer.pk), "create", None, _transfer_state(transfer))],
        )
    return transfer


def _transfer_state(transfer: Transfer) -> dict[str, Any]:
    """What the change log keeps of a transfer (its history is read back from these)."""
    record = transfer_record(transfer, history=[])
    record.pop("history")
    return record


def review_transfer(
    *,
    actor: str,
    transfer_id: int,
    action: str,
    reason: str = "",
    channel: str = "service",
) -> Transfer:
    """The registrar approves or refuses a requested transfer. Approval ends the old affiliation the
    day before `effective` and starts the new one; number, grade, specialties, training and exam
    records and expiry stay as they are. A refusal needs a reason."""
    _require_actor(actor)
    if action not in ("approve", "refuse"):
        raise PersonnelError("action", "must be approve or refuse")
    why = _text("reason", reason, required=action == "refuse")
    with transaction.atomic():
        transfer = Transfer.objects.select_related("to_organisation").filter(pk=transfer_id).first()
        if transfer is None:
            raise NotFound("transfer", f"no transfer with id {transfer_id!r}")
        if transfer.status != TransferStatus.REQUESTED:
            raise Conflict(
                "status", f"transfer {transfer.pk} is already {transfer.status}", code="TRANSFER_DECIDED"
            )
        row = _locked(transfer.inspector_id)
        before_transfer = _transfer_state(transfer)
        before_inspector = _record(row.pk)
        changes: list[RecordChange] = []
        decided = {"decided_by": actor, "decided_at": timezone.now(), "reason": why}
        if action == "approve":
            check = _check_transfer(
                row,
                before_inspector,
                transfer.to_organisation,
                transfer.effective,
                exclude=transfer.pk,
            )
            if check.reasons:
                raise Refusal(check.reasons)
            current = check.current
            decided["from_organisation_id"] = current.organisation_id if current else None
            if not swap_status(transfer, TransferStatus.REQUESTED, status=TransferStatus.APPROVED, **decided):
                raise Conflict(
                    "status", f"transfer {transfer.pk} was decided meanwhile", code="TRANSFER_DECIDED"
                )
            if current is not None:
                ended = Affiliation.objects.filter(pk=current.pk, valid_until=current.valid_until).update(
                    valid_until=transfer.effective - dt.timedelta(days=1)
                )
                if ended != 1:
                    raise Conflict("inspector", "the affiliation changed meanwhile; try again")
            Affiliation.objects.create(
                inspector=row, organisation=transfer.to_organisation, valid_from=transfer.effective
            )
            changes.append(_inspector_change(row.pk, before_inspector))
        elif not swap_status(transfer, TransferStatus.REQUESTED, status=TransferStatus.REFUSED, **decided):
            raise Conflict("status", f"transfer {transfer.pk} was decided meanwhile", code="TRANSFER_DECIDED")
        transfer.refresh_from_db()
        changes.insert(
            0,
            RecordChange(
                "transfers", str(transfer.pk), "transition", before_transfer, _transfer_state(transfer)
            ),
        )
        record_changes(actor=actor, reason=why, channel=channel, changes=changes)
        notify.transfer_decided(actor=actor, transfer=transfer)
    return transfer


# --- personal data ----------------------------------------------------------------------------------


def update_personal_data(
    *, actor: str, inspector_id: str, values: Mapping[str, Any], reason: str = "", channel: str = "service"
) -> list[str]:
    """Sets some of date_of_birth, identity_document, email and phone; returns the fields changed.
    The change log records which fields changed, never their values."""
    _require_actor(actor)
    clean = _personal_values(values)
    with transaction.atomic():
        row = _locked(inspector_id)
        if clean.get("date_of_birth") is not None and clean["date_of_birth"] >= row.registered:
            raise PersonnelError("date_of_birth", "must be before the registration date")
        changed = sorted(name for name, value in clean.items() if getattr(row, name) != value)
        if changed:
            Inspector.objects.filter(pk=row.pk).update(**{name: clean[name] for name in changed})
            record_changes(
                actor=actor,
                reason=reason,
                channel=channel,
                changes=[
                    RecordChange("personnel.personal_data", row.pk, "update", None, {"fields": changed})
                ],
            )
    return changed


def disclose_personal_data(
    *, actor: str, inspector_id: str, fields: Sequence[str] = PERSONAL_FIELDS, channel: str = "api"
) -> dict[str, Any]:
    """Reads an inspector's personal data for a member of staff, logging who read which fields when.
    Callers check that the reader may see it (cepa.accounts.permissions: inspectors.view_personal_data)."""
    _require_actor(actor)
    wanted = list(dict.fromkeys(fields))
    for name in wanted:
        if name not in PERSONAL_FIELDS:
            raise PersonnelError("fields", f"{name!r} is not a personal data field")
    if not isinstance(inspector_id, str) or "\x00" in inspector_id:
        raise NotFound("inspector", f"no inspector with registration number {inspector_id!r}")
    with transaction.atomic():
        found = Inspector.objects.filter(pk=inspector_id).values("id", *wanted).first()
        if found is None:
            raise NotFound("inspector", f"no inspector with registration number {inspector_id!r}")
        PersonalDataAccess.objects.create(
            at=timezone.now(), actor=actor, inspector_id=inspector_id, fields=wanted, channel=channel
        )
    return found
