"""Who may open the logged-in pages: anonymous people sign in first, a wrong role gets a 403 page
that says why. The role comes from accounts.permissions, like everywhere else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.web.signin import needs_code, verify_url

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

OFFICER_ROLES = (Role.HKAS_OFFICER.value, Role.CNCA_OFFICER.value, Role.CCAA_REGISTRAR.value)


def actor_of(request: HttpRequest) -> str:
    """The actor string the services record for a signed-in person."""
    return f"user:{request.user.get_username()}"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/portal/forbidden.html", {"message": message}, status=403)


def role_required(*roles: str) -> Callable[[View], View]:
    """Only signed-in users with one of `roles` may open the view."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            role = permissions.role_of(request.user)
            if role is None:
                return redirect_to_login(request.get_full_path())
            if needs_code(request.user):  # officers: the password alone does not open the workbench
                return HttpResponseRedirect(verify_url(request.get_full_path()))
            if role not in roles:
                if roles == (Role.APPLICANT.value,):
                    message = _("This part of the service is for staff of a registered body.")
                else:
                    message = _("This part of the service is for officers of HKAS, CNCA and CCAA.")
                return forbidden(request, message)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


applicant_required = role_required(Role.APPLICANT.value)
officer_required = role_required(*OFFICER_ROLES)


@require_GET
def after_sign_in(request: HttpRequest) -> HttpResponse:
    """Where signing in without a `next` lands (Django's LOGIN_REDIRECT_URL): the user's own start page."""
    role = permissions.role_of(request.user)
    if role == Role.APPLICANT:
        return HttpResponseRedirect(reverse("portal:home"))
    if role in OFFICER_ROLES:
        return HttpResponseRedirect(reverse("workbench:home"))
    if role == Role.ADMIN:
        return HttpResponseRedirect(reverse("admin:index"))
    return HttpResponseRedirect(reverse("home"))
