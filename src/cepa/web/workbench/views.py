"""The officers' workbench: what waits for each officer, oldest first, and the pages to decide it.

Views parse and authorise; the queues come from the workflow apps' selectors and every decision goes
through their services, which refuse a transition that someone else has already made.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.bodies.models import AccreditationEvent
from cepa.web.portal.access import officer_required

RECENT_LIMIT = 50


@require_GET
@officer_required
def home(request: HttpRequest) -> HttpResponse:
    role = permissions.role_of(request.user)
    context: dict[str, Any] = {"role": role, "section": "home"}
    if role == Role.HKAS_OFFICER:
        context["events"] = recent_accreditation_events()
    return render(request, "web/workbench/home.html", context)


def recent_accreditation_events() -> list[AccreditationEvent]:
    """The latest dated status changes of accreditations (one query)."""
    return list(
        AccreditationEvent.objects.select_related("accreditation", "accreditation__organisation")
        .order_by("-on", "-id")[:RECENT_LIMIT]
    )
