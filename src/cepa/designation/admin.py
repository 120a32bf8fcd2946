"""View-only admin for designation plans and expressions of interest."""

from __future__ import annotations

from django.contrib import admin

from cepa.accounts.admin import ViewOnlyAdmin
from cepa.designation.models import ExpressionOfInterest, Plan


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
