"""Django's admin site, opened to staff only once they have given their second factor.

Installed in place of "django.contrib.admin" (settings.INSTALLED_APPS): `AdminConfig` makes
`SecondFactorSite` the default site, so every app's admin.py registers with it. Its own sign-in page is
replaced by the project's (password, lockouts, then the authenticator's code: cepa.web.signin).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.apps import AppConfig as DjangoAxesConfig
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# Apps whose models the admin does not show: django-otp's TOTP devices would show every officer's secret
# key to any administrator; a key is enrolled or replaced by `cepa user totp USERNAME`.
HIDDEN_APPS = frozenset({"otp_totp"})


class SecondFactorSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models: list[type[Model]] = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        shown = [model for model in models if model._meta.app_label not in HIDDEN_APPS]
        if shown:
            super().register(shown, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: this module is loaded while the apps are, before any model may be.
        from cepa.accounts.permissions import needs_second_factor

        if not super().has_permission(request):
            return False
        verified = getattr(request.user, "is_verified", None)
        return not needs_second_factor(request.user) or bool(verified and verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        step = "verify-sign-in" if request.user.is_authenticated else None
        base = reverse(step) if step else str(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{base}?{urlencode({'next': target})}")


class AdminConfig(DjangoAdminConfig):
    default_site = "cepa.accounts.adminsite.SecondFactorSite"


class AxesConfig(DjangoAxesConfig):
    """django-axes under a name the admin shows in the reader's language."""

    verbose_name = _("Sign-in lockouts")
