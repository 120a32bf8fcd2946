from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cepa.enquiries.models import Enquiry
from cepa.viewonly import NoPersonalDataLookups


@admin.register(Enquiry)
class EnquiryAdmin(NoPersonalDataLookups, admin.ModelAdmin):
    """Each sector's queue is the list filtered by `queue`; enquiries arrive through the public form only.
    The enquirer's name, email and message are personal: shown on the enquiry, never searched or filtered
    on (find an enquiry by its reference)."""

    list_display = ("reference", "submitted_at", "queue", "product_type", "status", "name")
    list_filter = ("queue", "status")
    search_fields = ("reference",)
    personal_fields = ("name", "message", "organisation")
    readonly_fields = ("reference", "product_type", "queue", "name", "email", "organisation", "message",
                       "language", "submitted_at", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
