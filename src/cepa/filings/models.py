"""Cooperation agreement filings: the workflow record that becomes a registry agreement on acceptance.

A filing is never part of the registry itself. Acceptance writes the `bodies.Agreement` of the same id
(the record the rules engine and the export read); until then nothing outside this app sees it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cepa.accounts import permissions
from cepa.accounts.querysets import RestrictedQuerySet
from cepa.bodies.models import Agreement, AgreementKind, Organisation


class FilingStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


# Agreement II amending the CEPA Agreement on Trade in Services (in force 1 March 2025): cooperation
# agreements with Mainland CCC certification bodies are filed with CNCA rather than approved by it.
FILED_FROM = dt.date(2025, 3, 1)


class Procedure(models.TextChoices):
    APPROVAL = "approval", _("Approval by CNCA (agreements dated before 1 March 2025)")
    FILING = "filing", _("Filing with CNCA (agreements dated from 1 March 2025)")


def procedure_for(day: dt.date) -> Procedure:
    """Which CNCA procedure applies to a cooperation agreement dated `day` (its `from`)."""
    return Procedure.APPROVAL if day < FILED_FROM else Procedure.FILING


class AgreementFilingQuerySet(RestrictedQuerySet["AgreementFiling"]):
    def visible_to(self, user: Any) -> AgreementFilingQuerySet:
        """Officers and administrators see every filing; an applicant those of their organisation (as
        party or counterparty); nobody else any."""
        if permissions.can(user, "filings.view_all"):
            return self.all()
        own = permissions.organisation_of(user)
        if own is not None:
            return self.filter(models.Q(party_id=own) | models.Q(counterparty_id=own))
        return self.none()


class AgreementFiling(models.Model):
    objects = AgreementFilingQuerySet.as_manager()
    id = models.CharField(max_length=100, primary_key=True)
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="filings_as_party")
    counterparty = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="filings_as_counterparty"
    )
    product_types = models.JSONField(default=list)  # sorted 4-digit codes
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=FilingStatus.choices, db_index=True)
    filed_at = models.DateTimeField()
    filed_by = models.CharField(max_length=150)
    accepted_on = models.DateField(null=True, blank=True)
    returned_reason = models.TextField(blank=True, default="")
    terminated_on = models.DateField(null=True, blank=True)  # first day no longer in force
    expired_on = models.DateField(null=True, blank=True)  # the day the sweep found it past `until`
    # The registry agreement written on acceptance (same id as the filing).
    agreement = models.OneToOneField(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="filing"
    )

    class Meta:
        verbose_name = _("agreement filing")
        verbose_name_plural = _("agreement filings")
        ordering = ["id"]
        indexes = [models.Index(fields=["party", "status"]), models.Index(fields=["counterparty", "status"])]

    def __str__(self) -> str:
        return self.id

    @property
    def procedure(self) -> Procedure:
        return procedure_for(self.valid_from)


class FilingTransition(models.Model):
    """One step of a filing's history: who moved it from which status to which, when and why (the same
    fields as the designation workflows' events)."""

    filing = models.ForeignKey(AgreementFiling, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField()
    who = models.CharField(max_length=150)
    channel = models.CharField(max_length=30, default="api")
    from_status = models.CharField(max_length=20, null=True, blank=True)  # null: the filing itself
    to_status = models.CharField(max_length=20, choices=FilingStatus.choices)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["filing", "at", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id}: {self.from_status or '-'} → {self.to_status}"
