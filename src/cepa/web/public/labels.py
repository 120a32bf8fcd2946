"""Translated labels for the registry's coded values (the models' own labels are English only)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise] = {
    "laboratory": _("Laboratory"),
    "certification_body": _("Certification body"),
    "inspection_body": _("Inspection body"),
}
SEATS: dict[str, Promise] = {
    "HK": _("Hong Kong"),
    "MAINLAND": _("Mainland"),
    "OVERSEAS": _("Overseas"),
}
SCHEME_HINTS: dict[str, Promise] = {
    "HOKLAS": _("HKAS scheme for laboratories"),
    "HKCAS": _("HKAS scheme for certification bodies"),
    "HKIAS": _("HKAS scheme for inspection bodies"),
    "CNAS": _("Mainland accreditation"),
}
ROLES: dict[str, Promise] = {
    "laboratory": _("Designated laboratory"),
    "certification_body": _("Designated certification body"),
}
PLAN_ROLES: dict[str, Promise] = {
    "laboratory": _("Laboratories"),
    "certification_body": _("Certification bodies"),
}
AGREEMENT_KINDS: dict[str, Promise] = {
    "testing": _("Testing"),
    "factory_inspection": _("Factory inspection"),
    "sampling": _("Sampling"),
}
ACCREDITATION_STATUSES: dict[str, Promise] = {
    "active": _("Active"),
    "suspended": _("Suspended"),
    "withdrawn": _("Withdrawn"),
}
INSPECTOR_STATUSES: dict[str, Promise] = {
    "active": _("Active"),
    "suspended": _("Suspended"),
    "cancelled": _("Cancelled"),
}
GRADES: dict[str, Promise] = {
    "provisional": _("Provisional inspector"),
    "inspector": _("Inspector"),
    "senior": _("Senior inspector"),
}
SECTORS: dict[str, Promise] = {
    "electrical_electronic": _("Electrical and electronic products"),
    "non_electrical_electronic": _("Non-electrical and electronic products"),
}
ROUTES: dict[str, Promise] = {
    "certification": _("Third-party certification"),
    "self_declaration_a": _("Self-declaration, procedure A"),
    "self_declaration_b": _("Self-declaration, procedure B"),
}
RECORD_TYPES: dict[str, Promise] = {
    "organisations": _("Body"),
    "accreditations": _("Accreditation"),
    "designations": _("Designation"),
    "agreements": _("Agreement"),
    "plans": _("Designation plan"),
    "inspectors": _("Inspector"),
}
ACTIONS: dict[str, Promise] = {
    "create": _("Added"),
    "update": _("Changed"),
    "delete": _("Removed"),
    "transition": _("Status changed"),
}


def label(table: Mapping[str, Promise], value: str | None) -> str:
    if not value:
        return ""
    return str(table.get(value, value))
