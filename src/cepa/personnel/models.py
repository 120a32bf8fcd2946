"""CCC factory inspectors registered with CCAA: registrations, affiliations, status events, institution
transfers, renewals, annual confirmations and the log of reads of their personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cepa.accounts import permissions
from cepa.accounts.querysets import RestrictedQuerySet
from cepa.bodies.models import Organisation, Recorded
from cepa.catalogue.models import TrilingualName
from cepa.history.models import AppendOnlyModel
from cepa.records import BEIJING


class Grade(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional inspector")
    INSPECTOR = "inspector", _("Inspector")
    SENIOR = "senior", _("Senior inspector")


class InspectorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class InspectorQuerySet(RestrictedQuerySet["Inspector"]):
    """Every inspector is public; callers show only the public fields (see personnel.selectors)."""


class Inspector(Recorded, TrilingualName):
    """One registration; `id` is the CCAA registration number, kept across renewals and transfers."""

    objects = InspectorQuerySet.as_manager()

    id = models.CharField(max_length=100, primary_key=True)
    grade = models.CharField(max_length=20, choices=Grade.choices, help_text=_("Grade at registration"))
    specialties = models.JSONField(default=list, help_text=_("Product type families (2 digits) or types (4)"))
    registered = models.DateField()
    expires = models.DateField()
    # Personal data: never public, never exported in public files.
    date_of_birth = models.DateField(null=True, blank=True)
    identity_document = models.CharField(max_length=60, blank=True, default="")
    email = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} ({self.name_en})"


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def organisation_on(self, inspector: Any, on: dt.date | None = None) -> str | None:
        """The organisation an inspector (an Inspector or its id) is affiliated with on `on` (default:
        today in Beijing), or None."""
        inspector_id = inspector if isinstance(inspector, str) else getattr(inspector, "pk", None)
        if inspector_id is None:
            return None
        day = on or dt.datetime.now(BEIJING).date()
        found = (
            self.filter(inspector_id=inspector_id, valid_from__lte=day)
            .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))
            .order_by("-valid_from")
            .values_list("organisation_id", flat=True)
            .first()
        )
        return str(found) if found is not None else None


class Affiliation(models.Model):
    objects = AffiliationQuerySet.as_manager()
    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="affiliations")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["inspector", "valid_from"]


class InspectorEvent(Recorded):
    """A dated status and/or grade change."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField()
    on = models.DateField()
    status = models.CharField(max_length=20, choices=InspectorStatus.choices, blank=True, default="")
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    basis = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["inspector", "position"]


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", pgettext_lazy("status", "Refused")


class TransferQuerySet(RestrictedQuerySet["Transfer"]):
    def visible_to(self, user: Any) -> TransferQuerySet:
        """The registrar and administrators see all; an applicant those to or from their organisation."""
        if permissions.is_admin(user) or permissions.is_ccaa_registrar(user):
            return self.all()
        own = permissions.organisation_of(user)
        if own is not None:
            return self.filter(models.Q(to_organisation_id=own) | models.Q(from_organisation_id=own))
        return self.none()


class Transfer(models.Model):
    """A "change institution" request (轉換機構申請): the inspector moves to another certification body
    keeping number, grade, specialties and expiry. Its history is in the change log (record_type
    "transfers")."""

    objects = TransferQuerySet.as_manager()

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="transfers")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_out"
    )
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="transfers_in")
    effective = models.DateField(help_text=_("First day with the new body"))
    status = models.CharField(
        max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED, db_index=True
    )
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="", help_text=_("The registrar's reason for the decision"))

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["id"]
        constraints = [
            # At most one pending request per inspector: the database keeps the rule under races too.
            models.UniqueConstraint(
                fields=["inspector"],
                condition=models.Q(status="requested"),
                name="transfer_one_pending_per_inspector",
            )
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} of {self.inspector_id} to {self.to_organisation_id}"


class Renewal(models.Model):
    """A renewal (re-registration): same number, expiry moved on by one term."""

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="renewals")
    applied_on = models.DateField()
    previous_expires = models.DateField()
    expires = models.DateField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["inspector", "applied_on", "id"]


class AnnualConfirmation(models.Model):
    """The registrant's confirmation for one year, due on the anniversary of registration that year."""

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="confirmations")
    year = models.PositiveIntegerField()
    due = models.DateField()
    confirmed_on = models.DateField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["inspector", "year"]
        constraints = [models.UniqueConstraint(fields=["inspector", "year"], name="confirmation_once_a_year")]


class PersonalDataAccess(AppendOnlyModel):
    """One read of an inspector's personal data by staff: who, when, which inspector, which fields.

    The inspector is kept by id (not a foreign key) so the log outlives any change to the register."""

    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    inspector_id = models.CharField(max_length=100, db_index=True)
    fields = models.JSONField(default=list)
    channel = models.CharField(max_length=30, default="api")

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["id"]

    def __str__(self) -> str:
        return (
            f"{self.actor} read {', '.join(self.fields)} of {self.inspector_id} at {self.at:%Y-%m-%d %H:%M}"
        )
