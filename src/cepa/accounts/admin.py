"""Admin for accounts: view only, like every registry admin (writes go through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cepa.accounts.models import ApiToken, Profile
from cepa.accounts.services import revoke_token
from cepa.errors import CepaError
from cepa.viewonly import NoPersonalDataLookups, ViewOnlyAdmin, ViewOnlyTabularInline


@admin.register(Profile)
class ProfileAdmin(ViewOnlyAdmin):
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__id", "organisation__name_en"]
    list_select_related = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin):
    list_display = ["prefix", "user", "created_at", "last_used", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__username"]
    list_select_related = ["user"]
    exclude = ["digest"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                revoke_token(
                    actor=f"admin:{request.user.get_username()}", prefix=token.prefix, channel="admin"
                )
                revoked += 1
            except CepaError as error:
                self.message_user(request, error.message, messages.WARNING)
        done = ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked)
        self.message_user(request, done % {"count": revoked})

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The revoke action writes through the service; offer it to superusers only.
        actions = super().get_actions(request)
        return actions if request.user.is_superuser else {}


class ProfileInline(ViewOnlyTabularInline):
    model = Profile
    fields = ["role", "organisation"]
    readonly_fields = ["role", "organisation"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithRoleAdmin(NoPersonalDataLookups, UserAdmin):
    """Django's user admin (passwords, activation) with the role shown; roles change only via services.
    Found by username: names and addresses are personal data, never searched or filtered on."""

    inlines = [ProfileInline]
    list_display = ["username", "email", "is_active", "is_staff", "profile_role"]
    list_select_related = ["profile"]
    search_fields = ["username"]
    personal_fields = ("first_name", "last_name")

    @admin.display(description=_("role"))
    def profile_role(self, user: Any) -> str:
        profile = getattr(user, "profile", None)
        return profile.role if profile else "-"
