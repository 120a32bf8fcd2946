"""Enquiries sent through the public site, each routed to the queue of its product's sector.

They hold personal data (name, email, message): never public, never exported, never in the change log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cepa.catalogue.models import Sector


class EnquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("status", "Closed")  # "Closed" alone is a deadline passed


class Enquiry(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    product_type = models.CharField(max_length=60, help_text="The code or catalogue key asked about")
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
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return self.reference
