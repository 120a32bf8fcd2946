"""Admin for reminders: view-only, plus the two operator decisions the sweep leaves to people
(cancel a pending reminder; send an uncertain delivery again), both through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cepa.reminders.models import Delivery, DeliveryStatus, LanguagePreference, Reminder, ReminderStatus
from cepa.reminders.services import cancel_keys
from cepa.reminders.sweep import requeue_uncertain
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline


def _actor(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


class DeliveryInline(ViewOnlyTabularInline):
    model = Delivery
    fields = ["email", "language", "status", "attempts", "sent_at", "last_error"]


@admin.register(Reminder)
class ReminderAdmin(ViewOnlyAdmin):
    list_display = ["key", "kind", "due", "organisation", "role", "status", "generated"]
    list_filter = ["status", "kind", "generated"]
    search_fields = ["key", "organisation__id", "organisation__name_en"]
    list_select_related = ["organisation"]
    date_hierarchy = "due"
    inlines = [DeliveryInline]
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected pending reminders"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        keys = list(queryset.filter(status=ReminderStatus.PENDING).values_list("key", flat=True))
        done = cancel_keys(actor=_actor(request), keys=keys, reason="cancelled in the admin", channel="admin")
        message = ngettext("Cancelled %(count)d reminder.", "Cancelled %(count)d reminders.", len(done))
        self.message_user(request, message % {"count": len(done)})

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        return actions if request.user.is_superuser else {}


@admin.register(Delivery)
class DeliveryAdmin(ViewOnlyAdmin):
    list_display = ["id", "reminder", "email", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["username", "reminder__key"]  # not the address: personal data
    list_select_related = ["reminder"]
    actions = ["requeue"]

    @admin.action(description=_("Send the selected uncertain deliveries again (a copy may arrive twice)"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        ids = list(queryset.filter(status=DeliveryStatus.UNCERTAIN).values_list("pk", flat=True))
        done = requeue_uncertain(actor=_actor(request), ids=ids, channel="admin") if ids else []
        message = ngettext("Requeued %(count)d delivery.", "Requeued %(count)d deliveries.", len(done))
        self.message_user(request, message % {"count": len(done)})

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        return actions if request.user.is_superuser else {}


@admin.register(LanguagePreference)
class LanguagePreferenceAdmin(ViewOnlyAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
