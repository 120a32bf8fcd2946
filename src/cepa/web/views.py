"""Public pages. Views parse the request and render; the facts come from selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def home(request: HttpRequest) -> HttpResponse:
    from cepa.certificates.selectors import NUMBER_RULE
    from cepa.web.public.certificates import LookupForm

    context = {"certificate_form": LookupForm(), "certificate_rule": NUMBER_RULE}
    return render(request, "web/home.html", context)


def sources(request: HttpRequest) -> HttpResponse:
    from cepa.catalogue import selectors

    return render(request, "web/sources.html", {
        "instruments": selectors.instruments().order_by("key"),
        "measures": selectors.measures(),
        "uncertain": selectors.uncertainties(),
    })


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def set_language(request: HttpRequest, language: str) -> HttpResponse:
    """A plain link switches the language (no form, no JavaScript) and keeps the choice in a cookie."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,  # CEPA_HTTPS
        )
    return response


# The plain text of the last resort, when even the site's layout cannot be drawn (a database down).
BARE_500 = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Server error</title></head>"
    "<body><h1>Sorry, something went wrong</h1><p>The registry could not answer this request. "
    "Try again in a few minutes. <a href=\"/\">Go to the start page</a></p></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's layout and the reader's language (Django's own handler renders without the
    request, so the layout's language switcher and links could not be drawn)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the layout needs the database (the signed-in user); without it, plain words
        return HttpResponse(BARE_500, status=500)
