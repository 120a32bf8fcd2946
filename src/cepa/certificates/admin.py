"""View-only admin for certificates and their chain (writes go through cepa.certificates.services: the
portal, the API and the import)."""

from __future__ import annotations

from django.contrib import admin

from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline


class CertificateReportInline(ViewOnlyTabularInline):
    model = CertificateReport
    fields = ["position", "test_report"]


class CertificateInspectionInline(ViewOnlyTabularInline):
    model = CertificateInspection
    fields = ["position", "inspection"]


class CertificateEventInline(ViewOnlyTabularInline):
    model = CertificateEvent
    fields = ["position", "on", "status", "reason"]


@admin.register(Certificate)
class CertificateAdmin(ViewOnlyAdmin):
    list_display = ["id", "holder_en", "product_type", "issuer", "issued", "expires"]
    list_filter = ["product_type"]
    search_fields = ["id", "holder_en", "holder_zh_hant", "holder_zh_hans", "issuer__id"]
    list_select_related = ["issuer"]
    date_hierarchy = "issued"
    inlines = [CertificateReportInline, CertificateInspectionInline, CertificateEventInline]


@admin.register(TestReport)
class TestReportAdmin(ViewOnlyAdmin):
    list_display = ["id", "laboratory", "product_type", "issued", "certification_body"]
    search_fields = ["id", "laboratory__id", "certification_body__id"]
    list_select_related = ["laboratory", "certification_body"]
    date_hierarchy = "issued"


class InspectionInspectorInline(ViewOnlyTabularInline):
    model = InspectionInspector
    fields = ["position", "inspector"]


@admin.register(FactoryInspection)
class FactoryInspectionAdmin(ViewOnlyAdmin):
    list_display = ["id", "organisation", "on_behalf_of", "product_type", "on"]
    search_fields = ["id", "organisation__id", "on_behalf_of__id"]
    list_select_related = ["organisation", "on_behalf_of"]
    date_hierarchy = "on"
    inlines = [InspectionInspectorInline]
