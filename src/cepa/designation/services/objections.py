"""Objections to approved applications, and their decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cepa.bodies.models import Designation
from cepa.bodies.records import DESIGNATIONS
from cepa.decisions.terms import beijing_date
from cepa.designation import clock
from cepa.designation.models import Application, ApplicationStatus, Objection, ObjectionStatus
from cepa.designation.services.applications import (
    application_state,
    parse_id,
)
from cepa.designation.services.base import (
    APPLICATIONS,
    OBJECTIONS,
    _history,
    _iso,
    _require,
    _text,
    _who,
)
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotFound, Refused
from cepa.history.services import RecordChange
from cepa.workflow import swap_status

# --- objections -------------------------------------------------------------------------------------


def objection_state(objection: Objection) -> dict[str, Any]:
    return {
        "id": objection.pk,
        "application": objection.application_id,
        "status": objection.status,
        "lodged": _iso(objection.lodged),
        "decided": _iso(objection.decided),
    }


def find_application_to_object(*, user: Any, application_id: Any) -> Application:
    _require(user, "objections.lodge", "lodge objections")
    number = parse_id(application_id)
    application = Application.objects.restrict(user, "view").filter(pk=number).first() if number else None
    if application is None:
        raise NotFound(f"no application with id {application_id!r}")
    return application


def lodge_objection(
    *, actor: str, user: Any, application_id: Any, grounds: str, on_behalf_of: str = "", channel: str = "api"
) -> Objection:
    """An objection to an approved application, during its objection period (Beijing dates)."""
    application = find_application_to_object(user=user, application_id=application_id)
    grounds = _text(grounds, "grounds", required=True)
    on_behalf_of = _text(on_behalf_of, "on_behalf_of", required=False, max_length=200)
    if application.status != ApplicationStatus.APPROVED:
        raise Conflict(
            f"application {application.pk} is {application.status}: "
            "only an approved application is open to objections"
        )
    if application.designation_cancelled is not None:
        raise Conflict(f"application {application.pk}'s designation was already cancelled on an objection")
    moment = clock.now()
    assert application.objection_period_ends is not None
    if beijing_date(moment) > application.objection_period_ends:
        raise Refused(
            f"the objection period ended on {application.objection_period_ends.isoformat()}",
            code=ErrorCode.OBJECTION_PERIOD_ENDED,
            failing=["OBJECTION_PERIOD_ENDED"],
        )
    who = _who(user, actor)
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            grounds=grounds,
            on_behalf_of=on_behalf_of,
            lodged=moment,
            lodged_by=who,
        )
        _history(
            application,
            actor=actor,
            user=user,
            channel=channel,
            old=application.status,
            note=f"objection {objection.pk} lodged",
            reason="objection lodged",
            record_type=OBJECTIONS,
            record_id=str(objection.pk),
            action="create",
            before=None,
            after=objection_state(objection),
            event="objection_lodged",
        )
    return objection


OBJECTION_ACTIONS = {"uphold": ObjectionStatus.UPHELD, "dismiss": ObjectionStatus.DISMISSED}


def find_objection(*, user: Any, objection_id: Any) -> Objection:
    _require(user, "objections.review", "decide objections")
    number = parse_id(objection_id)
    objection = Objection.objects.select_related("application").filter(pk=number).first() if number else None
    if objection is None:
        raise NotFound(f"no objection with id {objection_id!r}")
    return objection


def check_objection_action(action: Any, reason: Any) -> tuple[str, str]:
    if action not in OBJECTION_ACTIONS:
        raise InvalidInput("action", f"must be one of {', '.join(OBJECTION_ACTIONS)}")
    return action, _text(reason, "reason", required=True)


def review_objection(
    *, actor: str, user: Any, objection_id: Any, action: str, reason: str, channel: str = "api"
) -> Objection:
    """A CNCA officer upholds or dismisses a pending objection. Upheld on day X, the designation the
    approval created ends: its `until` becomes the earlier of its `until` and X - 1; upheld on the day
    of approval itself, it is removed (contract §4 rev. 2). The change and why are in the history."""
    objection = find_objection(user=user, objection_id=objection_id)
    action, reason = check_objection_action(action, reason)
    if objection.status != ObjectionStatus.PENDING:
        raise Conflict(f"objection {objection.pk} is already {objection.status}")
    to = OBJECTION_ACTIONS[action]
    moment = clock.now()
    who = _who(user, actor)
    with transaction.atomic():
        before = objection_state(objection)
        decision = {"status": to, "decided": moment, "decided_by": who, "decision_reason": reason}
        if not swap_status(objection, ObjectionStatus.PENDING, **decision):
            raise Conflict(f"objection {objection.pk} was decided meanwhile; reload it")
        application = Application.objects.select_for_update().get(pk=objection.application_id)
        more: list[RecordChange] = []
        note = f"objection {objection.pk} {to}: {reason}"
        if to == ObjectionStatus.UPHELD and application.designation_id is not None:
            app_before = application_state(application)
            ended, changes = _end_designation(application, upheld_on=beijing_date(moment))
            more.extend(changes)
            Application.objects.filter(pk=application.pk).update(
                designation_id=application.designation_id, designation_cancelled=moment
            )
            application.designation_cancelled = moment
            more.append(
                RecordChange(
                    APPLICATIONS, str(application.pk), "update", app_before, application_state(application)
                )
            )
            note += f"; {ended}"
            reason = f"{reason} ({ended})"
        _history(
            application,
            actor=actor,
            user=user,
            channel=channel,
            old=application.status,
            note=note,
            reason=reason,
            record_type=OBJECTIONS,
            record_id=str(objection.pk),
            action="transition",
            before=before,
            after=objection_state(objection),
            event=f"objection_{to}",
            more=more,
        )
    return objection


def _end_designation(application: Application, *, upheld_on: dt.date) -> tuple[str, list[RecordChange]]:
    """Ends the application's designation for an objection upheld on `upheld_on`: removed when upheld
    on the day of approval (it was never in force on a day before the objection), else in force
    through the day before. Returns what happened, in words, and the registry's changes."""
    designation = Designation.objects.get(pk=application.designation_id)
    registry_before = DESIGNATIONS.record_of(designation)
    approved_on = application.designation_from
    assert approved_on is not None  # set on approval
    designation_id = designation.pk
    if upheld_on <= approved_on:
        designation.delete()
        application.designation = None
        return (
            f"designation {designation_id} removed: the objection was upheld on the day of approval "
            f"({upheld_on.isoformat()})",
            [RecordChange("designations", designation_id, "delete", registry_before, None)],
        )
    last_day = upheld_on - dt.timedelta(days=1)
    if designation.valid_until is not None and designation.valid_until <= last_day:
        return (
            f"designation {designation_id} already ended on {designation.valid_until.isoformat()}: "
            f"the objection upheld on {upheld_on.isoformat()} leaves it as it is",
            [],
        )
    Designation.objects.filter(pk=designation_id).update(valid_until=last_day)
    return (
        f"designation {designation_id} ends on {last_day.isoformat()}: the objection was upheld on "
        f"{upheld_on.isoformat()}",
        [
            RecordChange(
                "designations", designation_id, "update", registry_before, DESIGNATIONS.record_of(designation)
            )
        ],
    )
