"""`cepa send-reminders`: each delivery at most once, across reruns and crashes; in each recipient's
language."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction

from cepa.errors import InvalidInput
from cepa.reminders import sweep
from cepa.reminders.models import Delivery, DeliveryStatus, Reminder, ReminderStatus
from cepa.reminders.services import cancel_reminder, schedule_reminder
from cepa.rules.facts import BEIJING

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING)
LATER = NOW + sweep.LEASE + dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


class SimulatedCrash(BaseException):
    """The process dies (a kill): not an Exception, so nothing in the sweep catches it."""


def generic(
    key: str, *, organisation: str | None = "hk-lab-a", due: dt.datetime = NOW - HOUR, **extra: Any
) -> Reminder:
    return schedule_reminder(
        actor="test:setup",
        key=key,
        due=due,
        kind="notice",
        organisation=organisation,
        context={
            "subject": {"en": f"Subject {key}", "zh-Hant": f"主旨 {key}", "zh-Hans": f"主题 {key}"},
            "body": {"en": "Body", "zh-Hant": "內文", "zh-Hans": "内文"},
        },
        **extra,
    )


def sent() -> list[tuple[str, str]]:
    """(address, subject) of every email in the outbox, sorted."""
    return sorted((message.to[0], str(message.subject)) for message in mail.outbox)


def five_deliveries() -> list[tuple[str, str]]:
    generic("a")  # lab1, lab2
    generic("b", organisation="cn-cb-x")  # x1
    generic("c", organisation=None, recipients=["someone@example.org"], role="cnca_officer")  # 2 addresses
    return [
        ("cnca@example.cn", "Subject c"),
        ("lab1@example.hk", "Subject a"),
        ("lab2@example.hk", "主旨 a"),
        ("someone@example.org", "Subject c"),
        ("x1@example.cn", "主题 b"),
    ]


def test_send_reminders_twice_sends_each_reminder_once(staff: None) -> None:
    expected = five_deliveries()
    generic("future", due=NOW + HOUR)

    first = sweep.send_reminders(now=NOW)
    second = sweep.send_reminders(now=NOW)

    assert sent() == expected
    assert (first.dispatched, first.sent, second.dispatched, second.sent) == (3, 5, 0, 0)
    assert Reminder.objects.get(key="future").status == ReminderStatus.PENDING
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # The command is the same sweep: the later reminder goes out once its time has come.
    out = StringIO()
    call_command("send-reminders", "--now", (NOW + 2 * HOUR).isoformat(), stdout=out)
    assert out.getvalue().splitlines()[0] == "dispatched 1 reminders, sent 2 emails"
    call_command("send-reminders", "--now", (NOW + 3 * HOUR).isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 7


def test_a_sweep_killed_between_two_emails_and_rerun_sends_each_once(
    staff: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = five_deliveries()
    original = sweep._send_one
    calls = {"n": 0}

    def dies_before_the_third(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise SimulatedCrash
        original(*args)

    monkeypatch.setattr(sweep, "_send_one", dies_before_the_third)
    with pytest.raises(SimulatedCrash):
        sweep.send_reminders(now=NOW)
    assert len(mail.outbox) == 2
    monkeypatch.setattr(sweep, "_send_one", original)

    sweep.send_reminders(now=NOW)
    sweep.send_reminders(now=LATER)

    assert sent() == expected


def test_a_sweep_killed_after_handing_an_email_over_never_sends_it_again(staff: None) -> None:
    expected = five_deliveries()

    class DiesAfterTheSecond(EmailBackend):
        count = 0

        def send_messages(self, messages: Any) -> int:
            sent_now = super().send_messages(messages)  # the mail server has it ...
            DiesAfterTheSecond.count += 1
            if DiesAfterTheSecond.count == 2:
                raise SimulatedCrash  # ... and the process dies before recording it
            return sent_now

    with pytest.raises(SimulatedCrash):
        sweep.send_reminders(now=NOW, connection=DiesAfterTheSecond())
    assert len(mail.outbox) == 2

    sweep.send_reminders(now=NOW)  # within the lease: the row in "sending" is left alone
    report = sweep.send_reminders(now=LATER)  # after it: uncertain, not resent

    assert sent() == expected
    stuck = Delivery.objects.get(status=DeliveryStatus.UNCERTAIN)
    assert report.uncertain == [stuck.pk]
    assert "not resent" in report.lines()[-1]
    sweep.send_reminders(now=LATER + HOUR)
    assert sent() == expected


def test_a_sweep_killed_after_claiming_an_email_sends_it_once_the_lease_is_over(
    staff: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = five_deliveries()
    original = sweep.build_message
    calls = {"n": 0}

    def dies_on_the_second(delivery: Delivery) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SimulatedCrash
        return original(delivery)

    monkeypatch.setattr(sweep, "build_message", dies_on_the_second)
    with pytest.raises(SimulatedCrash):
        sweep.send_reminders(now=NOW)
    monkeypatch.setattr(sweep, "build_message", original)
    assert Delivery.objects.filter(status=DeliveryStatus.CLAIMED).count() == 1

    sweep.send_reminders(now=NOW)
    assert len(mail.outbox) == 4  # the claimed one waits for its lease
    report = sweep.send_reminders(now=LATER)

    assert (report.recovered, report.sent) == (1, 1)
    assert sent() == expected


class Refuses(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


def test_a_refused_email_is_retried_after_a_pause_and_the_run_stops(staff: None) -> None:
    generic("b", organisation="cn-cb-x")
    generic("c", organisation="cn-lab-z")

    first = sweep.send_reminders(now=NOW, connection=Refuses())

    assert (first.retried, first.unavailable) == (1, "no mail server")
    assert "the email backend is unavailable" in first.lines()[-1]
    rows = {d.email: (d.status, d.attempts, d.not_before) for d in Delivery.objects.all()}
    assert rows == {
        "x1@example.cn": ("pending", 1, NOW + dt.timedelta(minutes=2)),
        "z1@example.cn": ("pending", 0, None),  # the run stopped before it
    }
    sweep.send_reminders(now=NOW + dt.timedelta(minutes=1))
    assert sent() == [("z1@example.cn", "主题 c")]
    sweep.send_reminders(now=NOW + dt.timedelta(minutes=2))
    assert sent() == [("x1@example.cn", "主题 b"), ("z1@example.cn", "主题 c")]


def test_a_delivery_refused_too_often_fails_for_good(staff: None) -> None:
    generic("b", organisation="cn-cb-x")
    moment = NOW
    for _ in range(sweep.MAX_ATTEMPTS):
        sweep.send_reminders(now=moment, connection=Refuses())
        moment += dt.timedelta(hours=2)
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.last_error) == (
        "failed",
        sweep.MAX_ATTEMPTS,
        "ConnectionRefusedError: no mail server",
    )
    sweep.send_reminders(now=moment)
    assert mail.outbox == []


def test_a_backend_that_cannot_be_reached_leaves_everything_pending(staff: None) -> None:
    generic("b", organisation="cn-cb-x")

    class Unreachable(EmailBackend):
        def open(self) -> bool:
            raise OSError("connection refused")

    report = sweep.send_reminders(now=NOW, connection=Unreachable())

    assert report.unavailable == "OSError: connection refused"
    assert list(Delivery.objects.values_list("status", "attempts")) == [("pending", 0)]
    sweep.send_reminders(now=NOW)
    assert sent() == [("x1@example.cn", "主题 b")]


def test_an_uncertain_delivery_goes_again_only_when_an_operator_requeues_it(staff: None) -> None:
    generic("b", organisation="cn-cb-x")
    sweep._dispatch_due(NOW, sweep.SweepReport())
    Delivery.objects.update(status=DeliveryStatus.SENDING, sending_at=NOW)
    sweep.send_reminders(now=LATER)
    assert len(mail.outbox) == 0
    out = StringIO()
    call_command("send-reminders", "--requeue-uncertain", "--now", LATER.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[0].startswith("requeued 1 uncertain deliveries")
    assert len(mail.outbox) == 1


def test_emails_are_in_each_recipients_language(staff: None) -> None:
    schedule_reminder(
        actor="test:setup",
        key="expiry",
        due=NOW,
        kind="agreement_expiry",
        organisation="hk-lab-a",
        context={
            "agreement": "AG-1",
            "kind_name": {"en": "testing", "zh-Hant": "檢測", "zh-Hans": "检测"},
            "party": {"en": "Harbour Testing", "zh-Hant": "海港測試"},
            "counterparty": {"en": "East CB"},
            "product_types": ["0701", "0702"],
            "until": "2027-03-31",
            "ends": "2027-04-01",
            "days": 90,
        },
    )
    schedule_reminder(
        actor="test:setup",
        key="expiry-x",
        due=NOW,
        kind="agreement_expiry",
        organisation="cn-cb-x",
        context={
            "agreement": "AG-1",
            "kind_name": {"en": "testing", "zh-Hant": "檢測", "zh-Hans": "检测"},
            "party": {"en": "Harbour Testing"},
            "counterparty": {"en": "East CB", "zh-Hans": "华东认证"},
            "product_types": ["0701"],
            "until": "2027-03-31",
            "ends": "2027-04-01",
            "days": 90,
        },
    )
    sweep.send_reminders(now=NOW)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["lab1@example.hk"].subject == "Agreement AG-1 ends on 31 March 2027 (90 days)"
    assert by_address["lab2@example.hk"].subject == "合作協議AG-1將於2027年3月31日屆滿（尚餘90日）"
    assert by_address["x1@example.cn"].subject == "合作协议AG-1将于2027年3月31日到期（还剩90天）"
    assert (
        "海港測試與East CB之間的檢測合作協議AG-1（產品類別0701、0702）" in by_address["lab2@example.hk"].body
    )
    assert "From 1 April 2027 it no longer counts" in by_address["lab1@example.hk"].body
    assert by_address["x1@example.cn"].body.startswith("华东认证：")
    assert by_address["lab2@example.hk"].extra_headers["Content-Language"] == "zh-Hant"
    assert set(by_address) == {"lab1@example.hk", "lab2@example.hk", "x1@example.cn"}  # not lab3, not gone


def test_a_forced_language_applies_to_everyone_without_a_preference(staff: None) -> None:
    generic("forced", organisation="hk-lab-a", language="zh-Hans")
    sweep.send_reminders(now=NOW)
    assert sent() == [("lab1@example.hk", "主题 forced"), ("lab2@example.hk", "主旨 forced")]


def test_stale_or_cancelled_reminders_are_never_sent(staff: None) -> None:
    generic("stale", stale_after=NOW - dt.timedelta(minutes=1), due=NOW - HOUR)
    generic("cancelled")
    assert cancel_reminder(actor="test:setup", key="cancelled") is True
    assert cancel_reminder(actor="test:setup", key="cancelled") is False
    generic("nobody", organisation="cn-cb-y")
    report = sweep.send_reminders(now=NOW)
    assert (report.sent, report.skipped) == (0, 2)
    assert dict(Reminder.objects.values_list("key", "status")) == {
        "stale": "skipped",
        "cancelled": "cancelled",
        "nobody": "skipped",
    }
    assert mail.outbox == []


def test_scheduling_is_idempotent_by_key_and_validated(staff: None) -> None:
    first = generic("same")
    again = generic("same", due=NOW + HOUR)
    assert (again.pk, again.due, Reminder.objects.count()) == (first.pk, first.due, 1)
    bad: list[dict[str, Any]] = [
        {"due": NOW.replace(tzinfo=None)},
        {"organisation": None},
        {"organisation": "nobody"},
        {"recipients": ["not an address"]},
        {"role": "king"},
        {"language": "fr"},
        {"stale_after": NOW - 2 * HOUR},
    ]
    for changes in bad:
        arguments: dict[str, Any] = {"due": NOW - HOUR, "organisation": "hk-lab-a", **changes}
        with pytest.raises(InvalidInput):
            generic(
                "bad",
                **{k: v for k, v in arguments.items() if k != "organisation"},
                organisation=arguments["organisation"],
            )
    assert Reminder.objects.count() == 1


def test_a_reminder_scheduled_in_a_transaction_that_rolls_back_is_never_sent(staff: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        generic("rolled-back")
        raise RuntimeError("the caller's write failed")
    sweep.send_reminders(now=NOW)
    assert (Reminder.objects.count(), mail.outbox) == (0, [])
