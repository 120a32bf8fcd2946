"""Suspensions, withdrawals and terminations (issue 11, point 11): the public list by date, the archive by
week and a page per week; inspectors' notices carry no reason; the pages stay within their query budget
and speak three languages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from cepa.personnel.models import InspectorEvent
from cepa.web.public import notices
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notices, "beijing_today", lambda: TODAY)


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def items(html: str) -> list[tuple[str, str, str]]:
    """(date, kind, record id) of each notice, in page order."""
    found = []
    for section in html.split('<section class="notice-day"')[1:]:
        day = re.search(r'<time datetime="([^"]+)"', section).group(1)  # type: ignore[union-attr]
        for kind, record in re.findall(
            r'<li class="notice (\w+)" id="r-n-\d{4}-\d\d-\d\d-[a-z_]+-([^"]+)">', section
        ):
            found.append((day, kind, record))
    return found


def test_the_list_gives_every_kind_of_notice_newest_first(client: Client) -> None:
    html = client.get("/notices/").content.decode()
    assert "<h1>Suspensions, withdrawals and terminations</h1>" in html
    assert "The latest 11 of 11 notices." in html
    assert items(html) == [
        ("2026-07-01", "accreditation_suspended", "hkcas-092"),
        ("2026-05-01", "accreditation_suspended", "hoklas-901"),
        ("2026-03-01", "inspector_suspended", "ccaa-2023-ccc-0104"),
        ("2026-01-01", "designation_ended", "cnca-d-2016-l07"),
        *items(html)[4:],
    ]
    kinds = {kind for _, kind, _ in items(html)}
    assert kinds == {
        "accreditation_suspended",
        "accreditation_withdrawn",
        "designation_ended",
        "agreement_terminated",
        "inspector_suspended",
        "inspector_cancelled",
    }
    page = squeeze(html)
    assert (
        '<a href="/bodies/hk-lab-harbourview/#r-hoklas-901">Harbourview Testing Laboratory Ltd</a> '
        '<span class="muted codes">HOKLAS 901</span> <br>Product types: <span class="codes">0915</span>'
    ) in page
    assert "Voluntary suspension while the battery test area moves premises" in page


def test_inspectors_notices_give_no_reason(client: Client) -> None:
    page = squeeze(client.get("/notices/").content.decode())
    reasons = set(InspectorEvent.objects.exclude(reason="").values_list("reason", flat=True))
    assert "Annual confirmation overdue" in reasons
    assert [reason for reason in reasons if reason in page] == []
    inspector = page.split('id="r-n-2026-03-01-inspector_suspended-ccaa-2023-ccc-0104">')[1].split("</li>")[0]
    assert inspector == (
        ' <span class="tag warn">Inspector registration suspended</span> '
        '<a href="/inspectors/?number=CCAA-2023-CCC-0104&amp;on=2026-03-01">Wong Mei Ling</a> '
        '<span class="muted">Registration number <span class="codes">CCAA-2023-CCC-0104</span></span> '
    )


def test_the_archive_lists_each_week_with_notices(client: Client) -> None:
    html = client.get("/notices/").content.decode()
    weeks = re.findall(
        r'<li><a href="/notices/(\d{4}-W\d\d)/">([^<]+)</a>\s*<span class="muted">\(([^)]+)\)', html
    )
    assert weeks[0] == ("2026-W27", "Week of 29 June 2026 to 5 July 2026", "1 notice")
    assert ("2025-W49", "Week of 1 December 2025 to 7 December 2025", "2 notices") in weeks
    assert len(weeks) == 10


def test_a_week_page_lists_its_notices_oldest_first_with_the_weeks_around(client: Client) -> None:
    html = client.get("/notices/2025-W49/").content.decode()
    assert "<h1>Notices of the week of 1 December 2025 to 7 December 2025</h1>" in html
    assert '<p class="lead">2 notices in week 2025-W49, oldest first.</p>' in html
    found = items(html)
    assert len(found) == 2
    assert [day for day, _, _ in found] == sorted(day for day, _, _ in found)
    assert all("2025-12-01" <= day <= "2025-12-07" for day, _, _ in found)
    assert '<a href="/notices/2025-W48/" rel="prev">Previous week</a>' in html
    assert '<a href="/notices/2025-W50/" rel="next">Next week</a>' in html


def test_a_week_without_notices_says_so_and_the_current_week_has_no_next(client: Client) -> None:
    html = client.get("/notices/2026-W49/").content.decode()
    assert '<p class="lead">0 notices in week 2026-W49, oldest first.</p>' in html
    assert "<p>No suspension, withdrawal or termination in this week.</p>" in html
    assert 'rel="next"' not in html


@pytest.mark.parametrize("path", ["/notices/2026-W54/", "/notices/2026-W00/", "/notices/2027-W10/"])
def test_no_such_week_or_a_future_one_is_not_found(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_pages_stay_within_their_query_budget(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(10):
        assert client.get("/notices/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/notices/2025-W49/").status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "kind", "week"),
    [
        ("zh-hant", "<h1>暫停、撤銷及終止</h1>", "檢查員註冊暫停", "2025年12月1日至2025年12月7日當週"),
        ("zh-hans", "<h1>暂停、撤销及终止</h1>", "检查员注册暂停", "2025年12月1日至2025年12月7日当周"),
    ],
)
def test_the_pages_in_chinese(client: Client, language: str, title: str, kind: str, week: str) -> None:
    html = in_language(client, language).get("/notices/").content.decode()
    assert title in html
    assert f'<span class="tag warn">{kind}</span>' in html
    assert f'<a href="/notices/2025-W49/">{week}</a>' in html
    week_page = client.get("/notices/2025-W49/").content.decode()
    assert f"<h1>{week}的公告</h1>" in week_page


def test_every_page_links_the_list_in_its_footer(client: Client) -> None:
    assert '<li><a href="/notices/">Suspensions, withdrawals and terminations</a></li>' in (
        client.get("/").content.decode()
    )


def test_the_latest_notices_as_an_atom_feed(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(10):
        response = client.get("/notices/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = response.content.decode()
    assert "<title>CEPA Registry: suspensions, withdrawals and terminations</title>" in feed
    assert feed.count("<entry>") == 11
    first = feed.split("<entry>")[1].split("</entry>")[0]
    assert "<title>Accreditation suspended: Lion Peak Product Certification Ltd</title>" in first
    assert (
        '<link href="http://testserver/notices/2026-W27/#r-n-2026-07-01-accreditation_suspended-hkcas-092"'
        in first
    )
    assert "<updated>2026-07-01T00:00:00+08:00</updated>" in first
    assert "Reason: Suspended after an adverse surveillance finding" in first
    # No inspector's reason, in the feed either.
    reasons = InspectorEvent.objects.exclude(reason="").values_list("reason", flat=True)
    assert [reason for reason in reasons if reason in feed] == []
    assert '<link rel="alternate" type="application/atom+xml" href="/notices/feed.atom"' in (
        client.get("/notices/").content.decode()
    )
