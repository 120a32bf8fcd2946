"""The officers' home queues are paged in the database: each queue costs its count and its page's rows
(LIMIT 50), so the home page makes the same queries, and builds the same fifty rows a queue, for 60
records waiting as for 600."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.designation.models import Application, Objection
from cepa.filings.models import AgreementFiling
from cepa.personnel.models import Inspector, Transfer
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=BEIJING)
# The queries of the home page: the signed-in request (session, user, device, role...) and two for each
# queue (its count, its page). Fixed numbers: a count that grew with the rows would fail here.
CNCA_HOME, CCAA_HOME = 12, 6
# Each queue's table and its number of queues (two of applications: submitted, under review).
QUEUE_TABLES = {
    "cnca": {"designation_application": 2, "designation_objection": 1, "filings_agreementfiling": 1},
    "ccaa": {"personnel_transfer": 1},
}
CNCA_PAGES = "?submitted-page=2&under-review-page=2&objections-page=2&filings-page=2"


def waiting_at_cnca(first: int, count: int) -> None:
    """`count` records in each CNCA queue (submitted, under review, objections, filings), numbered from
    `first`; the moments repeat in pairs, so each order needs its tiebreaker (the id)."""
    at = [START + dt.timedelta(minutes=(first + n) // 2) for n in range(count)]
    applications = Application.objects.bulk_create(
        Application(
            organisation_id="cn-lab-pearl-delta",
            product_types=["0701"],
            status=status,
            route="plan",
            created=START,
            submitted=moment,
        )
        for moment in at
        for status in ("submitted", "under_review")
    )
    objected = applications[0]
    Objection.objects.bulk_create(
        Objection(application=objected, grounds="No.", lodged=moment, lodged_by="someone", status="pending")
        for moment in at
    )
    AgreementFiling.objects.bulk_create(
        AgreementFiling(
            id=f"F-{first + n:05d}",
            kind="testing",
            party_id="hk-lab-harbourview",
            counterparty_id="hk-cb-victoria",
            product_types=["0701"],
            valid_from=dt.date(2026, 1, 1),
            status="filed",
            filed_at=moment,
            filed_by="someone",
        )
        for n, moment in enumerate(at)
    )


def waiting_at_ccaa(first: int, count: int) -> None:
    """`count` transfer requests, one for each of `count` new inspectors (one pending each)."""
    inspectors = Inspector.objects.bulk_create(
        Inspector(
            id=f"CCAA-2031-T-{first + n:04d}",
            name_en="Someone",
            grade="inspector",
            specialties=["07"],
            registered=dt.date(2024, 1, 1),
            expires=dt.date(2099, 12, 31),
        )
        for n in range(count)
    )
    Transfer.objects.bulk_create(
        Transfer(
            inspector=inspector,
            to_organisation_id="hk-cb-victoria",
            effective=dt.date(2026, 2, 1),
            status="requested",
            requested_by="someone",
            requested_at=START + dt.timedelta(minutes=(first + n) // 2),
        )
        for n, inspector in enumerate(inspectors)
    )


def home(client: Client, query: str = "") -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/workbench/{query}")
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def paged_in_the_database(sql: list[str], tables: dict[str, int]) -> None:
    """Each queue reads its table twice: its count, and its page (LIMIT 50 at most)."""
    for table, queues in tables.items():
        reads = [q for q in sql if f'FROM "{table}"' in q]
        counts = [q for q in reads if "COUNT(" in q]
        pages = [q for q in reads if "COUNT(" not in q]
        assert (len(counts), len(pages)) == (queues, queues), table
        limits = [re.search(r"LIMIT (\d+)", q) for q in pages]
        assert all(limit and int(limit[1]) <= 50 for limit in limits), table


def test_the_cnca_queues_cost_the_same_for_60_and_600(client: Client) -> None:
    waiting_at_cnca(0, 60)
    signed_in(client, "cnca")
    few, few_html = home(client, CNCA_PAGES)
    assert len(few) == CNCA_HOME
    paged_in_the_database(few, QUEUE_TABLES["cnca"])
    assert few_html.count("Showing 51–60 of 60") == 4
    waiting_at_cnca(60, 540)
    many, many_html = home(client, CNCA_PAGES)
    assert len(many) == len(few)
    paged_in_the_database(many, QUEUE_TABLES["cnca"])
    assert many_html.count("Showing 51–100 of 600") == 4
    assert '<span class="muted">(600)</span>' in many_html
    first, _ = home(client)
    assert len(first) == CNCA_HOME


def test_the_cnca_queue_pages_keep_the_oldest_first_order(client: Client) -> None:
    waiting_at_cnca(0, 120)
    signed_in(client, "cnca")
    expected = [str(a.pk) for a in Application.objects.filter(status="submitted").order_by("submitted", "id")]
    shown: list[str] = []
    for page in (1, 2, 3):
        _, html = home(client, f"?submitted-page={page}")
        section = html.split('id="queue-submitted"')[1].split("</section>")[0]
        shown += re.findall(r'<a href="/workbench/applications/(\d+)/">', section)
    assert shown == expected
    _, html = home(client, "?filings-page=3&submitted-page=2")
    section = html.split('id="queue-filings"')[1].split("</section>")[0]
    assert re.findall(r'<a href="/workbench/filings/(F-\d+)/">', section) == [
        f"F-{n:05d}" for n in range(100, 120)
    ]
    # The links of one queue keep the other queues' pages.
    assert '<a href="?filings-page=2&amp;submitted-page=2" rel="prev">' in html


def test_the_transfer_queue_costs_the_same_for_60_and_600(
    client: Client, django_assert_num_queries: Any
) -> None:
    waiting_at_ccaa(0, 60)
    signed_in(client, "ccaa")
    few, html = home(client, "?transfers-page=2")
    assert len(few) == CCAA_HOME
    paged_in_the_database(few, QUEUE_TABLES["ccaa"])
    assert "Showing 51–60 of 60" in html
    waiting_at_ccaa(60, 540)
    with django_assert_num_queries(CCAA_HOME):
        response = client.get("/workbench/?transfers-page=12")
    assert "Showing 551–600 of 600" in response.content.decode()
    many, _ = home(client, "?transfers-page=12")
    paged_in_the_database(many, QUEUE_TABLES["ccaa"])
