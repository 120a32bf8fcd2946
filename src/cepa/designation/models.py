"""Designation plans and expressions of interest (the plan route of CNCA designation)."""

from __future__ import annotations

from django.db import models

from cepa.bodies.models import DesignationRole, Organisation, Recorded


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed early"


class Plan(Recorded):
    id = models.CharField(max_length=100, primary_key=True)
    year = models.PositiveIntegerField()
    role = models.CharField(max_length=30, choices=DesignationRole.choices)
    product_types = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published = models.DateField(null=True, blank=True)
    opens = models.DateTimeField()
    closes = models.DateTimeField()
    requires_expression_of_interest = models.BooleanField(default=True)
    requirements_en = models.TextField(blank=True, default="")
    requirements_zh_hant = models.TextField(blank=True, default="")
    requirements_zh_hans = models.TextField(blank=True, default="")
    closed_early_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class ExpressionOfInterest(Recorded):
    id = models.CharField(max_length=100, primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    year = models.PositiveIntegerField()
    product_types = models.JSONField(default=list)
    submitted = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "expressions of interest"

    def __str__(self) -> str:
        return self.id
