"""Accounts: a role (and, for applicants, one organisation) for each Django user, and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (staff of one organisation)")
    HKAS_OFFICER = "hkas_officer", _("HKAS officer")
    CNCA_OFFICER = "cnca_officer", _("CNCA officer")
    CCAA_REGISTRAR = "ccaa_registrar", _("CCAA registrar")
    ADMIN = "admin", _("Administrator")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)
    # Only applicants act for an organisation; the service enforces it.
    organisation = models.ForeignKey(
        # By name: accounts sit below the registry's apps (their querysets ask accounts' predicates).
        "bodies.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="applicant", organisation__isnull=False)
                | (~models.Q(role="applicant") & models.Q(organisation__isnull=True)),
                name="profile_organisation_only_for_applicants",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A bearer token. Only the sha256 digest of the whole token is stored; `prefix` identifies it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=20, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.prefix

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
