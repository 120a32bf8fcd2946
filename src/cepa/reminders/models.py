"""Reminders as rows: what to say (kind, context), to whom, when; and one delivery per recipient.

A `Reminder` is scheduled under a unique key (so scheduling is idempotent). When it falls due the
sweep resolves its recipients into `Delivery` rows (one per email address, unique), and sends each
delivery at most once; see cepa.reminders.sweep for the states and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cepa.bodies.models import Organisation


class Language(models.TextChoices):
    # Each language named in itself, as the language switcher names it (not translated).
    EN = "en", "English"
    ZH_HANT = "zh-Hant", "繁體中文"
    ZH_HANS = "zh-Hans", "简体中文"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for its due time
    DISPATCHED = "dispatched", _("Dispatched")  # recipients resolved into deliveries
    CANCELLED = "cancelled", pgettext_lazy("reminder status", "Cancelled")
    SKIPPED = "skipped", _("Skipped")  # stale before it could be sent, or nobody to send it to


class Reminder(models.Model):
    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=60, db_index=True)
    due = models.DateTimeField()
    # After this moment the reminder is pointless (the deadline it announces has passed).
    stale_after = models.DateTimeField(null=True, blank=True)
    # Recipients: the applicants of an organisation, the users of a role, explicit addresses.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    role = models.CharField(max_length=20, blank=True, default="")
    emails = models.JSONField(default=list, blank=True)
    # Blank: each recipient's own language (their preference, else their organisation's default).
    language = models.CharField(max_length=10, choices=Language.choices, blank=True, default="")
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING, db_index=True
    )
    generated = models.BooleanField(default=False, help_text=_("Computed by `cepa plan-reminders`"))
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return self.key


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Claimed")  # taken by a sweep, not yet handed to the email backend
    SENDING = "sending", _("Sending")  # handed to the email backend; outcome not yet recorded
    SENT = "sent", pgettext_lazy("status", "Sent")  # "Sent" alone is a date on the pages
    FAILED = "failed", _("Failed")  # the backend refused it too many times
    UNCERTAIN = "uncertain", _("Uncertain")  # the sweep died while sending: maybe sent, never resent
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    email = models.CharField(max_length=254)
    username = models.CharField(max_length=150, blank=True, default="")
    language = models.CharField(max_length=10, choices=Language.choices)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    claim_token = models.CharField(max_length=40, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # After a refused attempt: not tried again before this moment (the backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "email"], name="delivery_once_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.reminder.key} → {self.email}"


class LanguagePreference(models.Model):
    """The language a user wants reminders in (else their organisation's default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_language"
    )
    language = models.CharField(max_length=10, choices=Language.choices)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")


class CalendarFeedKey(models.Model):
    """An organisation's calendar feed key material: the feed key is an HMAC of the organisation's id and
    this random salt under SECRET_KEY, so rotating the salt (`cepa calendar-url --rotate ORG`) revokes
    the address calendar programs hold, for that organisation alone. Without a row the salt is empty.
    The salt never enters the change log; the history records each rotation by its version."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="calendar_feed_key"
    )
    salt = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    rotated_at = models.DateTimeField()
    rotated_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"{self.organisation_id} feed key v{self.version}"
