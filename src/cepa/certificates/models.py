"""CCC certificates and the chain that made them (contract rev. 2, §1): test reports by laboratories,
factory inspections by inspection bodies' inspectors, and the certificates a certification body issues
on them, with dated status events.

Every record is public. Product types are stored as given (a code or a catalogue key); the services
and the import check them against the catalogue.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cepa.accounts.querysets import RestrictedQuerySet
from cepa.bodies.models import Organisation, Recorded
from cepa.personnel.models import Inspector


class CertificateStatus(models.TextChoices):
    """A certificate's status on a date (§1): the two outside its dates, and those its events set."""

    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class EventStatus(models.TextChoices):
    """The statuses an event may set."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")


class TestReport(Recorded):
    """A laboratory's test report, made for a certification body."""

    __test__ = False  # not a pytest test class
    objects = RestrictedQuerySet["TestReport"].as_manager()  # public: every row

    id = models.CharField(max_length=100, primary_key=True)
    laboratory = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="test_reports")
    product_type = models.CharField(max_length=60, db_index=True)  # a code, or a catalogue key
    issued = models.DateField()
    certification_body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="test_reports_received"
    )

    class Meta:
        verbose_name = _("test report")
        verbose_name_plural = _("test reports")
        ordering = ["id"]
        indexes = [models.Index(fields=["laboratory", "issued"])]

    def __str__(self) -> str:
        return self.id


class FactoryInspection(Recorded):
    """A factory inspection by `organisation`'s inspectors, made on behalf of a certification body."""

    objects = RestrictedQuerySet["FactoryInspection"].as_manager()  # public: every row

    id = models.CharField(max_length=100, primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="factory_inspections"
    )
    on_behalf_of = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="factory_inspections_commissioned"
    )
    product_type = models.CharField(max_length=60, db_index=True)
    on = models.DateField()

    class Meta:
        verbose_name = _("factory inspection")
        verbose_name_plural = _("factory inspections")
        ordering = ["id"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return self.id


class InspectionInspector(models.Model):
    """One inspector of a factory inspection, in the order the record gives them."""

    inspection = models.ForeignKey(
        FactoryInspection, on_delete=models.CASCADE, related_name="inspector_entries"
    )
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="factory_inspections")
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("inspector of an inspection")
        verbose_name_plural = _("inspectors of inspections")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "inspector"], name="inspection_inspector_unique")
        ]


class Certificate(Recorded):
    """A CCC certificate; `id` is its 16-digit number (year, issuer's CNCA code, product code, serial)."""

    objects = RestrictedQuerySet["Certificate"].as_manager()  # public: every row

    id = models.CharField(max_length=16, primary_key=True)
    holder_en = models.CharField(max_length=300)
    holder_zh_hant = models.CharField(max_length=300, blank=True, default="")
    holder_zh_hans = models.CharField(max_length=300, blank=True, default="")
    product_type = models.CharField(max_length=60, db_index=True)
    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certificates_issued")
    issued = models.DateField()
    expires = models.DateField()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["id"]
        indexes = [models.Index(fields=["issuer", "issued"])]

    def __str__(self) -> str:
        return self.id


class CertificateReport(models.Model):
    """A test report a certificate cites, in the certificate's order."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="report_links")
    test_report = models.ForeignKey(TestReport, on_delete=models.PROTECT, related_name="certificate_links")
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("test report cited")
        verbose_name_plural = _("test reports cited")
        ordering = ["certificate", "position"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "test_report"], name="certificate_report_unique")
        ]


class CertificateInspection(models.Model):
    """A factory inspection a certificate cites, in the certificate's order."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="inspection_links")
    inspection = models.ForeignKey(
        FactoryInspection, on_delete=models.PROTECT, related_name="certificate_links"
    )
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("factory inspection cited")
        verbose_name_plural = _("factory inspections cited")
        ordering = ["certificate", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "inspection"], name="certificate_inspection_unique"
            )
        ]


class CertificateEvent(Recorded):
    """A dated status change of a certificate (suspended, revoked, cancelled, or valid again)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField()
    on = models.DateField()
    status = models.CharField(max_length=20, choices=EventStatus.choices)
    reason = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("certificate status event")
        verbose_name_plural = _("certificate status events")
        ordering = ["certificate", "position"]
        indexes = [models.Index(fields=["certificate", "on"])]
