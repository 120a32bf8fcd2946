"""Properties over generated documents: export is canonical, the round trip is exact, a repeat is a no-op."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from cepa.catalogue.selectors import known_codes
from cepa.history.models import ChangeSet
from cepa.interchange.services import document_json, export_document, import_document
from cepa.interchange.tests.helpers import canonical_form, row_counts
from cepa.interchange.tests.strategies import CODES, documents

pytestmark = pytest.mark.django_db

BEIJING = timezone(timedelta(hours=8))
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def in_beijing(value: str) -> str:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING).isoformat()


def expected_export(document: dict[str, Any]) -> dict[str, Any]:
    expected = canonical_form(document)
    for plan in expected.get("plans", []):
        plan["window"] = {key: in_beijing(value) for key, value in plan["window"].items()}
    for expression in expected.get("expressions_of_interest", []):
        expression["submitted"] = in_beijing(expression["submitted"])
    return expected


def test_the_generated_codes_are_known() -> None:
    assert set(CODES) <= known_codes()


@PROPERTY_SETTINGS
@given(documents())
def test_import_export_round_trip(document: dict[str, Any]) -> None:
    with transaction.atomic():
        import_document(actor="test:property", document=document)
        first = export_document()
        assert first == expected_export(document)
        counts = row_counts()
        changesets = ChangeSet.objects.count()
        assert import_document(actor="test:property", document=document).changeset_id is None
        assert row_counts() == counts and ChangeSet.objects.count() == changesets
        transaction.set_rollback(True)
    text = document_json(first)
    with transaction.atomic():
        import_document(actor="test:property", document=text)
        assert document_json(export_document()) == text
        transaction.set_rollback(True)
