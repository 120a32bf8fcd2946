"""The applicant portal: one organisation's records and its requests to the authorities.

Views parse and authorise; reads come from selectors and writes from the services (which also check
the rules). Every page shows what is asked of the applicant next.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cepa.web.portal.access import applicant_required
from cepa.web.portal.common import own_organisation
from cepa.web.public import bodies as body_pages
from cepa.web.public.text import beijing_today


@require_GET
@applicant_required
def home(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    tasks = [
        {
            "url": reverse("portal:records"),
            "title": _("Records"),
            "hint": _("Accreditations, designations, cooperation agreements and inspectors on the registry."),
        }
    ]
    return render(request, "web/portal/home.html", {"org": organisation, "section": "home", "tasks": tasks})


@require_GET
@applicant_required
def records(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    day = beijing_today()
    page = body_pages.body_page(organisation.pk, day)
    context: dict[str, Any] = {
        "org": organisation,
        "page": page,
        "day": day,
        "section": "records",
    }
    return render(request, "web/portal/records.html", context)
