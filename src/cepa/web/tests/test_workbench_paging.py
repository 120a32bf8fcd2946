"""Paging of the workbench's lists (issue 11, point 6): fifty rows a page, "showing 51–100 of 120" in
three languages, links that keep the filters, a page past the end shows the last one, a stable order,
and the same number of queries on the first page as on a middle one whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.bodies.models import Accreditation, AccreditationEvent
from cepa.catalogue.models import ProductType
from cepa.certificates.models import TestReport
from cepa.designation.models import Application, Plan
from cepa.enquiries.models import Enquiry
from cepa.rules.facts import BEIJING
from cepa.testing import factories
from cepa.web.paging import PAGE_SIZE, page_numbers
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

ROWS = 120
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=BEIJING)


def decided_cases(count: int = ROWS) -> list[Application]:
    """`count` decided applications of the demo's laboratories, half for 0701 and half for 0915; the
    decision moments repeat in pairs so the order needs its tiebreaker (the id)."""
    return Application.objects.bulk_create(
        Application(
            organisation_id="cn-lab-pearl-delta" if n % 3 else "cn-lab-bohai",
            product_types=["0701"] if n % 2 else ["0915"],
            status="approved" if n % 4 else "refused",
            route="plan",
            created=START,
            submitted=START,
            decided=START + dt.timedelta(hours=n // 2),
        )
        for n in range(count)
    )


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def ids_on(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


APPLICATION_LINK = r'<a href="/workbench/applications/(\d+)/">'


def test_page_numbers_leave_gaps() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(5, 12) == [1, None, 4, 5, 6, None, 12]
    assert page_numbers(2, 3) == [1, 2, 3]


def test_decided_cases_page_by_fifty_in_a_stable_order(client: Client) -> None:
    made = decided_cases()
    signed_in(client, "cnca")
    first_count, first = queries(client, "/workbench/decided/")
    middle_count, middle = queries(client, "/workbench/decided/?page=2")
    # Two queries for the list (its count, its page) on any page; the rest is the signed-in request.
    assert first_count == middle_count
    assert "Showing 1–50 of 120" in first
    assert "Showing 51–100 of 120" in middle
    assert '<span class="muted">(120)</span>' in first
    last = client.get("/workbench/decided/?page=3").content.decode()
    assert "Showing 101–120 of 120" in last
    expected = [str(a.pk) for a in sorted(made, key=lambda a: (a.decided, a.pk), reverse=True)]
    shown = (
        ids_on(first, APPLICATION_LINK) + ids_on(middle, APPLICATION_LINK) + ids_on(last, APPLICATION_LINK)
    )
    assert shown == expected
    assert '<a href="?page=3" rel="next">Next page</a>' in middle
    assert '<a href="?page=1" rel="prev">Previous page</a>' in middle
    assert '<a href="?page=2" aria-label="Page 2" aria-current="page">2</a>' in middle


def test_the_query_count_does_not_grow_with_the_rows(client: Client) -> None:
    decided_cases(PAGE_SIZE + 1)
    signed_in(client, "cnca")
    few, _ = queries(client, "/workbench/decided/?page=2")
    decided_cases(ROWS * 2)
    many, _ = queries(client, "/workbench/decided/?page=3")
    assert few == many


@pytest.mark.parametrize("page", ["99", "9" * 5000, "0", "-1", "abc", "1e3", "²", ""])
def test_a_page_out_of_range_is_not_an_error(client: Client, page: str) -> None:
    decided_cases()
    signed_in(client, "cnca")
    response = client.get(f"/workbench/decided/?page={page}")
    assert response.status_code == 200
    # Past the end: the last page. Not a number, or below 1: the first.
    expected = "Showing 101–120 of 120" if page.startswith("99") else "Showing 1–50 of 120"
    assert expected in response.content.decode()


def test_the_links_keep_every_filter(client: Client) -> None:
    decided_cases()
    signed_in(client, "cnca")
    html = client.get(
        "/workbench/decided/?status=approved&product_type=0701&body=pearl&page=1"
    ).content.decode()
    # Of the 120: odd n (0701), n % 4 != 0 (approved: all odd n), n % 3 != 0 (pearl) -> 40.
    assert "Showing 1–40 of 40" in html
    assert "Next page" not in html
    html = client.get("/workbench/decided/?status=approved&product_type=0915").content.decode()
    # Even n, not divisible by 4: 30 of them.
    assert "Showing 1–30 of 30" in html
    html = client.get("/workbench/decided/?status=approved&decided_from=2026-01-05").content.decode()
    assert "Showing 1–50 of 90" in html
    assert (
        '<a href="?status=approved&amp;decided_from=2026-01-05&amp;page=2" rel="next">Next page</a>' in html
    )


def test_a_bundled_code_finds_the_cases_of_its_type(client: Client) -> None:
    Application.objects.bulk_create(
        [
            Application(
                organisation_id="cn-lab-bohai",
                product_types=["0807"],
                status="approved",
                route="plan",
                created=START,
                submitted=START,
                decided=START,
            ),
            Application(
                organisation_id="cn-lab-bohai",
                product_types=["0907"],
                status="approved",
                route="plan",
                created=START,
                submitted=START,
                decided=START,
            ),
        ]
    )
    signed_in(client, "cnca")
    html = client.get("/workbench/decided/?product_type=0907").content.decode()
    # 0807 and 0907 are one product type in the 2023 catalogue (contract §1, rev. 2).
    assert "Showing 1–2 of 2" in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Showing 51–100 of 1,234"),
        ("zh-hant", "顯示第 51–100 項，共 1,234 項"),
        ("zh-hans", "显示第 51–100 项，共 1,234 项"),
    ],
)
def test_the_count_in_three_languages(client: Client, language: str, text: str) -> None:
    Enquiry.objects.bulk_create(
        Enquiry(
            reference=f"ENQ-{n:05d}",
            product_type="0701",
            queue="electrical_electronic",
            name="Someone",
            email="someone@example.org",
            message="When?",
            submitted_at=START + dt.timedelta(minutes=n),
        )
        for n in range(1234)
    )
    signed_in(client, "cnca", language)
    count, html = queries(client, "/workbench/enquiries/?sector=electrical_electronic&page=2")
    assert text in html
    assert "sector=electrical_electronic&amp;show=" not in html  # no parameter is invented
    assert '<a href="?sector=electrical_electronic&amp;page=3" rel="next">' in html
    first, _ = queries(client, "/workbench/enquiries/?sector=electrical_electronic")
    assert first == count


def test_plans_page_with_their_filters(client: Client) -> None:
    for n in range(ROWS):
        factories.plan(
            f"2031-lab-{n:03d}",
            2031,
            "laboratory",
            ["0701"],
            "2030-12-01",
            "2031-03-01T09:00",
            "2031-03-31T17:00",
        )
    signed_in(client, "cnca")
    first_count, _ = queries(client, "/workbench/plans/?year=2031&status=published")
    middle_count, middle = queries(client, "/workbench/plans/?year=2031&status=published&page=2")
    assert first_count == middle_count
    assert "Showing 51–100 of 120" in middle
    assert '<a href="?year=2031&amp;status=published&amp;page=3" rel="next">Next page</a>' in middle
    assert ids_on(middle, r'<a class="codes" href="/workbench/plans/([^/]+)/">')[:2] == [
        "2031-lab-050",
        "2031-lab-051",
    ]


def test_accreditations_page_within_a_fixed_number_of_queries(client: Client) -> None:
    for n in range(ROWS):
        factories.accreditation(
            f"HOKLAS {n + 500:03d}",
            "hk-lab-harbourview",
            "HOKLAS",
            "2020-01-01",
            ["0701"],
            [("2026-05-01", "suspended", None)],
        )
    signed_in(client, "hkas")
    first_count, _ = queries(client, "/workbench/accreditations/?q=HOKLAS")
    middle_count, middle = queries(client, "/workbench/accreditations/?q=HOKLAS&page=2")
    assert first_count == middle_count
    total = Accreditation.objects.filter(id__icontains="HOKLAS").count()
    assert f"Showing 51–100 of {total:,}" in middle
    assert '<a href="?q=HOKLAS&amp;page=3" rel="next">' in middle
    # The status changes on the officer's home page page too.
    events = AccreditationEvent.objects.count()
    home_count, home = queries(client, "/workbench/")
    assert f"Showing 1–50 of {events:,}" in home
    assert queries(client, "/workbench/?page=2")[0] == home_count


def test_inspectors_page_with_a_status_filter(client: Client) -> None:
    for n in range(ROWS):
        factories.inspector(
            f"CCAA-2030-CCC-{n:04d}",
            "inspector",
            ["07"],
            "2024-01-01",
            "2099-12-31",
            [("hk-cb-victoria", "2024-01-01", None)],
        )
    signed_in(client, "ccaa")
    first_count, _ = queries(client, "/workbench/inspectors/?q=CCAA-2030&status=active")
    middle_count, middle = queries(client, "/workbench/inspectors/?q=CCAA-2030&status=active&page=2")
    assert first_count == middle_count
    assert "Showing 51–100 of 120" in middle
    assert '<a href="?q=CCAA-2030&amp;status=active&amp;page=3" rel="next">' in middle
    assert "Showing 1–50 of 120" in client.get("/workbench/inspectors/?q=CCAA-2030").content.decode()


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("pearl", "/workbench/decided/?page=2"),
        ("ccaa", "/workbench/plans/?page=2"),
        ("hkas", "/workbench/enquiries/?page=2"),
        ("cnca", "/workbench/inspectors/?page=2"),
        ("pearl", "/workbench/accreditations/?page=2"),
    ],
)
def test_a_page_is_forbidden_to_others_and_changes_nothing(client: Client, username: str, url: str) -> None:
    decided_cases()
    before = (Application.objects.count(), Plan.objects.count(), Enquiry.objects.count())
    signed_in(client, username)
    assert client.get(url).status_code == 403
    assert (Application.objects.count(), Plan.objects.count(), Enquiry.objects.count()) == before


def test_a_single_page_shows_the_count_but_no_page_links(client: Client) -> None:
    decided_cases(3)
    signed_in(client, "cnca")
    html = client.get("/workbench/decided/").content.decode()
    assert "Showing 1–3 of 3" in html
    assert 'aria-label="Pages of results"' not in html


def test_a_laboratorys_test_reports_page_in_the_portal(client: Client) -> None:
    for n in range(ROWS):
        factories.test_report(
            f"HV-2026-{n:04d}",
            "hk-lab-harbourview",
            "0701",
            dt.date(2026, 1, 1) + dt.timedelta(days=n // 2),
            "cn-cb-xiangjiang",
        )
    signed_in(client, "harbour")
    first_count, first = queries(client, "/portal/certificates/")
    middle_count, middle = queries(client, "/portal/certificates/?page=2")
    assert first_count == middle_count
    total = TestReport.objects.filter(laboratory_id="hk-lab-harbourview").count()
    assert f"Showing 1–50 of {total}" in first
    assert f"Showing 51–100 of {total}" in middle
    # The latest first, ties by id: page 1 starts with the last two made.
    assert re.findall(r'<span class="codes">(HV-2026-\d+)</span>', first)[:2] == [
        "HV-2026-0118",
        "HV-2026-0119",
    ]


def test_expressions_of_interest_page_by_product_type(client: Client) -> None:
    found = ProductType.objects.filter(code__isnull=False).order_by("code").values_list("code", flat=True)
    catalogue = [str(code) for code in found[:ROWS]]
    for n, code in enumerate(catalogue):
        factories.expression_of_interest(f"EOI-P-{n}", "cn-lab-pearl-delta", 2031, [code], "2031-03-01T09:00")
    signed_in(client, "cnca")
    html = client.get("/workbench/interest/?year=2031&page=2").content.decode()
    assert f"Showing 51–100 of {len(catalogue)}" in html
    assert '<a href="?year=2031&amp;page=1" rel="prev">' in html


def test_the_cnca_queues_page_each_by_its_own_parameter(client: Client) -> None:
    Application.objects.bulk_create(
        Application(
            organisation_id="cn-lab-pearl-delta",
            product_types=["0701"],
            status="submitted" if n % 2 else "under_review",
            route="plan",
            created=START,
            submitted=START + dt.timedelta(minutes=n),
        )
        for n in range(ROWS)
    )
    signed_in(client, "cnca")
    first_count, first = queries(client, "/workbench/")
    later_count, later = queries(client, "/workbench/?submitted-page=2&under-review-page=1")
    assert first_count == later_count
    assert first.count("Showing 1–50 of 60") == 2
    assert "Showing 51–60 of 60" in later and "Showing 1–50 of 60" in later
    assert '<nav aria-label="Applications to start reviewing">' in later
    assert '<a href="?submitted-page=1&amp;under-review-page=1" rel="prev">' in later
    assert '<a href="?submitted-page=2&amp;under-review-page=2" rel="next">' in later
