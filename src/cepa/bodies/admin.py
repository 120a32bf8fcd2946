"""View-only admin for the registry of bodies (writes go through the API or `cepa import`)."""

from __future__ import annotations

from django.contrib import admin

from cepa.bodies.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline

NAME_SEARCH = ["id", "name_en", "name_zh_hant", "name_zh_hans"]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyAdmin):
    list_display = ["id", "name_en", "kind", "seat", "hk_invested", "cnca_code"]
    list_filter = ["kind", "seat", "hk_invested"]
    search_fields = NAME_SEARCH


class AccreditationScopeInline(ViewOnlyTabularInline):
    model = AccreditationScope


class AccreditationEventInline(ViewOnlyTabularInline):
    model = AccreditationEvent


@admin.register(Accreditation)
class AccreditationAdmin(ViewOnlyAdmin):
    list_display = ["id", "organisation", "scheme", "granted"]
    list_filter = ["scheme"]
    search_fields = ["id", "organisation__id", "organisation__name_en", "scope_entries__product_type"]
    list_select_related = ["organisation"]
    inlines = [AccreditationScopeInline, AccreditationEventInline]


class DesignationScopeInline(ViewOnlyTabularInline):
    model = DesignationScope


@admin.register(Designation)
class DesignationAdmin(ViewOnlyAdmin):
    list_display = ["id", "organisation", "role", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["id", "organisation__id", "organisation__name_en", "scope_entries__product_type"]
    list_select_related = ["organisation"]
    inlines = [DesignationScopeInline]


class AgreementScopeInline(ViewOnlyTabularInline):
    model = AgreementScope


@admin.register(Agreement)
class AgreementAdmin(ViewOnlyAdmin):
    list_display = ["id", "kind", "party", "counterparty", "valid_from", "valid_until", "terminated_on"]
    list_filter = ["kind"]
    search_fields = ["id", "party__id", "party__name_en", "counterparty__id", "counterparty__name_en"]
    list_select_related = ["party", "counterparty"]
    inlines = [AgreementScopeInline]
