"""Signing in to the web: a password (Django's sign-in form, with django-axes locking an account or an
address out after repeated failures), then, for officers and administrators, a code from their
authenticator app (django-otp, TOTP) before the workbench or the admin site opens.

An authenticator is enrolled by an administrator with `cepa user totp USERNAME` (never from the web:
someone who only knows the password must not be able to enrol their own). API tokens are not signed in
with a password: see docs/security.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from cepa.accounts.permissions import needs_second_factor

CODE_DIGITS = 6


def is_verified(user: Any) -> bool:
    """The user gave the second factor in this session (django-otp's middleware says so)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_code(user: Any) -> bool:
    """Signed in with the password, but not yet with the code the user's role asks for."""
    return needs_second_factor(user) and not is_verified(user)


def verify_url(next_url: str) -> str:
    return f"{reverse('verify-sign-in')}?{urlencode({'next': next_url})}"


class SignInView(auth_views.LoginView):
    """Django's sign-in; officers and administrators go on to the code."""

    template_name = "web/login.html"

    def get_success_url(self) -> str:
        url = super().get_success_url()
        return verify_url(url) if needs_second_factor(self.request.user) else url


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: the 6-digit code the authenticator app shows now."""
    target = _next(request)
    user = request.user
    if not needs_code(user):
        return HttpResponseRedirect(target)
    enrolled = any(True for _device in devices_for_user(user, confirmed=True))
    problem = ""
    status = 200
    if request.method == "POST" and enrolled:
        code = request.POST.get("code", "").replace(" ", "")
        # match_token throttles a device after wrong codes (django-otp: each failure doubles the wait).
        device = match_token(user, code) if code.isdigit() and len(code) == CODE_DIGITS else None
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(target)
        problem = _("That code is not right. Enter the 6-digit code your authenticator app shows now.")
        status = 400
    return render(
        request,
        "web/verify.html",
        {"enrolled": enrolled, "problem": problem, "next": target},
        status=status,
    )


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a sign-in from a locked-out account or address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)
