"""Contract rev. 2: CNCA's designation decisions take effect on publication.

Applications approved before it had their designation start the day after the 15 working days of
the objection period. Each now starts on the day of approval (its Beijing date): the application's
`designation_from` and, where the designation the workflow made still starts on the old day, its
`from`. Every move is in the change log and the application's own history. A designation removed
on an upheld objection under the first text is not brought back.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

REASON = "contract rev. 2: CNCA's designation decisions take effect on publication"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _put(record, key, value):
    if value not in (None, "", [], {}):
        record[key] = value


def _application_state(application):
    # The shape of cepa.designation.services.applications.application_state at this migration.
    return {
        "id": application.pk,
        "organisation": application.organisation_id,
        "product_types": list(application.product_types),
        "status": application.status,
        "route": application.route,
        "plan": application.plan_id,
        "objection_period_ends": application.objection_period_ends.isoformat()
        if application.objection_period_ends
        else None,
        "designation_from": application.designation_from.isoformat()
        if application.designation_from
        else None,
        "designation": application.designation_id,
    }


def _designation_record(designation):
    # The shape of the `designations` interchange record (cepa.bodies.records) at this migration.
    record = {
        "id": designation.pk,
        "organisation": designation.organisation_id,
        "role": designation.role,
        "product_types": sorted(designation.scope_entries.values_list("product_type", flat=True)),
        "from": designation.valid_from.isoformat(),
    }
    _put(record, "until", designation.valid_until.isoformat() if designation.valid_until else None)
    _put(record, "basis", designation.basis)
    _put(record, "source", designation.source)
    _put(record, "note", designation.note)
    return record


def forwards(apps, schema_editor):
    Application = apps.get_model("designation", "Application")
    ApplicationEvent = apps.get_model("designation", "ApplicationEvent")
    Designation = apps.get_model("bodies", "Designation")
    ChangeSet = apps.get_model("history", "ChangeSet")
    Change = apps.get_model("history", "Change")
    now = timezone.now()
    changes = []
    approved = Application.objects.filter(status="approved", decided__isnull=False).order_by("pk")
    for application in approved:
        approved_on = application.decided.astimezone(BEIJING).date()
        old_from = application.designation_from
        if old_from == approved_on:
            continue
        before = _application_state(application)
        application.designation_from = approved_on
        application.save(update_fields=["designation_from"])
        changes.append(
            ("designation.applications", str(application.pk), before, _application_state(application))
        )
        note = f"{REASON}: designation in force from {approved_on.isoformat()}, not {old_from}"
        designation = (
            Designation.objects.filter(pk=application.designation_id).first()
            if application.designation_id
            else None
        )
        if designation is not None and designation.valid_from == old_from:
            registry_before = _designation_record(designation)
            designation.valid_from = approved_on
            designation.save(update_fields=["valid_from"])
            changes.append(
                ("designations", designation.pk, registry_before, _designation_record(designation))
            )
        elif designation is None and application.designation_cancelled is not None:
            note += " (its designation was removed on an upheld objection before and is not restored)"
        ApplicationEvent.objects.create(
            application=application,
            at=now,
            who="cepa migrate",
            channel="system",
            from_status="approved",
            to_status="approved",
            reason=note,
            event="designation_start_moved",
        )
    if changes:
        changeset = ChangeSet.objects.create(actor="cepa migrate", at=now, reason=REASON, channel="system")
        Change.objects.bulk_create(
            Change(
                changeset=changeset,
                record_type=kind,
                record_id=pk,
                action="update",
                before=before,
                after=after,
            )
            for kind, pk, before, after in changes
        )


class Migration(migrations.Migration):
    dependencies = [
        ("designation", "0003_objection_status_label"),
        ("bodies", "0001_initial"),
        ("history", "0003_change_action_labels"),
    ]

    # Not reversed: the first text's start dates are in the change log's `before`.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
