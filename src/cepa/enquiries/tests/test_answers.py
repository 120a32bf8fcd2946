"""CNCA's answer to an enquiry: reply (an email in the enquirer's language, kept on the record), close and
reopen, each a conditional status change with history; refusals change nothing and send nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from cepa.enquiries import selectors
from cepa.enquiries.models import Enquiry, EnquiryReply, EnquiryTransition
from cepa.enquiries.services import close_enquiry, reopen_enquiry, reply_to_enquiry, submit_enquiry
from cepa.errors import Conflict, InvalidInput, NotAllowed, NotFound
from cepa.history.models import Change
from cepa.testing.personas import Persona
from cepa.workflow import swap_status

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
ASKED: dict[str, Any] = {
    "product_type": "0701",
    "name": "陳大文",
    "email": "Chan@Example.com",
    "message": "可否在香港測試電冰箱？",
    "language": "zh-Hant",
}


@pytest.fixture
def enquiry() -> Enquiry:
    return submit_enquiry(actor="public:web", now=T0, **ASKED)


def history(enquiry: Enquiry) -> list[tuple[str, str | None, str, str, str]]:
    return [
        (t.event, t.from_status, t.to_status, t.who, t.reason)
        for t in EnquiryTransition.objects.filter(enquiry=enquiry).order_by("at", "id")
    ]


def test_a_reply_is_emailed_in_the_enquirers_language_and_kept(
    enquiry: Enquiry, cnca_officer: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_to_enquiry(
            actor="user:cnca",
            user=cnca_officer.user,
            reference=enquiry.reference,
            body="  可以，請聯絡已獲指定的實驗室。 ",
            now=T0 + dt.timedelta(days=1),
        )
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"
    assert (reply.sent_by, reply.language, reply.body, reply.sent_at) == (
        "cnca",
        "zh-Hant",
        "可以，請聯絡已獲指定的實驗室。",
        T0 + dt.timedelta(days=1),
    )
    assert reply.subject == f"您的查詢 {enquiry.reference}：國家認監委的回覆"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject, sent.extra_headers["Content-Language"]) == (
        ["Chan@Example.com"],
        reply.subject,
        "zh-Hant",
    )
    assert sent.body.startswith("陳大文 您好：\n\n可以，請聯絡已獲指定的實驗室。\n\n")
    assert f"您的參考編號是 {enquiry.reference}。" in sent.body
    assert history(enquiry) == [
        ("received", None, "new", "public", ""),
        ("reply", "new", "answered", "cnca", ""),
    ]
    change = Change.objects.filter(record_type="enquiries", action="transition").get()
    assert (change.before, change.after) == (
        {"reference": enquiry.reference, "status": "new"},
        {"reference": enquiry.reference, "status": "answered"},
    )


def test_an_english_enquiry_gets_an_english_email(
    cnca_officer: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    asked = submit_enquiry(actor="public:web", **{**ASKED, "name": "Ann Lee", "language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_enquiry(actor="user:cnca", user=cnca_officer.user, reference=asked.reference, body="Yes.")
    assert mail.outbox[0].subject == f"Your enquiry {asked.reference}: CNCA's reply"
    assert mail.outbox[0].body.startswith("Dear Ann Lee,\n\nYes.\n\n")


def test_close_and_reopen_with_history(enquiry: Enquiry, cnca_officer: Persona) -> None:
    user = cnca_officer.user
    close_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason="answered by phone")
    enquiry.refresh_from_db()
    assert enquiry.status == "closed"
    reopen_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason="asked again")
    enquiry.refresh_from_db()
    assert enquiry.status == "new"  # never replied to: back to new
    reply_to_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, body="Yes.")
    close_enquiry(actor="user:cnca", user=user, reference=enquiry.reference)
    reopen_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason="follow-up")
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"  # replied to before: back to answered
    assert history(enquiry) == [
        ("received", None, "new", "public", ""),
        ("close", "new", "closed", "cnca", "answered by phone"),
        ("reopen", "closed", "new", "cnca", "asked again"),
        ("reply", "new", "answered", "cnca", ""),
        ("close", "answered", "closed", "cnca", ""),
        ("reopen", "closed", "answered", "cnca", "follow-up"),
    ]


def _unchanged(enquiry: Enquiry, status: str, steps: int) -> None:
    enquiry.refresh_from_db()
    assert (
        enquiry.status,
        EnquiryTransition.objects.filter(enquiry=enquiry).count(),
        EnquiryReply.objects.count(),
        len(mail.outbox),
    ) == (status, steps, 0, 0)


@pytest.mark.parametrize("who", ["applicant_a", "ccaa_registrar", "hkas_officer", "admin_user", "anonymous"])
def test_only_cnca_officers_answer(enquiry: Enquiry, who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who).user
    for act in (
        lambda: reply_to_enquiry(actor="x", user=user, reference=enquiry.reference, body="Yes."),
        lambda: close_enquiry(actor="x", user=user, reference=enquiry.reference),
        lambda: reopen_enquiry(actor="x", user=user, reference=enquiry.reference, reason="r"),
    ):
        with pytest.raises(NotAllowed):
            act()
    _unchanged(enquiry, "new", 1)


def test_refusals_change_nothing(
    enquiry: Enquiry, cnca_officer: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    user = cnca_officer.user
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotFound):
            reply_to_enquiry(actor="user:cnca", user=user, reference="ENQ-NOPE", body="Yes.")
        with pytest.raises(InvalidInput) as blank:
            reply_to_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, body="  ")
        assert blank.value.errors == {"body": "is required: write the reply the enquirer will receive"}
        with pytest.raises(InvalidInput) as long:
            reply_to_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, body="x" * 10001)
        assert long.value.errors == {"body": "must be at most 10000 characters"}
        with pytest.raises(Conflict, match="only closed enquiries can be reopened"):
            reopen_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason="why")
        with pytest.raises(InvalidInput) as why:
            close_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason="x" * 2001)
        assert why.value.errors == {"reason": "must be text of at most 2000 characters"}
    _unchanged(enquiry, "new", 1)
    close_enquiry(actor="user:cnca", user=user, reference=enquiry.reference)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Conflict, match="reopen it before replying"):
            reply_to_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, body="Yes.")
        with pytest.raises(InvalidInput) as reason:
            reopen_enquiry(actor="user:cnca", user=user, reference=enquiry.reference, reason=" ")
        assert reason.value.errors == {"reason": "is required to reopen an enquiry: say why"}
    _unchanged(enquiry, "closed", 2)


def test_a_concurrent_change_is_a_conflict_and_nothing_is_sent(
    enquiry: Enquiry,
    cnca_officer: Persona,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another officer closes it between the read and the conditional update.
    def closed_meanwhile(row: Any, old: str, **fields: Any) -> bool:
        Enquiry.objects.filter(pk=row.pk).update(status="closed")
        return swap_status(row, old, **fields)

    monkeypatch.setattr("cepa.enquiries.services.swap_status", closed_meanwhile)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict, match="no longer new"):
        reply_to_enquiry(actor="user:cnca", user=cnca_officer.user, reference=enquiry.reference, body="Y")
    assert (EnquiryReply.objects.count(), len(mail.outbox)) == (0, 0)


def test_queues_are_per_sector_oldest_first_and_private(cnca_officer: Persona, applicant_a: Persona) -> None:
    older = submit_enquiry(actor="public:web", now=T0, **ASKED)
    newer = submit_enquiry(actor="public:web", now=T0 + dt.timedelta(hours=1), **ASKED)
    other = submit_enquiry(
        actor="public:web", now=T0 - dt.timedelta(days=1), **{**ASKED, "product_type": "2401"}
    )
    user = cnca_officer.user
    assert list(selectors.enquiries(user, queue="electrical_electronic")) == [older, newer]
    assert list(selectors.enquiries(user)) == [other, older, newer]
    close_enquiry(actor="user:cnca", user=user, reference=older.reference)
    assert list(selectors.enquiries(user, open_only=True)) == [other, newer]
    assert list(selectors.enquiries(user, status="closed")) == [older]
    assert list(selectors.enquiries(applicant_a.user)) == []


def test_the_enquirer_finds_theirs_by_reference_and_email(enquiry: Enquiry) -> None:
    assert selectors.enquiry_for_enquirer(enquiry.reference.lower(), " chan@example.COM ") == enquiry
    assert selectors.enquiry_for_enquirer(enquiry.reference, "someone@example.com") is None
    assert selectors.enquiry_for_enquirer("ENQ-AAAAAAAA", "chan@example.com") is None
    assert selectors.enquiry_for_enquirer(enquiry.reference, "\x00") is None
