"""Registration and the life of a registration: renewal, annual confirmation, status and grade."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cepa.bodies.models import Organisation, OrganisationKind
from cepa.catalogue.models import FAMILY_CODE_OR_KEY
from cepa.decisions.selectors import inspector_standing
from cepa.errors import Conflict, ErrorCode, InvalidInput, Refused
from cepa.history.services import RecordChange, record_changes
from cepa.personnel import messages, notify, policy
from cepa.personnel.models import (
    Affiliation,
    AnnualConfirmation,
    Grade,
    Inspector,
    InspectorEvent,
    InspectorStatus,
    Renewal,
)
from cepa.personnel.selectors import beijing_today
from cepa.personnel.services.base import (
    Reason,
    _cancellation,
    _date,
    _inspector_change,
    _locked,
    _record,
    _require_actor,
    _status_events,
    _StatusEvent,
    _text,
    require,
)
from cepa.personnel.services.personal_data import _personal_values

# Same-day status events apply cancelled over suspended over active (cepa-registry/1).
STATUS_PRECEDENCE: dict[str, int] = {"active": 0, "suspended": 1, "cancelled": 2}
# Which status each status may change to; cancellation is final.
TRANSITIONS = {
    InspectorStatus.ACTIVE: {InspectorStatus.SUSPENDED, InspectorStatus.CANCELLED},
    InspectorStatus.SUSPENDED: {InspectorStatus.ACTIVE, InspectorStatus.CANCELLED},
    InspectorStatus.CANCELLED: set(),
}
_SPECIALTY = re.compile(FAMILY_CODE_OR_KEY)


def _latest_status_event(record: dict[str, Any]) -> _StatusEvent | None:
    return max(
        _status_events(record), key=lambda e: (e.on, STATUS_PRECEDENCE.get(e.status, 0)), default=None
    )


def _next_position(inspector_id: str) -> int:
    last = InspectorEvent.objects.filter(inspector_id=inspector_id).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _specialties(value: Any) -> list[str]:
    from cepa.catalogue.selectors import code_index

    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidInput("specialties", "must be a non-empty list of product type families or types")
    # A type by any of its codes or its key (contract §1, rev. 2); a family covers codes only.
    names = code_index()
    families = {name[:2] for name in names if name.isdigit()}
    result = set()
    for code in value:
        if not isinstance(code, str) or not _SPECIALTY.fullmatch(code):
            raise InvalidInput(
                "specialties",
                f"{code!r} is not a family (2 digits), a type (4 digits) or a catalogue key",
            )
        if code not in (families if len(code) == 2 and code.isdigit() else names):
            raise InvalidInput("specialties", f"{code!r} is not in any version of the CCC catalogue")
        result.add(code)
    return sorted(result)


def _age_reasons(born: dt.date | None, day: dt.date, rules: policy.Policy) -> list[Reason]:
    if born is None:
        return [Reason("DATE_OF_BIRTH_UNKNOWN")]
    age = policy.age_on(born, day)
    if age >= rules.max_age:
        return [Reason("AGE_LIMIT", {"age": age, "on": day, "max_age": rules.max_age})]
    return []


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
    user: Any = None,
    channel: str = "service",
) -> Inspector:
    """Registers an inspector under the CCAA registration number `id`, with the certification body it
    works for from `registered`. `expires` defaults to one term (CEPA_REGISTRATION_TERM_YEARS) later,
    the day before the anniversary."""
    _require_actor(actor)
    require(user, "inspectors.register", what="register inspectors")
    rules = policy.current()
    number = _text("id", id, required=True, limit=100)
    if number != id or number.strip("/") != number:
        raise InvalidInput("id", "must not start or end with spaces or slashes")
    if not isinstance(name, Mapping):
        raise InvalidInput("name", "must be an object with en, zh-Hant and zh-Hans")
    unknown = set(name) - {"en", "zh-Hant", "zh-Hans"}
    if unknown:
        raise InvalidInput("name", f"unknown language {sorted(unknown)[0]!r}; use en, zh-Hant, zh-Hans")
    names = {
        "name_en": _text("name.en", name.get("en"), required=True, limit=300),
        "name_zh_hant": _text("name.zh-Hant", name.get("zh-Hant"), limit=300),
        "name_zh_hans": _text("name.zh-Hans", name.get("zh-Hans"), limit=300),
    }
    if grade not in Grade.values:
        raise InvalidInput("grade", f"unknown grade {grade!r}; one of {', '.join(Grade.values)}")
    codes = _specialties(specialties)
    start = _date("registered", registered)
    end = (
        policy.add_years(start, rules.term_years) - dt.timedelta(days=1)
        if expires is None
        else _date("expires", expires)
    )
    if end < start:
        raise InvalidInput("expires", "must not be before registered")
    personal = _personal_values(
        {
            "date_of_birth": date_of_birth,
            "identity_document": identity_document,
            "email": email,
            "phone": phone,
        }
    )
    if personal["date_of_birth"] is not None and personal["date_of_birth"] >= start:
        raise InvalidInput("date_of_birth", "must be before the registration date")
    body = None
    if organisation is not None:
        body = Organisation.objects.filter(pk=organisation).first() if isinstance(organisation, str) else None
        if body is None:
            raise InvalidInput("organisation", f"no organisation with id {organisation!r}")
    reasons: list[Reason] = []
    if body is not None and body.kind != OrganisationKind.CERTIFICATION_BODY:
        reasons.append(Reason("NOT_CERTIFICATION_BODY", {"org": body.pk}))
    if personal["date_of_birth"] is not None:
        reasons += _age_reasons(personal["date_of_birth"], start, rules)
    if reasons:
        raise Refused(reasons=reasons)

    with transaction.atomic():
        if Inspector.objects.filter(pk=number).exists():
            raise Conflict(
                f"registration number {number!r} is already registered", code=ErrorCode.ALREADY_REGISTERED
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
    user: Any = None,
    channel: str = "service",
) -> Renewal:
    """Renews a registration applied for on `applied_on` (default today): the number stays, the expiry
    moves on by one term. Refused before the window opens (CEPA_RENEWAL_WINDOW_MONTHS before expiry),
    after expiry, at CEPA_RENEWAL_MAX_AGE or older on the application date, or once cancelled."""
    _require_actor(actor)
    require(user, "inspectors.manage", inspector_id, what="change this registration")
    rules = policy.current()
    today = beijing_today()
    day = today if applied_on is None else _date("applied_on", applied_on)
    if day > today:
        raise InvalidInput("applied_on", "must not be in the future")
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
            raise Refused(reasons=reasons)
        new_expiry = policy.renewed_expiry(row.expires, rules)
        # Compare-and-swap on the expiry: two renewals of the same term cannot both extend it.
        if Inspector.objects.filter(pk=row.pk, expires=row.expires).update(expires=new_expiry) != 1:
            raise Conflict("the registration changed meanwhile; try again")
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
    user: Any = None,
    channel: str = "service",
) -> AnnualConfirmation:
    """Records the annual confirmation for `year` (default: the earliest year still unconfirmed)."""
    _require_actor(actor)
    require(user, "inspectors.confirm", inspector_id, what="change this registration")
    today = beijing_today()
    day = today if confirmed_on is None else _date("confirmed_on", confirmed_on)
    if day > today:
        raise InvalidInput("confirmed_on", "must not be in the future")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999):
        raise InvalidInput("year", "must be a year such as 2026")
    with transaction.atomic():
        row = _locked(inspector_id)
        cancelled = _cancellation(_record(row.pk))
        if cancelled is not None:
            raise Conflict(
                f"the registration was cancelled on {cancelled}", code=ErrorCode.REGISTRATION_CANCELLED
            )
        done = set(AnnualConfirmation.objects.filter(inspector=row).values_list("year", flat=True))
        if year is None:
            due = policy.next_confirmation_due(row.registered, row.expires, done)
            year = due.year if due else day.year
        if year in done:
            raise Conflict(
                f"the confirmation for {year} is already recorded", code=ErrorCode.ALREADY_CONFIRMED
            )
        if year not in policy.confirmation_years(row.registered, row.expires):
            raise Refused(
                reasons=[
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
                f"the confirmation for {year} is already recorded", code=ErrorCode.ALREADY_CONFIRMED
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
    user: Any = None,
    channel: str = "service",
) -> InspectorEvent:
    """Suspends (`suspended`), reinstates (`active`) or cancels (`cancelled`, final) a registration from
    `on`, with the reason. The change is dated on or after the latest one."""
    _require_actor(actor)
    require(user, "inspectors.manage", inspector_id, what="change this registration")
    if status not in InspectorStatus.values:
        raise InvalidInput("status", f"unknown status {status!r}; one of {', '.join(InspectorStatus.values)}")
    day = _date("on", on)
    why = _text("reason", reason, required=True)
    with transaction.atomic():
        row = _locked(inspector_id)
        before = _record(row.pk)
        latest = _latest_status_event(before)
        current = InspectorStatus(latest.status) if latest else InspectorStatus.ACTIVE
        if status not in TRANSITIONS[current]:
            raise Conflict(
                "the registration is cancelled; cancellation is final"
                if current == InspectorStatus.CANCELLED
                else f"the registration is {current.value}; it cannot become {status}",
                code=ErrorCode.REGISTRATION_CANCELLED
                if current == InspectorStatus.CANCELLED
                else ErrorCode.STATUS_NOT_ALLOWED,
            )
        if latest is not None and (
            day < latest.on
            or (day == latest.on and STATUS_PRECEDENCE[InspectorStatus(status)] <= STATUS_PRECEDENCE[current])
        ):
            raise Refused(reasons=[Reason("EVENT_BEFORE_LATEST", {"latest": latest.on})])
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
    user: Any = None,
    channel: str = "service",
) -> InspectorEvent:
    """Records a grade change (a promotion from provisional, usually) from `on`, with the evidence it
    rests on (kept as the event's reason, so it travels with the record)."""
    _require_actor(actor)
    require(user, "inspectors.manage", inspector_id, what="change this registration")
    if grade not in Grade.values:
        raise InvalidInput("grade", f"unknown grade {grade!r}; one of {', '.join(Grade.values)}")
    day = _date("on", on)
    proof = _text("evidence", evidence, required=True)
    with transaction.atomic():
        row = _locked(inspector_id)
        before = _record(row.pk)
        cancelled = _cancellation(before)
        if cancelled is not None:
            raise Conflict(
                f"the registration was cancelled on {cancelled}", code=ErrorCode.REGISTRATION_CANCELLED
            )
        reasons = []
        grade_days = [dt.date.fromisoformat(e["on"]) for e in before.get("events", []) if e.get("grade")]
        later = [on for on in grade_days if on > day]
        if later:
            reasons.append(Reason("EVENT_BEFORE_LATEST", {"latest": max(later)}))
        if inspector_standing(before, day).grade == grade:
            reasons.append(Reason("GRADE_UNCHANGED", {"on": day, "grade": messages.grade_label(grade)}))
        if reasons:
            raise Refused(reasons=reasons)
        event = InspectorEvent.objects.create(
            inspector=row, position=_next_position(row.pk), on=day, grade=grade, reason=proof
        )
        record_changes(
            actor=actor, reason=reason or proof, channel=channel, changes=[_inspector_change(row.pk, before)]
        )
    return event
