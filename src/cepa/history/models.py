"""The append-only change record. Rows are written once, never updated or deleted."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a change-log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the change log is append-only: rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the change log is append-only: rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the change log is append-only: rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the change log is append-only: rows cannot be deleted")


class ChangeSet(AppendOnlyModel):
    """One write: who did it, when, why and through which channel."""

    actor = models.CharField(max_length=150)
    at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True, default="")
    channel = models.CharField(max_length=30, default="service")  # import, api, cli, admin, web, system
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("change set")
        verbose_name_plural = _("change sets")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class Change(AppendOnlyModel):
    """One record's before and after within a change set (record_type is the interchange list name)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Added")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Removed")
        TRANSITION = "transition", _("Status changed")

    changeset = models.ForeignKey(ChangeSet, on_delete=models.PROTECT, related_name="changes")
    record_type = models.CharField(max_length=50)
    record_id = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["id"]
        indexes = [models.Index(fields=["record_id", "record_type"])]

    def __str__(self) -> str:
        return f"{self.action} {self.record_type}/{self.record_id}"


class RegistryVersion(models.Model):
    """One row: a number every change set raises, in the writing transaction, and when it last did.

    HTTP validators (ETag, Last-Modified) are derived from it. The change sets' own ids cannot serve: on
    PostgreSQL two writers may commit in the other order than they took their ids, so the highest id can
    stay the same while a change becomes visible. Raising this number takes the row's lock until commit,
    so every commit makes a new, higher number.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    number = models.BigIntegerField(default=0)
    at = models.DateTimeField()

    objects: models.Manager[RegistryVersion] = models.Manager()

    def __str__(self) -> str:
        return f"registry version {self.number} at {self.at:%Y-%m-%d %H:%M:%S}"
