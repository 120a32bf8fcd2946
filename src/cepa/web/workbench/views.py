"""The officers' workbench: what waits for each officer, oldest first.

Views parse and authorise; the queues come from the workflow apps' selectors and every decision goes
through their services (see applications.py and the other record modules).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cepa.accounts import permissions
from cepa.accounts.models import Role
from cepa.bodies.models import AccreditationEvent
from cepa.web.paging import paged
from cepa.web.portal.access import officer_required
from cepa.web.workbench import queues


def accreditation_events() -> QuerySet[AccreditationEvent]:
    """The dated status changes of accreditations, the latest first."""
    return AccreditationEvent.objects.select_related("accreditation", "accreditation__organisation").order_by(
        "-on", "-id"
    )


@require_GET
@officer_required
def home(request: HttpRequest) -> HttpResponse:
    role = permissions.role_of(request.user)
    context: dict[str, Any] = {"role": role, "section": "home", "queues": []}
    if role == Role.HKAS_OFFICER:
        context["paged"] = paged(request, accreditation_events())
        context["events"] = context["paged"].rows
    elif role == Role.CNCA_OFFICER:
        context["queues"] = queues.cnca_queues(request.user)
    elif role == Role.CCAA_REGISTRAR:
        context["queues"] = [queues.transfer_queue(request.user)]
    for queue in context["queues"]:
        queue.page(request)
    return render(request, "web/workbench/home.html", context)
