"""CNCA's enquiries queue in the workbench, and the enquirer's status page (issue 11, point 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from cepa.enquiries.models import Enquiry, EnquiryReply, EnquiryTransition
from cepa.enquiries.services import close_enquiry, submit_enquiry
from cepa.web.tests.conftest import in_language, signed_in

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
ASKED: dict[str, Any] = {
    "product_type": "0701",
    "name": "陳大文",
    "email": "chan@example.com",
    "message": "可否在香港測試電冰箱？",
    "language": "zh-Hant",
}


@pytest.fixture
def asked(personas: dict[str, Any]) -> list[Enquiry]:
    return [
        submit_enquiry(actor="public:web", now=T0 + dt.timedelta(hours=1), **ASKED),
        submit_enquiry(actor="public:web", now=T0, **{**ASKED, "name": "Ann Lee", "language": "en"}),
        submit_enquiry(actor="public:web", now=T0, **{**ASKED, "product_type": "2401"}),
    ]


def references(html: str, enquiries: list[Enquiry]) -> list[str]:
    found = sorted(
        (html.index(f">{e.reference}<"), e.reference) for e in enquiries if f">{e.reference}<" in html
    )
    return [reference for _, reference in found]


def test_the_queue_is_by_sector_oldest_first(
    client: Client, asked: list[Enquiry], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, "cnca")
    with django_assert_max_num_queries(10):
        response = client.get("/workbench/enquiries/", {"sector": "electrical_electronic"})
    assert response.status_code == 200
    html = response.content.decode()
    assert references(html, asked) == [asked[1].reference, asked[0].reference]
    both = client.get("/workbench/enquiries/").content.decode()
    assert references(both, asked) == [asked[1].reference, asked[2].reference, asked[0].reference]
    close_enquiry(actor="user:cnca", user=_cnca(), reference=asked[1].reference)
    assert references(client.get("/workbench/enquiries/").content.decode(), asked) == [
        asked[2].reference,
        asked[0].reference,
    ]
    closed = client.get("/workbench/enquiries/", {"show": "closed"}).content.decode()
    assert references(closed, asked) == [asked[1].reference]


def _cnca() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="cnca")


@pytest.mark.parametrize("username", ["pearl", "ccaa", "hkas"])
def test_other_roles_may_not_open_the_queue(client: Client, asked: list[Enquiry], username: str) -> None:
    signed_in(client, username)
    assert client.get("/workbench/enquiries/").status_code == 403
    assert (
        client.post(
            f"/workbench/enquiries/{asked[0].reference}/", {"action": "close", "reason": ""}
        ).status_code
        == 403
    )
    assert Enquiry.objects.get(pk=asked[0].pk).status == "new"


def test_reply_close_and_reopen_from_the_workbench(
    client: Client, asked: list[Enquiry], django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(client, "cnca", "zh-hant")
    url = f"/workbench/enquiries/{asked[0].reference}/"
    page = client.get(url).content.decode()
    assert "可否在香港測試電冰箱？" in page and "chan@example.com" in page and "繁體中文" in page
    blank = client.post(url, {"action": "reply", "body": " "})
    assert blank.status_code == 400
    assert "請寫下查詢者會收到的回覆。" in blank.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"action": "reply", "body": "可以。"}, follow=True)
    assert sent.status_code == 200
    assert "已向 chan@example.com 發出回覆。" in sent.content.decode()
    assert mail.outbox[0].subject == f"您的查詢 {asked[0].reference}：國家認監委的回覆"
    assert client.post(url, {"action": "close", "reason": "已解答"}).status_code == 302
    missing = client.post(url, {"action": "reopen", "reason": ""})
    assert missing.status_code == 400
    assert client.post(url, {"action": "reopen", "reason": "再問"}).status_code == 302
    events = list(EnquiryTransition.objects.filter(enquiry=asked[0]).values_list("event", "to_status", "who"))
    assert events == [
        ("received", "new", "public"),
        ("reply", "answered", "cnca"),
        ("close", "closed", "cnca"),
        ("reopen", "answered", "cnca"),
    ]
    history = client.get(url).content.decode()
    assert "查詢者" in history and "已重新開啟" in history
    assert "由 國家認監委人員，經網站 作出" in history  # who in words, not the account name


def test_a_stale_page_gets_a_conflict_and_nothing_changes(client: Client, asked: list[Enquiry]) -> None:
    signed_in(client, "cnca")
    url = f"/workbench/enquiries/{asked[0].reference}/"
    close_enquiry(actor="user:cnca2", user=_cnca(), reference=asked[0].reference)
    response = client.post(url, {"action": "reply", "body": "Yes."})
    assert response.status_code == 409
    assert (
        "Someone else acted on this enquiry after you opened it: it is now Closed."
        in response.content.decode()
    )
    assert (EnquiryReply.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.parametrize(
    "language,heading,status",
    [
        ("en", "Check your enquiry", "New"),
        ("zh-hant", "查看你的查詢", "未回覆"),
        ("zh-hans", "查看你的查询", "未回复"),
    ],
)
def test_the_enquirer_checks_the_status(
    client: Client, asked: list[Enquiry], language: str, heading: str, status: str
) -> None:
    in_language(client, language)
    page = client.get("/enquiry/status/")
    assert f"<h1>{heading}</h1>" in page.content.decode()
    found = client.post(
        "/enquiry/status/", {"reference": asked[0].reference.lower(), "email": "CHAN@example.com"}
    )
    assert found.status_code == 200
    html = found.content.decode()
    assert f'<span class="tag warn" id="enquiry-status">{status}</span>' in html
    assert "陳大文" not in html  # nothing the enquirer did not already know beyond status and replies
    wrong = client.post("/enquiry/status/", {"reference": asked[0].reference, "email": "x@example.com"})
    assert wrong.status_code == 404
    empty = client.post("/enquiry/status/", {"reference": "", "email": ""})
    assert empty.status_code == 400
