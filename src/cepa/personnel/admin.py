"""View-only admin for inspectors (personal data is shown here, to staff only, and nowhere public)."""

from __future__ import annotations

from django.contrib import admin

from cepa.accounts.admin import ViewOnlyAdmin, ViewOnlyTabularInline
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent


class AffiliationInline(ViewOnlyTabularInline):
    model = Affiliation


class InspectorEventInline(ViewOnlyTabularInline):
    model = InspectorEvent


@admin.register(Inspector)
class InspectorAdmin(ViewOnlyAdmin):
    list_display = ["id", "name_en", "grade", "registered", "expires"]
    list_filter = ["grade"]
    search_fields = ["id", "name_en", "name_zh_hant", "name_zh_hans", "affiliations__organisation__id"]
    inlines = [AffiliationInline, InspectorEventInline]
