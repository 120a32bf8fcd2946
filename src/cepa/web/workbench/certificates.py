"""The officers' view of the cascade: every current certificate whose chain holds a link that is no
longer eligible, with since when and by what (cepa.certificates.cascade)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cepa.accounts import permissions
from cepa.certificates import cascade
from cepa.web.paging import paged
from cepa.web.portal.access import officer_required
from cepa.web.public.text import beijing_today, page_language


class DayForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("As on"), required=False, input_formats=["%Y-%m-%d"])


@require_GET
@officer_required
def affected(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or beijing_today()
    rows = cascade.affected(day, lang=page_language())
    page = paged(request, rows)
    return render(
        request,
        "web/workbench/certificates.html",
        {
            "section": "certificates",
            "role": permissions.role_of(request.user),
            "rows": page.rows,
            "paged": page,
            "day": day,
            "form": form,
            "certificates": len({row.certificate for row in rows}),
        },
    )
