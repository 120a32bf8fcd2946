"""Finding 2 of issue 12: a record's history is visible exactly when the record is, field by field as the
record's own page shows it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cepa.interchange.services import import_document
from cepa.interchange.tests.helpers import sample
from cepa.personnel.services import registration
from cepa.testing import personas
from cepa.testing.factories import D

pytestmark = pytest.mark.django_db

EOI = "EOI-2026-0031"  # cn-lab-pearl's
INSPECTOR = "2024-CCC-HK-0007"  # affiliated with hk-cb-lionrock
SECRET = "long-term sick leave after surgery"


@pytest.fixture
def registry() -> None:
    document = sample()
    document["inspectors"][0]["events"] = [{"on": "2025-01-10", "status": "suspended", "reason": SECRET}]
    import_document(actor="test:officer", document=document, reason="initial load")
    registration.change_status(
        actor="test:registrar",
        inspector_id=INSPECTOR,
        status="active",
        on=D("2025-03-01"),
        reason=SECRET + " ended",
    )


def history(path: str, who: personas.Persona | None = None) -> Any:
    return Client().get(f"/api/v1/history/{path}", headers=who.headers if who else {})


@pytest.mark.parametrize("who", [None, "other_applicant"])
def test_an_expression_of_interest_has_no_public_history(registry: None, who: str | None) -> None:
    persona = personas.applicant("river", "hk-lab-harbour") if who else None
    response = history(EOI, persona)
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")
    assert EOI not in json.dumps(history("cn-lab-pearl").json()["changes"][0]["after"])


@pytest.mark.parametrize("who", ["own_applicant", "cnca", "hkas", "admin"])
def test_who_sees_an_expression_of_interest_sees_its_history(registry: None, who: str) -> None:
    persona = {
        "own_applicant": lambda: personas.applicant("pearl", "cn-lab-pearl"),
        "cnca": personas.cnca_officer,
        "hkas": personas.hkas_officer,
        "admin": personas.admin,
    }[who]()
    response = history(EOI, persona)
    assert response.status_code == 200
    assert [(c["record_type"], c["action"]) for c in response.json()["changes"]] == [
        ("expressions_of_interest", "create")
    ]


def test_an_inspectors_public_history_has_no_status_reasons(registry: None) -> None:
    for who in (None, personas.applicant("river", "hk-lab-harbour"), personas.cnca_officer()):
        response = history(INSPECTOR, who)
        assert response.status_code == 200
        changes = response.json()["changes"]
        assert SECRET not in json.dumps(changes)
        assert [(c["action"], c["reason"], c["fields"]) for c in changes] == [
            (
                "create",
                "",
                ["affiliations", "events", "expires", "grade", "id", "name", "registered", "specialties"],
            ),
            ("update", "", ["events"]),
        ]
        assert changes[1]["after"]["events"] == [
            {"on": "2025-01-10", "status": "suspended"},
            {"on": "2025-03-01", "status": "active"},
        ]


@pytest.mark.parametrize("who", ["registrar", "own_body"])
def test_the_registrar_and_the_inspectors_body_see_the_reasons(registry: None, who: str) -> None:
    persona = (
        personas.ccaa_registrar() if who == "registrar" else personas.applicant("lion", "hk-cb-lionrock")
    )
    changes = history(INSPECTOR, persona).json()["changes"]
    assert [c["reason"] for c in changes] == ["initial load", SECRET + " ended"]
    assert [e.get("reason") for e in changes[1]["after"]["events"]] == [SECRET, SECRET + " ended"]


def test_public_records_keep_their_whole_history(registry: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(5):
        response = history("cn-lab-pearl")
    assert [(c["record_type"], c["reason"]) for c in response.json()["changes"]] == [
        ("organisations", "initial load")
    ]
