"""What the open data files mean (issue 11, point 4): a data package (licence, when it was generated, and
a data dictionary for every file: each column with its type and meaning) and a codes file (every coded
value the files use, with its name in English, Traditional and Simplified Chinese).

The data package follows the Frictionless Data Package layout (datapackage.json), which common tools
read; the registry's own JSON (cepa-registry/1) is described by its JSON Schema and cannot carry these
fields itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from cepa.bodies.models import (
    AccreditationStatus,
    AgreementKind,
    DesignationRole,
    OrganisationKind,
    Scheme,
    Seat,
)
from cepa.catalogue.models import ProductType
from cepa.certificates.models import CertificateStatus
from cepa.certificates.selectors import STATUS_COLUMNS
from cepa.decisions.terms import REASON_CODES
from cepa.personnel.models import Grade, InspectorStatus
from cepa.web.public import opendata
from cepa.web.public.decision_files import CSV_COLUMNS, LICENCE, generated_at, write_csv
from cepa.web.public.opendata import open_value

# Every column of every file, what it holds. Types are the Table Schema's.
COLUMNS: dict[str, tuple[str, str]] = {
    "id": (
        "string",
        "The record's identifier, chosen by its publisher (an accreditation number, a CNCA code, "
        "a slug); unique within its file",
    ),
    "name_en": ("string", "The name in English"),
    "name_zh_hant": ("string", "The name in Traditional Chinese (empty when not published)"),
    "name_zh_hans": ("string", "The name in Simplified Chinese (empty when not published)"),
    "kind": ("string", "See codes.csv, list `kind` (bodies) or `agreement_kind` (agreements)"),
    "seat": ("string", "Where the body is established; see codes.csv, list `seat`"),
    "hk_invested": ("boolean", "true for a Mainland body set up by a Hong Kong enterprise"),
    "cnca_code": (
        "string",
        "The two-digit code CNCA gave the certification body (in CCC certificate numbers)",
    ),
    "source": ("string", "Where the record's data comes from"),
    "note": ("string", "A note on the record"),
    "contact_address_en": ("string", "Postal address in English"),
    "contact_address_zh_hant": ("string", "Postal address in Traditional Chinese"),
    "contact_address_zh_hans": ("string", "Postal address in Simplified Chinese"),
    "contact_phone": ("string", "Telephone"),
    "contact_email": ("string", "Email address"),
    "contact_website": ("string", "Website"),
    "organisation": ("string", "The body's id (organisations.csv)"),
    "scheme": ("string", "The accreditation scheme; see codes.csv, list `scheme`"),
    "scope": ("string", "Product type codes, separated by spaces; see codes.csv, list `product_type`"),
    "granted": ("date", "The day the accreditation was granted (YYYY-MM-DD)"),
    "accreditation": ("string", "The accreditation's id (accreditations.csv)"),
    "on": ("date", "The day it takes effect, or the day the answer is for (YYYY-MM-DD)"),
    "status": (
        "string",
        "The status from that day (a certificate's: on the day asked); see codes.csv, list "
        "`accreditation_status`, `inspector_status` or `certificate_status`",
    ),
    "reason": ("string", "Why the status changed"),
    "basis": ("string", "The instrument or decision it rests on (free text)"),
    "role": ("string", "What the body is designated as; see codes.csv, list `role`"),
    "product_types": (
        "string",
        "Product type codes, separated by spaces; see codes.csv, list `product_type`",
    ),
    "from": ("date", "The first day it applies (YYYY-MM-DD), included"),
    "until": ("date", "The last day it applies (YYYY-MM-DD), included; empty when open-ended"),
    "party": ("string", "The Hong Kong body of the agreement (organisations.csv)"),
    "counterparty": ("string", "The designated Mainland certification body it cooperates with"),
    "terminated_on": ("date", "The first day the agreement is no longer in force; empty when not terminated"),
    "year": ("integer", "The plan's year"),
    "published": ("date", "The day CNCA published the plan"),
    "opens": ("datetime", "When applications open (ISO 8601, +08:00 is Beijing time)"),
    "closes": ("datetime", "When applications close (ISO 8601, +08:00 is Beijing time)"),
    "requires_expression_of_interest": (
        "boolean",
        "true when applying needs an expression of interest first",
    ),
    "grade": ("string", "The inspector's grade; see codes.csv, list `grade`"),
    "specialties": ("string", "Product type families (two digits) or types (four), separated by spaces"),
    "registered": ("date", "The first day of the registration"),
    "expires": ("date", "The last day of the registration, or of the certificate's validity"),
    "inspector": ("string", "The inspector's registration number (inspectors.csv)"),
    "laboratory": ("string", "The laboratory's id (organisations.csv)"),
    "product_type": ("string", "The product type code (or catalogue key) the answer is for"),
    "allowed": (
        "boolean",
        "true when the laboratory may carry out CCC testing of the product type on the day",
    ),
    "failing_codes": (
        "string",
        "The codes of the conditions not met, separated by spaces (empty when allowed). The public "
        "contract (section 2) fixes these reason codes in upper case, so they are the one exception to "
        "the lower-case values of these files",
    ),
    "failing_messages": (
        "string",
        "What each condition not met says, in the language asked, separated by ' | '",
    ),
    "list": (
        "string",
        "Which coded values: product_type, kind, seat, scheme, accreditation_status, role, "
        "agreement_kind, grade, inspector_status, certificate_status",
    ),
    "code": ("string", "The value as the CSV files and downloads hold it (lower case)"),
    "interchange_code": (
        "string",
        "The same value as the interchange file cepa-registry.json holds it: the public contract fixes "
        "seats and schemes there in upper case",
    ),
    "issuer": ("string", "The certification body that issued the certificate (organisations.csv)"),
    "issued": ("date", "The day the certificate was issued"),
}
CODE_COLUMNS = ["list", "code", "name_en", "name_zh_hant", "name_zh_hans", "interchange_code"]
ENUMERATIONS: list[tuple[str, type[models.Choices]]] = [
    ("kind", OrganisationKind),
    ("seat", Seat),
    ("scheme", Scheme),
    ("accreditation_status", AccreditationStatus),
    ("role", DesignationRole),
    ("agreement_kind", AgreementKind),
    ("grade", Grade),
    ("inspector_status", InspectorStatus),
    ("certificate_status", CertificateStatus),
]
ENUM_LISTS = dict(ENUMERATIONS)
# The codes.csv list each coded column takes its values from: by column, or by (file, column) where
# the same column name means different things in different files.
CODED = {"seat": "seat", "scheme": "scheme", "role": "role", "grade": "grade"}
CODED_IN_FILE = {
    ("organisations", "kind"): "kind",
    ("agreements", "kind"): "agreement_kind",
    ("accreditation_events", "status"): "accreditation_status",
    ("inspector_events", "status"): "inspector_status",
    ("certificate_status", "status"): "certificate_status",
}
# Columns holding several product type codes separated by spaces.
PRODUCT_LISTS = ("scope", "product_types")


def code_rows() -> Iterator[list[str]]:
    """Every product type (by code, or by catalogue key when it has none), then each coded value."""
    for product in ProductType.objects.order_by("code", "key").only(
        "key", "code", "name_en", "name_zh_hant", "name_zh_hans", "other_codes"
    ):
        for code in product.all_codes or [product.key]:
            yield [
                "product_type",
                code,
                product.name_en,
                product.name_zh_hant or "",
                product.name_zh_hans or "",
                code,
            ]
    for name, choices in ENUMERATIONS:
        for value, label in choices.choices:
            names = []
            for language in ("en", "zh-hant", "zh-hans"):
                with translation.override(language):
                    names.append(str(label))
            yield [name, open_value(str(value)), *names, str(value)]


@require_GET
def codes_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(write_csv(CODE_COLUMNS, code_rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="codes.csv"'
    return response


def enum(list_name: str) -> list[str]:
    """The values a coded column may hold, as the files write them."""
    return [open_value(str(value)) for value in ENUM_LISTS[list_name].values]


def _field(file: str, column: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column, "type": COLUMNS[column][0], "description": COLUMNS[column][1]}
    coded = CODED_IN_FILE.get((file, column)) or CODED.get(column)
    if coded:
        # An empty cell is a missing value (not given), which the Table Schema does not check.
        field["constraints"] = {"enum": enum(coded)}
        field["codeList"] = coded
    elif column == "list":
        field["constraints"] = {"enum": ["product_type", *ENUM_LISTS]}
    elif column in PRODUCT_LISTS:
        field["codeList"] = "product_type"  # each space-separated value is a code of codes.csv's list
    elif column == "failing_codes":
        field["itemEnum"] = list(REASON_CODES)  # each space-separated value
    elif COLUMNS[column][0] == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    return field


def _schema(columns: list[str] | tuple[str, ...], file: str = "") -> dict[str, Any]:
    return {"fields": [_field(file, column) for column in columns]}


def data_package() -> dict[str, Any]:
    resources: list[dict[str, Any]] = [
        {
            "name": "cepa-registry",
            "path": reverse("open-data-json"),
            "format": "json",
            "mediatype": "application/json",
            "description": "The public registry in the interchange format cepa-registry/1 "
            "(see its JSON Schema, /api/v1/openapi.json, components). The public contract fixes its "
            "values, so they keep the contract's casing: seats (HK, MAINLAND, OVERSEAS) and schemes "
            "(HOKLAS, HKCAS, HKIAS, CNAS) in upper case, every other coded value in lower case. The "
            "CSV files and the other downloads write every coded value in lower case (codes.csv gives "
            "both forms); only reason codes stay upper case, as the contract fixes them",
        }
    ]
    for name, (_list, _rows, columns) in opendata.CSV_FILES.items():
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": reverse("open-data-csv", args=[name]),
                "format": "csv",
                "encoding": "utf-8-sig",
                "schema": _schema([column for column, _get in columns], name),
            }
        )
    resources.append(
        {
            "name": "codes",
            "path": reverse("open-data-codes"),
            "format": "csv",
            "encoding": "utf-8-sig",
            "description": "Every coded value the files use, with its names in English, Traditional and "
            "Simplified Chinese",
            "schema": _schema(CODE_COLUMNS),
        }
    )
    resources.append(
        {
            "name": "who-can-test",
            "path": reverse("decisions-csv") + "?product_type={code}&on={YYYY-MM-DD}",
            "format": "csv",
            "encoding": "utf-8-sig",
            "description": "For one product type and day: every laboratory, whether it may test it, "
            "and why not (also as JSON at /directory/decisions.json, with the same parameters and lang)",
            "schema": _schema(CSV_COLUMNS),
        }
    )
    resources.append(
        {
            "name": "certificate-status",
            "path": reverse("certificate-status", args=["csv"]) + "?on={YYYY-MM-DD}",
            "format": "csv",
            "encoding": "utf-8",
            "description": "Every certificate's status on one day (also as JSON, and each with its "
            "SHA-256 checksum at the same address plus .sha256)",
            "schema": _schema(STATUS_COLUMNS, "certificate_status"),
        }
    )
    return {
        "name": "cepa-registry",
        "title": "CEPA Registry: bodies taking part in China Compulsory Certification",
        "licenses": [LICENCE],
        "created": generated_at(),
        "resources": resources,
    }


@require_GET
def data_package_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(data_package(), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="datapackage.json"'
    return response
