"""View-only admin for agreement filings (writes go through the API's review and terminate)."""

from __future__ import annotations

from django.contrib import admin

from cepa.filings.models import AgreementFiling, FilingTransition
from cepa.viewonly import ViewOnlyAdmin, ViewOnlyTabularInline


class FilingTransitionInline(ViewOnlyTabularInline):
    model = FilingTransition
    fields = ["at", "who", "channel", "from_status", "to_status", "reason"]


@admin.register(AgreementFiling)
class AgreementFilingAdmin(ViewOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "party",
        "counterparty",
        "valid_from",
        "valid_until",
        "status",
        "accepted_on",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["id", "party__id", "party__name_en", "counterparty__id", "counterparty__name_en"]
    list_select_related = ["party", "counterparty"]
    date_hierarchy = "filed_at"
    inlines = [FilingTransitionInline]
