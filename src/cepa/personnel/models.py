"""CCC factory inspectors registered with CCAA: registrations, affiliations and status events."""

from __future__ import annotations

from django.db import models

from cepa.bodies.models import Organisation, Recorded
from cepa.catalogue.models import TrilingualName


class Grade(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional inspector"
    INSPECTOR = "inspector", "Inspector"
    SENIOR = "senior", "Senior inspector"


class InspectorStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


class Inspector(Recorded, TrilingualName):
    """One registration; `id` is the CCAA registration number, kept across renewals and transfers."""

    id = models.CharField(max_length=100, primary_key=True)
    grade = models.CharField(max_length=20, choices=Grade.choices, help_text="Grade at registration")
    specialties = models.JSONField(default=list, help_text="Product type families (2 digits) or types (4)")
    registered = models.DateField()
    expires = models.DateField()
    # Personal data: never public, never exported in public files.
    date_of_birth = models.DateField(null=True, blank=True)
    identity_document = models.CharField(max_length=60, blank=True, default="")
    email = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} ({self.name_en})"


class Affiliation(models.Model):
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
