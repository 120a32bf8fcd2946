"""The officers' workbench: what waits for each officer, oldest first.

Views parse and authorise; the queues come from the workflow apps' selectors and every decision goes
through their services (see applications.py and the other record modules).
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
from cepa.web.workbench import queues

RECENT_LIMIT = 50


def recent_accreditation_events() -> list[AccreditationEvent]:
    """The latest dated status changes of accreditations (one query)."""
    return list(
        AccreditationEvent.objects.select_related("accreditation", "accreditation__organisation").order_by(
            "-on", "-id"
        )[:RECENT_LIMIT]
    )


@require_GET
@officer_required
def home(request: HttpRequest) -> HttpResponse:
    role = permissions.role_of(request.user)
    context: dict[str, Any] = {"role": role, "section": "home", "queues": []}
    if role == Role.HKAS_OFFICER:
        context["events"] = recent_accreditation_events()
    elif role == Role.CNCA_OFFICER:
        context["queues"] = queues.cnca_queues(request.user)
    elif role == Role.CCAA_REGISTRAR:
        context["queues"] = [queues.transfer_queue(request.user)]
    return render(request, "web/workbench/home.html", context)
