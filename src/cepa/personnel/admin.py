"""View-only admin for the inspector register.

Personal data (date of birth, identity document, email, phone) is not shown here: it is read only
through the logged endpoint (GET /api/v1/inspectors/{id}/personal-data, `cepa inspector personal`),
so that every read by staff is recorded. Nor is it a filter or a search (cepa.viewonly refuses any
lookup on it). An inspector is a person: every view of an inspector's page here is logged too
(PersonalDataAccess, channel "admin"), with the fields the page showed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from cepa.personnel.models import (
    Affiliation,
    AnnualConfirmation,
    Inspector,
    InspectorEvent,
    PersonalDataAccess,
    Renewal,
    Transfer,
)
from cepa.personnel.services.personal_data import log_record_view
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline

PERSONAL_FIELDS = ["date_of_birth", "identity_document", "email", "phone"]


class AffiliationInline(ViewOnlyTabularInline):
    model = Affiliation


class InspectorEventInline(ViewOnlyTabularInline):
    model = InspectorEvent


class RenewalInline(ViewOnlyTabularInline):
    model = Renewal


class AnnualConfirmationInline(ViewOnlyTabularInline):
    model = AnnualConfirmation


@admin.register(Inspector)
class InspectorAdmin(ViewOnlyAdmin):
    list_display = ["id", "name_en", "grade", "registered", "expires"]
    list_filter = ["grade"]
    search_fields = ["id", "name_en", "name_zh_hant", "name_zh_hans", "affiliations__organisation__id"]
    exclude = PERSONAL_FIELDS
    inlines = [AffiliationInline, InspectorEventInline, RenewalInline, AnnualConfirmationInline]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            inspector_id = unquote(object_id)
            shown = [*self.get_fields(request), *(inline.model._meta.model_name for inline in self.inlines)]
            log_record_view(
                actor=f"user:{request.user.get_username()}",
                inspector_id=inspector_id,
                fields=[str(name) for name in shown],
                channel="admin",
            )
        return response


@admin.register(Transfer)
class TransferAdmin(ViewOnlyAdmin):
    list_display = ["id", "inspector", "from_organisation", "to_organisation", "effective", "status"]
    list_filter = ["status"]
    search_fields = ["inspector__id", "inspector__name_en", "to_organisation__id", "from_organisation__id"]
    list_select_related = ["inspector"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ViewOnlyAdmin):
    list_display = ["at", "actor", "inspector_id", "fields", "channel"]
    list_filter = ["channel"]
    search_fields = ["actor", "inspector_id"]
