"""The inspector register's status filter is applied and paged in the database: the list shows what the
old reading (every record's status by the rules, filtered and paged in Python) showed, and costs the same
queries, none naming more than a page of inspectors, for 60 inspectors as for 600."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.personnel import selectors
from cepa.personnel.models import Affiliation, Inspector, InspectorEvent
from cepa.web.paging import PAGE_SIZE
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

ONE = dt.timedelta(days=1)
ROW = re.compile(r'<a class="codes" href="/workbench/inspectors/([^/]+)/">')
SHOWN_ID = re.compile(r"CCAA-G-\d{4}")
# The queries of a page of the register: the signed-in request (4), the count, the page's ids, the page's
# records (3) and the names of their bodies.
LIST_QUERIES = 10


def generated(first: int, count: int) -> None:
    """`count` inspectors whose status today varies with their number: no events (active), suspended
    today, cancelled yesterday and "reinstated" today (still cancelled), suspended yesterday and
    reinstated today (active), suspended tomorrow (active), a grade change only (active)."""
    today = selectors.beijing_today()
    patterns: list[list[tuple[dt.date, str]]] = [
        [],
        [(today, "suspended")],
        [(today - ONE, "cancelled"), (today, "active")],
        [(today, "active"), (today - ONE, "suspended")],
        [(today + ONE, "suspended")],
        [(today, "")],
    ]
    inspectors = Inspector.objects.bulk_create(
        Inspector(
            id=f"CCAA-G-{first + n:04d}",
            name_en=f"Generated {first + n}",
            grade="inspector",
            specialties=["07"],
            registered=dt.date(2024, 1, 1),
            expires=dt.date(2099, 12, 31),
        )
        for n in range(count)
    )
    Affiliation.objects.bulk_create(
        Affiliation(inspector=inspector, organisation_id="hk-cb-victoria", valid_from=dt.date(2024, 1, 1))
        for inspector in inspectors
    )
    InspectorEvent.objects.bulk_create(
        InspectorEvent(
            inspector=inspector, position=position, on=on, status=status, grade="" if status else "senior"
        )
        for n, inspector in enumerate(inspectors)
        for position, (on, status) in enumerate(patterns[(first + n) % len(patterns)])
    )


def old_list(q: str, status: str) -> list[tuple[str, str]]:
    """What the list showed before: every record of the query read, by the rules, then filtered."""
    ids = list(selectors.inspectors(None, q=q or None).values_list("pk", flat=True))
    return [
        (r["id"], r["status"]) for r in selectors.public_records(ids) if not status or r["status"] == status
    ]


def shown(client: Client, q: str, status: str) -> tuple[list[tuple[str, str]], int]:
    """Every row of every page (id and status shown) and the total the page states."""
    rows: list[tuple[str, str]] = []
    page, total = 1, -1
    while True:
        html = client.get(
            "/workbench/inspectors/", {"q": q, "status": status, "page": str(page)}
        ).content.decode()
        body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
        for row in body.split("</tr>")[:-1]:
            found = ROW.search(row)
            assert found
            label = re.findall(r'<span class="tag [^"]+">([^<]+)</span>', row)[0]
            rows.append((found[1], label.lower()))
        counted = re.search(r"Showing [\d,]+–[\d,]+ of ([\d,]+)", html)
        total = int(counted[1].replace(",", "")) if counted else len(rows)
        if 'rel="next"' not in html:
            return rows, total
        page += 1


@pytest.mark.parametrize("q", ["", "CCAA-G", "CCAA-2021", "Generated 1"])
def test_the_filter_shows_what_it_showed_before(client: Client, q: str) -> None:
    generated(0, 130)
    signed_in(client, "ccaa")
    for status in ("", "active", "suspended", "cancelled"):
        expected = old_list(q, status)
        rows, total = shown(client, q, status)
        assert rows == expected, (q, status)
        assert total == len(expected)
    # The generated patterns and the demo registry give each status.
    assert {status for _, status in old_list("", "")} == {"active", "suspended", "cancelled"}


def list_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def within_a_page(queries: list[str]) -> None:
    for sql in queries:
        assert len(set(SHOWN_ID.findall(sql))) <= PAGE_SIZE, sql[:200]


def test_the_filter_costs_the_same_for_60_and_600_inspectors(
    client: Client, django_assert_num_queries: Any
) -> None:
    generated(0, 60)
    signed_in(client, "ccaa")
    urls = [
        "/workbench/inspectors/?status=active",
        "/workbench/inspectors/?status=cancelled&q=CCAA-G",
        "/workbench/inspectors/?status=active&page=2",
    ]
    few = [list_queries(client, url) for url in urls]
    assert [len(queries) for queries in few] == [LIST_QUERIES] * 3
    generated(60, 540)
    many = [list_queries(client, url) for url in urls]
    assert [len(queries) for queries in many] == [LIST_QUERIES] * 3
    for queries in few + many:
        within_a_page(queries)
    with django_assert_num_queries(LIST_QUERIES):
        html = client.get("/workbench/inspectors/?status=active&page=3").content.decode()
    # 600 generated: four patterns in six are active today (400), and the demo's active inspectors.
    active = len(old_list("", "active"))
    assert active > 400
    assert f"Showing 101–150 of {active}" in html
