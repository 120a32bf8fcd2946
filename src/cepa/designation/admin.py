"""View-only admin for designation plans, expressions of interest, applications and objections
(changes go through the services, never the admin)."""

from __future__ import annotations

from django.contrib import admin

from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ExpressionOfInterest,
    Objection,
    Plan,
)
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline


@admin.register(Plan)
class PlanAdmin(ViewOnlyAdmin):
    list_display = ["id", "year", "role", "status", "published", "opens", "closes"]
    list_filter = ["status", "role", "year"]
    search_fields = ["id"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(ViewOnlyAdmin):
    list_display = ["id", "organisation", "year", "submitted"]
    list_filter = ["year"]
    search_fields = ["id", "organisation__id", "organisation__name_en"]
    list_select_related = ["organisation"]


class ApplicationEventInline(ViewOnlyTabularInline):
    model = ApplicationEvent
    fields = ("at", "who", "from_status", "to_status", "event", "reason")
    readonly_fields = ("at", "who", "from_status", "to_status", "event", "reason")


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    list_display = ["id", "organisation", "status", "route", "plan", "designation_from"]
    list_filter = ["status", "route"]
    search_fields = ["id", "organisation__id", "organisation__name_en"]
    list_select_related = ["organisation"]
    inlines = [ApplicationEventInline]


@admin.register(Objection)
class ObjectionAdmin(ViewOnlyAdmin):
    list_display = ["id", "application", "status", "lodged", "lodged_by", "decided"]
    list_filter = ["status"]
    search_fields = ["id", "application__organisation__id", "lodged_by"]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ViewOnlyAdmin):
    list_display = ["id", "application", "filename", "size", "sha256", "uploaded"]
    search_fields = ["filename", "sha256"]
