"""Specialties name product types as the catalogue does (contract §1, rev. 2): a family, a type by any
of its codes, or by its key when it has no published code; anything else is refused naming the field,
and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cepa.history.models import ChangeSet
from cepa.personnel.models import Inspector
from cepa.personnel.tests.test_registration import _post
from cepa.testing.personas import Persona

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspectors/registrations"
BODY = {
    "id": "CCAA-2026-CCC-0042",
    "name": {"en": "Lee Siu Ming"},
    "grade": "inspector",
    "registered": "2026-03-01",
    "organisation": "hk-cb-a",
}


def test_specialties_by_bundled_code_and_key(personas: Callable[[str], Persona]) -> None:
    specialties = ["07", "0907", "brake-linings"]
    created = _post(URL, {**BODY, "specialties": specialties}, personas("registrar"))
    assert created.status_code == 201, created.content
    assert Inspector.objects.get().specialties == sorted(specialties)


@pytest.mark.parametrize(
    ("specialties", "field"),
    [
        (["no-such-type"], "specialties"),  # well formed, not in the catalogue
        (["brake-linings", "9999"], "specialties"),
        (["Brake-Linings"], "specialties.0"),  # malformed: the schema's pattern
        (["0907", "090"], "specialties.1"),
    ],
)
def test_specialties_no_catalogue_has_are_refused(
    personas: Callable[[str], Persona], specialties: list[str], field: str
) -> None:
    registrar = personas("registrar")  # made on first use, with its own change set
    changesets = ChangeSet.objects.count()
    refused = _post(URL, {**BODY, "specialties": specialties}, registrar)
    assert refused.status_code == 400, refused.content
    body: dict[str, Any] = refused.json()
    assert [error["field"] for error in body["errors"]] == [field]
    assert (Inspector.objects.count(), ChangeSet.objects.count()) == (0, changesets)
