"""Inspector lookup: by registration number, or by name (any language) with the body. Public fields only:
the records come from personnel.selectors, which never reads date of birth, identity document, email or
phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cepa.bodies.models import Organisation
from cepa.decisions.terms import CERTIFICATION_BODY
from cepa.personnel.models import Affiliation, Grade, Inspector, InspectorStatus
from cepa.personnel.selectors import public_records
from cepa.web.public import labels
from cepa.web.public.directory import DATE_ERROR, NAME_FIELDS
from cepa.web.public.products import Catalogue
from cepa.web.public.text import local_name, matches


def certification_bodies(lang: str) -> list[tuple[str, str]]:
    rows = Organisation.objects.filter(kind=CERTIFICATION_BODY).values(
        "id", "name_en", "name_zh_hant", "name_zh_hans"
    )
    return sorted(((row["id"], local_name(row, lang).text) for row in rows), key=lambda pair: pair[1])


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Registration number"), required=False, max_length=100)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    body = forms.ChoiceField(label=_("Certification body"), required=False, choices=())
    on = forms.DateField(label=_("Date"), required=False, input_formats=["%Y-%m-%d"],
                         error_messages={"invalid": DATE_ERROR})

    def __init__(self, data: Any, bodies: list[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["body"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a body")), *bodies]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("number") or "").strip()
        name = (data.get("name") or "").strip()
        if number:
            return data
        if not name:
            self.add_error("number", _("Enter a registration number, or a name and a body."))
        else:
            if len(name) < 2:
                self.add_error("name", _("Enter at least two characters of the name."))
            if not data.get("body"):
                self.add_error("body", _("Choose the body the inspector works for."))
        return data


def _specialties(codes: list[str], catalogue: Catalogue, lang: str) -> list[tuple[str, str]]:
    described = []
    for code in codes:
        if len(code) == 2:
            family = [p for p in catalogue.types if (p.code or "").startswith(code)]
            categories = {p.category_id: p.category for p in family}
            names = [local_name(c, lang).text for c in categories.values()]
            described.append((code, "、".join(names) if lang != "en" else "; ".join(names)))
        else:
            product = catalogue.by_code.get(code)
            described.append((code, local_name(product, lang).text if product else ""))
    return described


def lookup(data: dict[str, Any], day: dt.date, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    number = (data.get("number") or "").strip()
    if number:
        ids = list(Inspector.objects.filter(id__iexact=number).values_list("id", flat=True))
    else:
        affiliated = set(
            Affiliation.objects.filter(organisation_id=data["body"]).values_list("inspector_id", flat=True)
        )
        rows = Inspector.objects.filter(pk__in=affiliated).values("id", *NAME_FIELDS)
        ids = [
            row["id"] for row in rows
            if matches(data["name"], [row["name_en"], row["name_zh_hant"], row["name_zh_hans"]])
        ]
    records = public_records(sorted(ids), day) if ids else []
    org_ids = {a["organisation"] for record in records for a in record["affiliations"]}
    organisations = {
        row["id"]: row
        for row in Organisation.objects.filter(pk__in=org_ids).values("id", *NAME_FIELDS)
    }
    results = []
    for record in records:
        registered = record["status"] == "active" and record["registration_valid"]
        results.append({
            "record": record,
            "registered": registered,
            "organisation": organisations.get(record["organisation"]) if record["organisation"] else None,
            "grade": labels.label(Grade, record["current_grade"]),
            "status": labels.label(InspectorStatus, record["status"]),
            "specialties": _specialties(record["specialties"], catalogue, lang),
            "affiliations": [
                {**a, "org": organisations.get(a["organisation"])} for a in record["affiliations"]
            ],
        })
    return results
