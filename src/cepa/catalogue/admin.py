"""The catalogue in the admin: view only. Reference data changes through the shipped files in data/."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cepa.catalogue.models import (
    CataloguePeriod,
    CatalogueVersion,
    Category,
    CepaMeasure,
    Contact,
    Instrument,
    ProductType,
    ProductTypeChange,
    ReferenceDataRelease,
    RouteSpan,
    RoutineProvision,
    RoutineScopeEntry,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing follows Django's view permission; adding, changing and deleting are never allowed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ("key", "title_en", "issued", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("key", "title_en", "title_zh_hant", "title_zh_hans")


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(ReadOnlyAdmin):
    list_display = ("key", "instrument", "effective", "category_count", "product_type_count")


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("key", "number_2023", "number_2020", "name_en", "sector", "sector_confirmed")
    list_filter = ("sector",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PeriodInline(ReadOnlyInline):
    model = CataloguePeriod
    fields = (
        "start", "start_confirmed", "until", "end_confirmed", "started_by", "ended_by", "mandatory_from",
    )


class RouteSpanInline(ReadOnlyInline):
    model = RouteSpan
    fields = ("route", "start", "until", "instrument", "confirmed")


class ChangeInline(ReadOnlyInline):
    model = ProductTypeChange
    fk_name = "product_type"
    fields = ("key", "kind", "instrument", "effective", "applications_from", "mandatory_from", "new_route")


@admin.register(ProductType)
class ProductTypeAdmin(ReadOnlyAdmin):
    list_display = (
        "key", "code", "name_en", "category", "route", "applications_from", "removed_on", "confirmed",
    )
    list_filter = ("category", "route", "confirmed", "versions")
    search_fields = ("key", "code", "name_en", "name_zh_hant", "name_zh_hans")
    inlines = (PeriodInline, RouteSpanInline, ChangeInline)


@admin.register(CataloguePeriod)
class CataloguePeriodAdmin(ReadOnlyAdmin):
    list_display = (
        "product_type", "start", "start_confirmed", "until", "end_confirmed", "started_by", "ended_by",
    )
    list_filter = ("start_confirmed", "end_confirmed", "started_by")
    search_fields = ("product_type__key", "product_type__code", "product_type__name_en")


@admin.register(RouteSpan)
class RouteSpanAdmin(ReadOnlyAdmin):
    list_display = ("product_type", "route", "start", "until", "instrument", "confirmed")
    list_filter = ("route", "confirmed", "instrument")
    search_fields = ("product_type__key", "product_type__code", "product_type__name_en")


@admin.register(ProductTypeChange)
class ProductTypeChangeAdmin(ReadOnlyAdmin):
    list_display = ("key", "product_type", "kind", "instrument", "effective", "confirmed")
    list_filter = ("kind", "instrument")


@admin.register(RoutineScopeEntry)
class RoutineScopeEntryAdmin(ReadOnlyAdmin):
    list_display = ("product_type", "instrument", "valid_from", "valid_until", "confirmed")
    list_filter = ("instrument",)


@admin.register(RoutineProvision)
class RoutineProvisionAdmin(ReadOnlyAdmin):
    list_display = ("key", "instrument", "applicant", "scope_confirmed", "confirmed")
    list_filter = ("instrument", "applicant")


@admin.register(CepaMeasure)
class CepaMeasureAdmin(ReadOnlyAdmin):
    list_display = ("key", "activity", "signed", "effective", "until", "place_restricted", "confirmed")
    list_filter = ("activity", "confirmed")
    search_fields = ("key", "name_en", "name_zh_hant", "name_zh_hans")


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("sector", "name_en", "phone", "email")


@admin.register(ReferenceDataRelease)
class ReferenceDataReleaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "checksum", "loaded_at")
