"""Organisations, their accreditations, designations and cooperation agreements.

Product types are stored as 4-digit codes (validated against the catalogue by the services), in
one scope row per code so the registry can be searched by product type through an index.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cepa.accounts.querysets import RestrictedQuerySet
from cepa.catalogue.models import TrilingualName


class Recorded(models.Model):
    source = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        abstract = True


class OrganisationKind(models.TextChoices):
    LABORATORY = "laboratory", _("Laboratory")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    INSPECTION_BODY = "inspection_body", _("Inspection body")


class Seat(models.TextChoices):
    HK = "HK", _("Hong Kong")
    MAINLAND = "MAINLAND", _("Mainland")
    OVERSEAS = "OVERSEAS", _("Overseas")


class Scheme(models.TextChoices):
    # Scheme names are proper names, the same in every language (not translated).
    HOKLAS = "HOKLAS", "HOKLAS"
    HKCAS = "HKCAS", "HKCAS"
    HKIAS = "HKIAS", "HKIAS"
    CNAS = "CNAS", "CNAS"


class AccreditationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DesignationRole(models.TextChoices):
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    LABORATORY = "laboratory", _("Laboratory")


class AgreementKind(models.TextChoices):
    TESTING = "testing", _("Testing")
    FACTORY_INSPECTION = "factory_inspection", _("Factory inspection")
    SAMPLING = "sampling", _("Sampling")


class Organisation(Recorded, TrilingualName):
    objects = RestrictedQuerySet["Organisation"].as_manager()  # public: every row
    id = models.CharField(max_length=200, primary_key=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices, db_index=True)
    seat = models.CharField(max_length=10, choices=Seat.choices, db_index=True)
    hk_invested = models.BooleanField(default=False)
    cnca_code = models.CharField(max_length=10, null=True, blank=True)
    # Contact details as published (contract §1 rev. 2): the interchange `contact` object in its
    # canonical form, {} when none: address (names by language), phone, email, website.
    contact = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} ({self.name_en})"


class Accreditation(Recorded):
    objects = RestrictedQuerySet["Accreditation"].as_manager()  # public: every row
    id = models.CharField(max_length=200, primary_key=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="accreditations")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    granted = models.DateField()

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class AccreditationScope(models.Model):
    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="scope_entries")
    product_type = models.CharField(max_length=60, db_index=True)  # a code, or a catalogue key (rev. 2)

    class Meta:
        ordering = ["accreditation", "product_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "product_type"], name="accreditation_scope_unique"
            )
        ]


class AccreditationEvent(Recorded):
    """A dated status change for the whole accreditation (scope null) or part of its scope."""

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField(help_text=_("Order within the accreditation's events as given"))
    on = models.DateField()
    status = models.CharField(max_length=20, choices=AccreditationStatus.choices)
    scope = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    basis = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["accreditation", "position"]


class Designation(Recorded):
    objects = RestrictedQuerySet["Designation"].as_manager()  # public: every row
    id = models.CharField(max_length=200, primary_key=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="designations")
    role = models.CharField(max_length=30, choices=DesignationRole.choices)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    basis = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class DesignationScope(models.Model):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="scope_entries")
    product_type = models.CharField(max_length=60, db_index=True)  # a code, or a catalogue key (rev. 2)

    class Meta:
        ordering = ["designation", "product_type"]
        constraints = [
            models.UniqueConstraint(fields=["designation", "product_type"], name="designation_scope_unique")
        ]


class Agreement(Recorded):
    objects = RestrictedQuerySet["Agreement"].as_manager()  # public: every row
    id = models.CharField(max_length=200, primary_key=True)
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_as_party")
    counterparty = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_as_counterparty"
    )
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["id"]
        indexes = [models.Index(fields=["party", "kind"])]

    def __str__(self) -> str:
        return self.id


class AgreementScope(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scope_entries")
    product_type = models.CharField(max_length=60, db_index=True)  # a code, or a catalogue key (rev. 2)

    class Meta:
        ordering = ["agreement", "product_type"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "product_type"], name="agreement_scope_unique")
        ]
