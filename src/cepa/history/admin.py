"""The change log in the admin: read-only, as the log itself is append-only."""

from __future__ import annotations

from django.contrib import admin

from cepa.history.models import Change, ChangeSet
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline


class ChangeInline(ViewOnlyTabularInline):
    model = Change
    fields = ("record_type", "record_id", "action", "before", "after")
    readonly_fields = ("record_type", "record_id", "action", "before", "after")


@admin.register(ChangeSet)
class ChangeSetAdmin(ViewOnlyAdmin):
    list_display = ["id", "at", "actor", "channel", "reason"]
    list_filter = ["channel"]
    search_fields = ["actor", "reason", "request_id"]
    date_hierarchy = "at"
    inlines = [ChangeInline]


@admin.register(Change)
class ChangeAdmin(ViewOnlyAdmin):
    list_display = ["id", "changeset", "record_type", "record_id", "action"]
    list_filter = ["record_type", "action"]
    search_fields = ["record_id"]
    list_select_related = ["changeset"]
