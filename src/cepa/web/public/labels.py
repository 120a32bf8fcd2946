"""Labels the pages give coded values in words other than the models' own (the models' choices carry
the translated labels of every coded value), and a value's label from either where the value is not on
a model instance (where `get_FOO_display` gives it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cepa.bodies.models import AccreditationStatus, AgreementKind, OrganisationKind, Seat
from cepa.catalogue.models import SpanRoute
from cepa.certificates.models import CertificateStatus
from cepa.designation.models import PLAN_ROLE_LABELS
from cepa.history.models import Change
from cepa.personnel.models import Grade, InspectorStatus

# A table of labels by code, or a model's choices.
Table: TypeAlias = Mapping[str, object] | type[models.Choices]

# What a scheme is for, beside its name (the scheme names themselves are not translated).
SCHEME_HINTS: dict[str, Promise] = {
    "HOKLAS": _("HKAS scheme for laboratories"),
    "HKCAS": _("HKAS scheme for certification bodies"),
    "HKIAS": _("HKAS scheme for inspection bodies"),
    "CNAS": _("Mainland accreditation"),
}
# A designation's role on a body's page, and a plan's role in the calendar (a plan is for many bodies).
ROLES: dict[str, Promise] = {
    "laboratory": _("Designated laboratory"),
    "certification_body": _("Designated certification body"),
}
PLAN_ROLES: Mapping[str, Promise] = PLAN_ROLE_LABELS
# The change log's record types (the interchange list names; not a model choice).
RECORD_TYPES: dict[str, Promise] = {
    "organisations": _("Body"),
    "accreditations": _("Accreditation"),
    "designations": _("Designation"),
    "agreements": _("Agreement"),
    "plans": _("Designation plan"),
    "inspectors": _("Inspector"),
    "test_reports": _("Test report"),
    "factory_inspections": _("Factory inspection"),
    "certificates": _("Certificate"),
}
# Every table a template may name in the `label` filter: those above, and the models' choices.
TABLES: dict[str, Table] = {
    "SCHEME_HINTS": SCHEME_HINTS,
    "ROLES": ROLES,
    "PLAN_ROLES": PLAN_ROLES,
    "RECORD_TYPES": RECORD_TYPES,
    "OrganisationKind": OrganisationKind,
    "Seat": Seat,
    "AgreementKind": AgreementKind,
    "AccreditationStatus": AccreditationStatus,
    "Grade": Grade,
    "InspectorStatus": InspectorStatus,
    "ChangeAction": Change.Action,
    "SpanRoute": SpanRoute,
    "CertificateStatus": CertificateStatus,
}


def label(table: Table, value: str | None) -> str:
    """The translated label of `value` in a table above or a model's choices; the code if it has none."""
    if not value:
        return ""
    labels = dict(table.choices) if isinstance(table, type) else table
    return str(labels.get(value, value))
