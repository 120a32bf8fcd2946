"""Enquiries sent through the public site, each routed to the queue of its product's sector.

They hold personal data (name, email, message): never public, never exported, never in the change log.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cepa.accounts import permissions
from cepa.catalogue.models import Sector


class EnquiryStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("enquiry status", "New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("status", "Closed")  # "Closed" alone is a deadline passed


class EnquiryQuerySet(models.QuerySet["Enquiry"]):
    def visible_to(self, user: Any) -> EnquiryQuerySet:
        """CNCA officers and administrators read the queues; nobody else reads any enquiry (the enquirer
        sees their own by its reference and their email, cepa.enquiries.selectors.enquiry_for_enquirer)."""
        return self.all() if permissions.can(user, "enquiries.view") else self.none()


class Enquiry(models.Model):
    objects = EnquiryQuerySet.as_manager()
    reference = models.CharField(max_length=20, unique=True)
    product_type = models.CharField(max_length=60, help_text=_("The code or catalogue key asked about"))
    # The queue is the enquiry sector: CNCA handles electrical and electronic products apart from the rest.
    queue = models.CharField(max_length=40, choices=Sector.choices, db_index=True)
    status = models.CharField(max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.NEW)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200, blank=True, default="")
    message = models.TextField()
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return self.reference


class EnquiryReply(models.Model):
    """A reply CNCA sent to the enquirer by email, kept on the record as sent."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="replies")
    sent_at = models.DateTimeField()
    sent_by = models.CharField(max_length=150)
    language = models.CharField(max_length=10)  # the enquirer's: the language the email went out in
    subject = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        ordering = ["enquiry", "sent_at", "id"]
        verbose_name = _("enquiry reply")
        verbose_name_plural = _("enquiry replies")

    def __str__(self) -> str:
        return f"{self.enquiry_id}: {self.sent_at:%Y-%m-%d %H:%M}"


class EnquiryTransition(models.Model):
    """One step of an enquiry's history: who moved it from which status to which, when and why (the same
    fields as the other workflows' history). A reply is a step to `answered`, even from `answered`."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField()
    who = models.CharField(max_length=150)
    channel = models.CharField(max_length=30, default="web")
    event = models.CharField(max_length=20)  # received | reply | close | reopen
    from_status = models.CharField(max_length=20, null=True, blank=True)  # null: the enquiry itself
    to_status = models.CharField(max_length=20, choices=EnquiryStatus.choices)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["enquiry", "at", "id"]
        verbose_name = _("enquiry history entry")
        verbose_name_plural = _("enquiry history entries")

    def __str__(self) -> str:
        return f"{self.enquiry_id}: {self.from_status or '-'} → {self.to_status}"
