"""Django's admin site, opened to staff only once they have given their second factor.

Installed in place of "django.contrib.admin" (settings.INSTALLED_APPS): `AdminConfig` makes
`SecondFactorSite` the default site, so every app's admin.py registers with it. Its own sign-in page is
replaced by the project's (password, lockouts, then the authenticator's code: cepa.web.signin).

`AdminConfig` also makes the labels Django derives from code names translatable (`translate_derived_labels`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.apps import AppConfig as DjangoAxesConfig
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
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


def translate_derived_labels() -> None:
    """Looks up in the message catalogues every label Django derives from a code name: a field without a
    `verbose_name` ("valid_until" reads "valid until"), a model without one ("ApplicationEvent" reads
    "application event", plural "application events").

    The label stays the field's own, so the admin's forms, view-only pages, column headers and filters
    (and any form built from the model) all show the same words; the English is unchanged. Set on the
    field, not the migration state (Django's migrations read the declared `verbose_name`), so no migration
    follows. The msgids are in cepa.web.admin_labels; cepa/web/tests/test_admin_labels.py fails on a label
    without a translation. Labels a developer writes are marked where they are written (`_("…")`).
    """
    for model in apps.get_models():
        opts = model._meta
        for field in [*opts.fields, *opts.many_to_many]:
            if not isinstance(field.verbose_name, Promise):
                field.verbose_name = _(field.verbose_name)
        if "verbose_name" not in opts.original_attrs:
            opts.verbose_name = _(str(opts.verbose_name))
        if "verbose_name_plural" not in opts.original_attrs:
            opts.verbose_name_plural = _(str(opts.verbose_name_plural))


class AdminConfig(DjangoAdminConfig):
    default_site = "cepa.accounts.adminsite.SecondFactorSite"

    def ready(self) -> None:
        translate_derived_labels()  # every model is loaded by now; the admin's forms are built per request
        super().ready()


class AxesConfig(DjangoAxesConfig):
    """django-axes under a name the admin shows in the reader's language."""

    verbose_name = _("Sign-in lockouts")

    def ready(self) -> None:
        super().ready()
        from axes.admin import AccessAttemptAdmin

        # Its status column is labelled from the method's name, a string no catalogue holds.
        AccessAttemptAdmin.status.short_description = _("Status")  # type: ignore[attr-defined]
