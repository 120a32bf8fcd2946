"""Contract rev. 2 in the interchange: catalogue keys wherever a code is, a type's codes interchangeable
(an event's scope may name the type under another of its codes), no two-digit family for a key, and a
plan that does not say so requires no expression of interest. Export, import, export round-trips."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from cepa.bodies.models import Organisation
from cepa.designation.models import Plan
from cepa.interchange.services import ImportRefused, document_json, export_document, import_document

pytestmark = pytest.mark.django_db


def document() -> dict[str, Any]:
    return {
        "format": "cepa-registry/1",
        "organisations": [
            {"id": "hk-lab", "name": {"en": "Lab"}, "kind": "laboratory", "seat": "HK"},
            {"id": "cn-cb", "name": {"en": "CB"}, "kind": "certification_body", "seat": "MAINLAND"},
        ],
        "accreditations": [
            {
                "id": "HOKLAS 1",
                "organisation": "hk-lab",
                "scheme": "HOKLAS",
                "scope": ["0807", "ebike-chargers"],
                "granted": "2019-01-01",
                "events": [{"on": "2026-05-01", "status": "suspended", "scope": ["0907"]}],
            },
        ],
        "designations": [
            {
                "id": "D-1",
                "organisation": "cn-cb",
                "role": "certification_body",
                "product_types": ["0907", "ebike-chargers"],
                "from": "2018-01-01",
                "until": None,
            },
        ],
        "plans": [
            {
                "id": "P-1",
                "year": 2026,
                "role": "laboratory",
                "product_types": ["electric-bicycles"],
                "published": "2026-05-01",
                "window": {"opens": "2026-06-01T09:00:00+08:00", "closes": "2026-06-30T17:00:00+08:00"},
            },
        ],
        "inspectors": [
            {
                "id": "CCAA-1",
                "name": {"en": "A"},
                "grade": "inspector",
                "specialties": ["09", "ebike-chargers"],
                "registered": "2023-01-01",
                "expires": "2027-01-01",
                "affiliations": [],
            },
        ],
    }


def test_keys_and_bundled_codes_import_and_round_trip(actor: str) -> None:
    with transaction.atomic():
        import_document(actor=actor, document=document())
        first = document_json(export_document())
        transaction.set_rollback(True)
    assert Organisation.objects.count() == 0
    import_document(actor=actor, document=first)
    assert document_json(export_document()) == first
    exported = export_document()
    # Written as given: the codes and keys the publisher used.
    assert exported["accreditations"][0]["scope"] == ["0807", "ebike-chargers"]
    assert exported["accreditations"][0]["events"][0]["scope"] == ["0907"]
    assert exported["designations"][0]["product_types"] == ["0907", "ebike-chargers"]


def test_a_plan_that_does_not_say_requires_no_expression_of_interest(actor: str) -> None:
    import_document(actor=actor, document=document())
    assert Plan.objects.get(pk="P-1").requires_expression_of_interest is False
    assert export_document()["plans"][0]["requires_expression_of_interest"] is False
    said = document()
    said["plans"][0]["requires_expression_of_interest"] = True
    import_document(actor=actor, document=said)
    assert Plan.objects.get(pk="P-1").requires_expression_of_interest is True


def refusals(doc: dict[str, Any], actor: str) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_document(actor=actor, document=doc)
    return [f"{problem.pointer}: {problem.message}" for problem in refused.value.problems]


def test_unknown_keys_and_families_are_refused(actor: str) -> None:
    doc = document()
    doc["designations"][0]["product_types"] = ["no-such-type", "Ebike-Chargers"]
    doc["inspectors"][0]["specialties"] = ["eb", "99"]
    assert refusals(doc, actor) == [
        '/designations/0/product_types/0: unknown product type code "no-such-type"',
        '/designations/0/product_types/1: "Ebike-Chargers" is not a product type code (4 digits) or '
        "catalogue key",
        '/inspectors/0/specialties/0: unknown product type code "eb"',
        '/inspectors/0/specialties/1: unknown product type family "99"',
    ]


def test_an_event_scope_outside_the_type_is_still_refused(actor: str) -> None:
    doc = document()
    doc["accreditations"][0]["events"][0]["scope"] = ["0701"]
    assert refusals(doc, actor) == [
        '/accreditations/0/events/0/scope/0: "0701" is not in the accreditation\'s scope',
    ]
