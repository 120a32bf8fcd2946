"""Verification for anyone: look a certificate up by its number, see its status on a day and every link
of its chain (✓/✗ for when it was made, a notice where it is no longer eligible), a QR code that opens
the page, a printable view; the day's status of every certificate as CSV or JSON, streamed, with its
SHA-256 checksum."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import segno
from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cepa.bodies.models import Organisation
from cepa.certificates import selectors
from cepa.certificates.models import CertificateStatus
from cepa.decisions.services import decide
from cepa.personnel.models import Inspector
from cepa.spreadsheets import csv_writer
from cepa.web.public.text import beijing_today, page_language

DATE_INPUT = ["%Y-%m-%d"]
DATE_ERROR = gettext_lazy("Enter the date as year-month-day, for example 2026-11-26.")


class LookupForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Certificate number"),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter the certificate's number.")},
    )

    def clean_number(self) -> str:
        value = "".join(str(self.cleaned_data["number"]).split())  # spaces as printed on paper
        if not selectors.NUMBER.fullmatch(value):
            raise forms.ValidationError(str(selectors.NUMBER_RULE))
        return value


class DayForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Show the status on"),
        required=False,
        input_formats=DATE_INPUT,
        error_messages={"invalid": DATE_ERROR},
    )


STATUS_LABELS = dict(CertificateStatus.choices)


@dataclass
class Link:
    """One link of the chain as the page shows it."""

    kind: str  # report | inspector
    record: dict[str, Any]
    made: str  # YYYY-MM-DD
    body: Organisation | None
    inspector: Inspector | None = None
    eligible: bool = True
    notices: list[str] = field(default_factory=list)


def _names(record: dict[str, Any]) -> tuple[dict[str, Organisation], dict[str, Inspector]]:
    ids = {record["issuer"]}
    for report in record["test_reports"]:
        ids.update((report["laboratory"], report["certification_body"]))
    for inspection in record["factory_inspections"]:
        ids.update((inspection["organisation"], inspection["on_behalf_of"]))
    bodies = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    wanted = {name for inspection in record["factory_inspections"] for name in inspection["inspectors"]}
    inspectors = {i.pk: i for i in Inspector.objects.filter(pk__in=wanted)} if wanted else {}
    return bodies, inspectors


def chain_links(record: dict[str, Any], decision: Any) -> list[Link]:
    """Reports, then each inspector of each inspection, with ✓/✗ from the decision's conditions (which
    judge each link on the day it was made) and the decision's notices (no longer eligible on the day
    asked)."""
    failing: set[str] = set()
    for reason in decision.reasons:
        if not reason.holds and reason.code not in ("CERTIFICATE_VALID", "PRODUCT_IN_CATALOGUE"):
            failing.update(reason.refs)
    notices: dict[tuple[str, ...], list[str]] = {}
    for notice in decision.notices:
        notices.setdefault(tuple(notice.refs), []).append(notice.message)
    bodies, inspectors = _names(record)
    links = []
    for report in record["test_reports"]:
        links.append(
            Link(
                "report",
                report,
                report["issued"],
                bodies.get(report["laboratory"]),
                eligible=report["id"] not in failing,
                notices=notices.get((report["id"], report["laboratory"]), []),
            )
        )
    for inspection in record["factory_inspections"]:
        for name in inspection["inspectors"]:
            links.append(
                Link(
                    "inspector",
                    inspection,
                    inspection["on"],
                    bodies.get(inspection["organisation"]),
                    inspectors.get(name),
                    eligible=inspection["id"] not in failing and name not in failing,
                    notices=notices.get((inspection["id"], name), []),
                )
            )
    return links


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG (segno: no image files, no JavaScript)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", title=url)
    return mark_safe(svg)


def _not_found(request: HttpRequest, number: str) -> HttpResponse:
    return render(
        request,
        "web/public/certificate_not_found.html",
        {"number": number, "rule": selectors.NUMBER_RULE, "form": LookupForm(initial={"number": number})},
        status=404,
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """The number box: a well-formed number goes to its page (a 404 there if unknown)."""
    if "number" not in request.GET:
        return render(
            request, "web/public/certificates.html", {"form": LookupForm(), "rule": selectors.NUMBER_RULE}
        )
    form = LookupForm(request.GET)
    if form.is_valid():
        return HttpResponseRedirect(reverse("certificate", args=[form.cleaned_data["number"]]))
    return render(
        request, "web/public/certificates.html", {"form": form, "rule": selectors.NUMBER_RULE}, status=400
    )


def _page_context(request: HttpRequest, number: str) -> dict[str, Any] | None:
    form = DayForm(request.GET)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or beijing_today()
    record = selectors.certificate_record(number, day)
    if record is None:
        return None
    lang = page_language()
    decision = decide("certificate", subject=number, on=day, lang=lang)
    bodies, _inspectors = _names(record)
    url = request.build_absolute_uri(reverse("certificate", args=[number]))
    return {
        "record": record,
        "decision": decision,
        "form": form,
        "day": day,
        "today": day == beijing_today(),
        "status_label": STATUS_LABELS.get(record["status"], record["status"]),
        "issuer": bodies.get(record["issuer"]),
        "links": chain_links(record, decision),
        "url": url,
        "qr": qr_svg(url),
    }


@require_GET
def certificate_page(request: HttpRequest, number: str) -> HttpResponse:
    context = _page_context(request, number)
    if context is None:
        return _not_found(request, number)
    return render(request, "web/public/certificate.html", context)


@require_GET
def certificate_print(request: HttpRequest, number: str) -> HttpResponse:
    context = _page_context(request, number)
    if context is None:
        return _not_found(request, number)
    return render(request, "web/public/certificate_print.html", context)


# --- the day's status of every certificate ------------------------------------------------------


def _day(request: HttpRequest) -> dt.date | None:
    form = DayForm(request.GET)
    if not form.is_valid():
        return None
    found: dt.date | None = form.cleaned_data.get("on")
    return found or beijing_today()


def csv_chunks(day: dt.date) -> Iterator[bytes]:
    """The CSV file in chunks of about 64 KiB: a header line, then one line per certificate."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(selectors.STATUS_COLUMNS)
    for row in selectors.statuses(day):
        writer.writerow(row)
        if buffer.tell() > 65_536:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(day: dt.date) -> Iterator[bytes]:
    """{"on": ..., "certificates": [{id, status, issuer, product_type, issued, expires}, ...]} in chunks."""
    parts: list[str] = [f'{{"on": "{day.isoformat()}", "certificates": [']
    size = 0
    first = True
    for row in selectors.statuses(day):
        item = json.dumps(dict(zip(selectors.STATUS_COLUMNS, row, strict=True)), ensure_ascii=False)
        parts.append(item if first else ",\n" + item)
        first = False
        size += len(item)
        if size > 65_536:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("]}\n")
    yield "".join(parts).encode()


