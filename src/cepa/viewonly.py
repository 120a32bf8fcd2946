"""The view-only admin base every app's admin uses: the admin is for looking, the services are for writing.

Registry records, accounts and the history are view-only in the admin: writes go through the services (the
API, `cepa import`, the `user` and `token` commands), which validate and record the history. It lives outside
every app so that any app's admin can use it without depending on another app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

# Columns that hold personal data wherever they appear: never a filter, a search or a lookup in the admin
# (a filter answers "is this person's date of birth X?" one request at a time).
PERSONAL_DATA_FIELDS = frozenset({"date_of_birth", "identity_document", "email", "phone"})


class NoPersonalDataLookups:
    """Refuses admin changelist lookups (`?date_of_birth=…`, `?inspector__email__startswith=…`) that touch a
    personal-data column: Django's admin otherwise accepts any lookup on a model's own fields, shown or
    not. An admin names further personal columns of its model in `personal_fields`."""

    personal_fields: tuple[str, ...] = ()

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest | None = None) -> bool:
        parts = set(lookup.split("__"))
        if parts & (PERSONAL_DATA_FIELDS | set(self.personal_fields)):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]


class ViewOnly:
    """No add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ViewOnlyAdmin(NoPersonalDataLookups, ViewOnly, admin.ModelAdmin):
    pass


class ViewOnlyTabularInline(ViewOnly, admin.TabularInline):
    extra = 0
    can_delete = False
