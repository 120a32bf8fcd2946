"""Designation plans, expressions of interest and applications (CNCA designation of Mainland bodies)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cepa.accounts import permissions
from cepa.accounts.querysets import RestrictedQuerySet
from cepa.bodies.models import Designation, DesignationRole, Organisation, Recorded

# A plan designates many bodies: its role reads in the plural (on the calendar, in feeds and reminders).
PLAN_ROLE_LABELS = {
    DesignationRole.LABORATORY.value: _("Laboratories"),
    DesignationRole.CERTIFICATION_BODY.value: _("Certification bodies"),
}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # "status": the pages use "Published" alone for a date, which reads differently in Chinese.
    PUBLISHED = "published", pgettext_lazy("status", "Published")
    CLOSED = "closed", _("Closed early")


class PlanQuerySet(RestrictedQuerySet["Plan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        """Published (and closed) plans for everyone; drafts only for CNCA officers and administrators."""
        if permissions.can(user, "plans.view_drafts"):
            return self.all()
        return self.exclude(status=PlanStatus.DRAFT)


class Plan(Recorded):
    objects = PlanQuerySet.as_manager()
    id = models.CharField(max_length=100, primary_key=True)
    year = models.PositiveIntegerField()
    role = models.CharField(max_length=30, choices=DesignationRole.choices)
    product_types = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published = models.DateField(null=True, blank=True)
    opens = models.DateTimeField()
    closes = models.DateTimeField()
    # None required unless the publisher says so (contract rev. 2).
    requires_expression_of_interest = models.BooleanField(default=False)
    requirements_en = models.TextField(blank=True, default="")
    requirements_zh_hant = models.TextField(blank=True, default="")
    requirements_zh_hans = models.TextField(blank=True, default="")
    closed_early_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("designation plan")
        verbose_name_plural = _("designation plans")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class ExpressionOfInterestQuerySet(RestrictedQuerySet["ExpressionOfInterest"]):
    def visible_to(self, user: Any) -> ExpressionOfInterestQuerySet:
        """Officers and administrators see all; an applicant their organisation's; nobody else any."""
        if permissions.can(user, "expressions_of_interest.view_all"):
            return self.all()
        own = permissions.organisation_of(user)
        if own is not None:
            return self.filter(organisation_id=own)
        return self.none()


class ExpressionOfInterest(Recorded):
    objects = ExpressionOfInterestQuerySet.as_manager()
    id = models.CharField(max_length=100, primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    year = models.PositiveIntegerField()
    product_types = models.JSONField(default=list)
    submitted = models.DateTimeField()

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class WorkflowEvent(models.Model):
    """One step of a workflow record's history: who, when, from which status to which, and why.

    `event` names steps that are not status changes (an update, a document, an objection); their
    from and to are the unchanged status."""

    at = models.DateTimeField()
    who = models.CharField(max_length=150)
    channel = models.CharField(max_length=30, default="api")
    from_status = models.CharField(max_length=30, null=True, blank=True)
    to_status = models.CharField(max_length=30)
    reason = models.TextField(blank=True, default="")
    event = models.CharField(max_length=40, default="transition")

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class PlanEvent(WorkflowEvent):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", pgettext_lazy("status", "Refused")  # "Refused" alone is a decision: 不可以
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")  # by the applicant


class Route(models.TextChoices):
    ROUTINE = "routine", _("Routine designation (any time)")
    PLAN = "plan", _("Designation plan")


class ApplicationQuerySet(RestrictedQuerySet["Application"]):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """Approved applications are published for objections, so everyone sees them; an applicant also
        sees their organisation's; officers see every submitted one; administrators all, drafts too."""
        published = models.Q(status=ApplicationStatus.APPROVED)
        if permissions.is_admin(user):
            return self.all()
        if permissions.can(user, "applications.view_all"):
            return self.exclude(status=ApplicationStatus.DRAFT)
        own = permissions.organisation_of(user)
        if own is not None:
            return self.filter(published | models.Q(organisation_id=own))
        return self.filter(published)


class Application(models.Model):
    """A Mainland body's application to CNCA to be designated for some product types."""

    objects = ApplicationQuerySet.as_manager()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="designation_applications"
    )
    product_types = models.JSONField(default=list)
    status = models.CharField(
        max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    route = models.CharField(max_length=20, choices=Route.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    created = models.DateTimeField()
    submitted = models.DateTimeField(null=True, blank=True)
    decided = models.DateTimeField(null=True, blank=True)
    # Set on approval: the objection period and the day the designation comes into force.
    objection_period_ends = models.DateField(null=True, blank=True)
    designation_from = models.DateField(null=True, blank=True)
    designation_date_provisional = models.BooleanField(default=False)
    designation = models.ForeignKey(
        Designation, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    # Set when an upheld objection cancelled the designation.
    designation_cancelled = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("designation application")
        verbose_name_plural = _("designation applications")
        ordering = ["id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"application {self.pk} ({self.organisation_id})"


class ApplicationEvent(WorkflowEvent):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


def document_path(instance: ApplicationDocument, filename: str) -> str:
    # Named by checksum: the same bytes uploaded twice are one file on disk.
    return f"designation/applications/{instance.application_id}/{instance.sha256}.pdf"


class ApplicationDocumentQuerySet(RestrictedQuerySet["ApplicationDocument"]):
    def visible_to(self, user: Any) -> ApplicationDocumentQuerySet:
        """Supporting documents are not published: the applicant's organisation, officers and
        administrators."""
        if permissions.is_admin(user):
            return self.all()
        if permissions.can(user, "applications.view_all"):
            return self.exclude(application__status=ApplicationStatus.DRAFT)
        own = permissions.organisation_of(user)
        if own is not None:
            return self.filter(application__organisation_id=own)
        return self.none()


class ApplicationDocument(models.Model):
    """A supporting document (PDF), stored under MEDIA_ROOT with its sha256 checksum."""

    objects = ApplicationDocumentQuerySet.as_manager()

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=300)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded = models.DateTimeField()
    uploaded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class ObjectionQuerySet(RestrictedQuerySet["Objection"]):
    def visible_to(self, user: Any) -> ObjectionQuerySet:
        """Officers and administrators see all; the applicant's organisation those against its
        applications; whoever lodged one sees it."""
        if permissions.can(user, "objections.view_all"):
            return self.all()
        if permissions.role_of(user) is None:
            return self.none()
        mine = models.Q(lodged_by=user.get_username())
        own = permissions.organisation_of(user)
        if own is not None:
            mine |= models.Q(application__organisation_id=own)
        return self.filter(mine)


class Objection(models.Model):
    """An objection to an approved application, lodged during its objection period."""

    objects = ObjectionQuerySet.as_manager()

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    grounds = models.TextField()
    # The member of the public an officer lodges it for (blank when the lodger objects in person).
    on_behalf_of = models.CharField(max_length=200, blank=True, default="")
    lodged = models.DateTimeField()
    lodged_by = models.CharField(max_length=150)
    status = models.CharField(
        max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING, db_index=True
    )
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decision_reason = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"objection {self.pk} to application {self.application_id}"
