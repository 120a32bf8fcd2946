"""Who may test a product, as a file (issue 11, point 4): the `testing` decision for every laboratory on a
date, as CSV or JSON, named after the product type and the date.

`/directory/decisions.csv?product_type=CODE&on=DATE[&lang=…]` and `.json`. Every laboratory is a row, with
`allowed` and the failing conditions' codes and messages (in `lang`, default the page's language); the
JSON adds when it was made and the licence. Bad input answers 400 naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cepa.bodies.models import Organisation
from cepa.decisions.services import DecisionInputError, testing_for_all
from cepa.decisions.terms import BEIJING
from cepa.spreadsheets import csv_writer
from cepa.web.public.directory import NAME_FIELDS
from cepa.web.public.opendata import open_value
from cepa.web.public.text import beijing_today, page_language

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PARAMETERS = ("product_type", "on", "lang")
CSV_COLUMNS = [
    "laboratory",
    "name_en",
    "name_zh_hant",
    "name_zh_hans",
    "seat",
    "product_type",
    "on",
    "allowed",
    "failing_codes",
    "failing_messages",
]
MESSAGE_SEPARATOR = " | "


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    """A CSV file as the open data writes them: UTF-8 with a byte-order mark (spreadsheets then read the
    Chinese names), CRLF line ends, empty cells for missing values."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def generated_at() -> str:
    return timezone.now().astimezone(BEIJING).isoformat(timespec="seconds")


class BadParameter(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def laboratories(request: HttpRequest) -> tuple[str, dt.date, list[dict[str, Any]]]:
    """The product type, the day and one entry per laboratory (by id), from the request's parameters."""
    unknown = sorted(set(request.GET) - set(PARAMETERS))
    if unknown:
        raise BadParameter(unknown[0], f"unknown parameter: use {', '.join(PARAMETERS)}")
    product_type = request.GET.get("product_type", "").strip()
    if not product_type:
        raise BadParameter("product_type", "is required: a 4-digit code such as 0701, or a catalogue key")
    lang = request.GET.get("lang") or page_language()
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else beijing_today()
    except ValueError as error:
        raise BadParameter("on", "must be a date as YYYY-MM-DD") from error
    try:
        decisions = testing_for_all(product_type, on, lang)
    except DecisionInputError as error:
        raise BadParameter(error.field, error.message) from error
    names = {
        row["id"]: row
        for row in Organisation.objects.filter(pk__in=[d.subject for d in decisions]).values(
            "id", *NAME_FIELDS, "seat"
        )
    }
    entries = []
    for decision in decisions:
        org = names[decision.subject]
        failing = [reason for reason in decision.reasons if not reason.holds]
        entries.append(
            {
                "laboratory": decision.subject,
                "name": {
                    "en": org["name_en"],
                    "zh-Hant": org["name_zh_hant"],
                    "zh-Hans": org["name_zh_hans"],
                },
                "seat": open_value(org["seat"]),
                "allowed": decision.allowed,
                "failing": [{"code": reason.code, "message": reason.message} for reason in failing],
            }
        )
    return product_type, on, entries


def file_name(product_type: str, on: dt.date, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in product_type)
    return f"who-can-test-{safe}-{on.isoformat()}.{extension}"


def _refused(error: BadParameter) -> HttpResponse:
    return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")


@require_GET
def decisions_csv(request: HttpRequest) -> HttpResponse:
    try:
        product_type, on, entries = laboratories(request)
    except BadParameter as error:
        return _refused(error)
    rows = (
        [
            e["laboratory"],
            e["name"]["en"],
            e["name"]["zh-Hant"],
            e["name"]["zh-Hans"],
            e["seat"],
            product_type,
            on.isoformat(),
            "true" if e["allowed"] else "false",
            " ".join(f["code"] for f in e["failing"]),
            MESSAGE_SEPARATOR.join(f["message"] for f in e["failing"]),
        ]
        for e in entries
    )
    response = HttpResponse(write_csv(CSV_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(product_type, on, "csv")}"'
    return response


@require_GET
def decisions_json(request: HttpRequest) -> HttpResponse:
    try:
        product_type, on, entries = laboratories(request)
    except BadParameter as error:
        return _refused(error)
    document = {
        "question": "testing",
        "product_type": product_type,
        "on": on.isoformat(),
        "generated_at": generated_at(),
        "licence": LICENCE,
        "laboratories": entries,
    }
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(product_type, on, "json")}"'
    return response
