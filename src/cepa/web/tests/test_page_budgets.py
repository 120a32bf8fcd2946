"""The pages the benchmark measures (issue 13) make the same number of queries whatever the size of the
registry, within their budgets, on registries generated as the benchmark generates its 10,000 bodies."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.demo.bench import Sizes, busiest_laboratory, generate, most_common_code
from cepa.interchange.services import import_document

ON = "2026-06-01"
# The budgets. Who can test resolves the records its shown reasons name: a query per kind of record
# (accreditations, agreements, designations, bodies) that the page's reasons happen to name. The body
# page also counts the current certificates resting on the body's work (one query).
BODY, DIRECTORY, WHO_CAN_TEST = 12, 11, 15
ENTRY = re.compile(r'<article class="decision (?:allowed|refused)" id="r-([^"]+)"')


def registry(organisations: int) -> tuple[str, str, str]:
    """A generated registry of this many bodies, imported; its busiest laboratory, a code of that
    laboratory's, and the code most accreditations cover."""
    document = generate(Sizes(organisations, organisations, 4 * organisations), seed=13)
    subject, code = busiest_laboratory(document)
    common = most_common_code(document)
    import_document(actor="system:test", document=document, reason="generated registry")
    return subject, code, common


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def pages(subject: str, common: str) -> dict[str, str]:
    return {
        "body": f"/bodies/{subject}/?on={ON}",
        "directory": f"/directory/?product={common}&on={ON}",
        "who": f"/who-can-test/?product={common}&on={ON}",
    }


@pytest.fixture
def counted(db: None, client: Client) -> dict[str, int]:
    """The queries of each page on a registry of 60 bodies."""
    subject, _, common = registry(60)
    return {name: queries(client, path)[0] for name, path in pages(subject, common).items()}


def test_the_pages_stay_within_their_budgets(counted: dict[str, int]) -> None:
    assert (counted["body"], counted["directory"]) == (BODY, DIRECTORY)
    assert counted["who"] <= WHO_CAN_TEST


def test_the_same_queries_on_a_registry_five_times_larger(client: Client, db: None) -> None:
    subject, _, common = registry(300)
    found = {name: queries(client, path) for name, path in pages(subject, common).items()}
    assert (found["body"][0], found["directory"][0]) == (BODY, DIRECTORY)
    assert found["who"][0] <= WHO_CAN_TEST
    # Who can test: one page of 50 laboratories with their reasons, and links to the others.
    assert len(ENTRY.findall(found["who"][1])) == 50
    assert 'rel="next"' in found["who"][1]
    second = client.get(f"/who-can-test/?product={common}&on={ON}&page=2").content.decode()
    assert len(ENTRY.findall(second)) == 50
    assert not set(ENTRY.findall(second)) & set(ENTRY.findall(found["who"][1]))
    # The directory: 25 rows, each laboratory's decision among them.
    assert found["directory"][1].count('<th scope="row">') == 25


def test_a_conditional_get_is_one_query(client: Client, db: None, django_assert_num_queries: Any) -> None:
    subject, _, common = registry(60)
    for path in pages(subject, common).values():
        etag = client.get(path)["ETag"]
        with django_assert_num_queries(1):
            assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
