"""The view-only admin base every app's admin uses: the admin is for looking, the services are for writing.

Registry records, accounts and the history are view-only in the admin: writes go through the services (the
API, `cepa import`, the `user` and `token` commands), which validate and record the history. It lives outside
every app so that any app's admin can use it without depending on another app.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest


class ViewOnly:
    """No add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ViewOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


class ViewOnlyTabularInline(ViewOnly, admin.TabularInline):
    extra = 0
    can_delete = False