FORMATS = {"csv": (csv_chunks, "text/csv; charset=utf-8"), "json": (json_chunks, "application/json")}


def _hashed(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


@require_GET
def status_download(request: HttpRequest, extension: str) -> HttpResponse | StreamingHttpResponse:
    """`certificate-status.csv` or `.json` for the day `on` (today in Beijing), streamed in constant
    memory. Its SHA-256 is the companion `….sha256` (the same bytes, hashed as they are made)."""
    day = _day(request)
    if day is None or extension not in FORMATS:
        return HttpResponse(str(DATE_ERROR), status=400, content_type="text/plain; charset=utf-8")
    chunks, content_type = FORMATS[extension]
    name = f"certificate-status-{day.isoformat()}.{extension}"
    response = StreamingHttpResponse(chunks(day), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    checksum = reverse("certificate-status-sha256", args=[extension]) + f"?on={day.isoformat()}"
    response["Link"] = f'<{checksum}>; rel="describedby"; type="text/plain"'
    return response


@require_GET
def status_checksum(request: HttpRequest, extension: str) -> HttpResponse:
    """`<sha256>  certificate-status-DAY.EXT`, as `sha256sum` writes and checks it."""
    day = _day(request)
    if day is None or extension not in FORMATS:
        return HttpResponse(str(DATE_ERROR), status=400, content_type="text/plain; charset=utf-8")
    chunks, _content_type = FORMATS[extension]
    digest = _hashed(chunks(day))
    name = f"certificate-status-{day.isoformat()}.{extension}"
    response = HttpResponse(f"{digest}  {name}\n", content_type="text/plain; charset=utf-8")
    response["X-Checksum-SHA256"] = digest
    return response
