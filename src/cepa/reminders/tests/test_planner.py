"""`cepa plan-reminders`: the reminders the registry's dates call for, scheduled once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from cepa.bodies.models import Accreditation, AccreditationEvent, AccreditationScope, Agreement
from cepa.designation.models import Application, ExpressionOfInterest, Plan
from cepa.filings.tests.helpers import agreement
from cepa.reminders.models import Reminder, ReminderStatus
from cepa.reminders.planner import plan_reminders
from cepa.reminders.sweep import send_reminders
from cepa.rules.facts import BEIJING
from cepa.testing.factories import D

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 2, 15, 10, 0, tzinfo=BEIJING)


def T(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=BEIJING)


@pytest.fixture
def dated(staff: None) -> None:
    Plan.objects.create(
        id="2027-1",
        year=2027,
        role="laboratory",
        product_types=["0915"],
        status="published",
        published=D("2027-02-01"),
        opens=T("2027-06-16T09:00"),
        closes=T("2027-06-30T17:00"),
    )
    Plan.objects.create(  # a draft, and a plan closed early: nobody hears of them
        id="2027-draft",
        year=2027,
        role="laboratory",
        product_types=["0915"],
        opens=T("2027-07-01T09:00"),
        closes=T("2027-07-30T17:00"),
    )
    Plan.objects.create(
        id="2027-closed",
        year=2027,
        role="certification_body",
        product_types=["0701"],
        status="closed",
        published=D("2027-01-10"),
        opens=T("2027-03-01T09:00"),
        closes=T("2027-03-30T17:00"),
        closed_early_at=T("2027-02-01T09:00"),
    )
    agreement("AG-1", "hk-lab-a", "cn-cb-x", ["0701", "0702"], D("2024-01-01"), D("2027-06-30"))
    agreement(
        "AG-2",
        "hk-lab-a",
        "cn-cb-x",
        ["0702"],
        D("2024-01-01"),
        D("2027-06-30"),
        terminated_on=D("2027-03-01"),
    )
    agreement("AG-3", "hk-lab-a", "cn-cb-x", ["0701"], D("2020-01-01"), D("2026-12-31"))
    AccreditationEvent.objects.create(
        accreditation_id="HOKLAS 901", position=0, on=D("2027-02-10"), status="suspended", scope=["0701"]
    )
    AccreditationEvent.objects.create(  # long ago: not news any more
        accreditation_id="HOKLAS 901", position=1, on=D("2025-01-10"), status="suspended", scope=["0702"]
    )
    cnas = Accreditation.objects.create(
        id="CNAS L1", organisation_id="cn-lab-z", scheme="CNAS", granted=D("2018-05-01")
    )
    AccreditationScope.objects.create(accreditation=cnas, product_type="0915")
    AccreditationEvent.objects.create(accreditation=cnas, position=0, on=D("2027-02-14"), status="withdrawn")
    Application.objects.create(
        organisation_id="cn-lab-z",
        product_types=["0915"],
        status="submitted",
        route="plan",
        plan_id="2027-1",
        created=T("2027-01-20T10:00"),
    )


def keys() -> dict[str, str]:
    return dict(Reminder.objects.values_list("key", "status"))


def test_plan_reminders_schedules_what_the_dates_call_for_once(dated: None) -> None:
    first = plan_reminders(actor="test:cron", now=NOW)
    second = plan_reminders(actor="test:cron", now=NOW)

    application = Application.objects.get().pk
    bodies = ("cn-cb-x", "cn-cb-y", "cn-lab-z")
    expected = {
        *(f"eoi-deadline:2027:{days}d:{body}" for days in (30, 7, 1) for body in bodies),
        "plan-window-opens:2027-1:20270616T0900-20270630T1700:cn-lab-z",
        "plan-window-closing:2027-1:20270616T0900-20270630T1700:cn-lab-z",
        *(
            f"agreement-expiry:AG-1:2027-06-30:{days}d:{org}"
            for days in (90, 30)
            for org in ("hk-lab-a", "cn-cb-x")
        ),
    }
    found = keys()
    changes = {key for key in found if key.startswith("accreditation-change:")}
    assert set(found) - changes == expected
    assert sorted(key.split(":", 3)[3] for key in changes) == [
        "agreement:AG-1:cn-cb-x",
        "agreement:AG-1:hk-lab-a",
        f"application:{application}:cn-lab-z",
    ]
    assert (first.scheduled, second.scheduled, second.unchanged, second.cancelled) == (18, 0, 18, 0)
    due = dict(Reminder.objects.values_list("key", "due"))
    assert due["eoi-deadline:2027:30d:cn-cb-x"] == T("2027-03-02T09:00")
    assert due["eoi-deadline:2027:1d:cn-cb-x"] == T("2027-03-31T09:00")
    assert due["plan-window-closing:2027-1:20270616T0900-20270630T1700:cn-lab-z"] == T("2027-06-27T17:00")
    assert due["agreement-expiry:AG-1:2027-06-30:90d:hk-lab-a"] == T("2027-04-01T09:00")
    assert Reminder.objects.get(key="agreement-expiry:AG-1:2027-06-30:30d:cn-cb-x").stale_after == T(
        "2027-07-01T00:00"
    )


def test_a_changed_date_cancels_the_old_reminder_and_schedules_the_new_one(dated: None) -> None:
    plan_reminders(actor="test:cron", now=NOW)
    Agreement.objects.filter(pk="AG-1").update(valid_until=D("2027-08-31"))

    report = plan_reminders(actor="test:cron", now=NOW)

    assert (report.scheduled, report.cancelled) == (4, 4)
    found = keys()
    assert found["agreement-expiry:AG-1:2027-06-30:90d:hk-lab-a"] == ReminderStatus.CANCELLED
    assert found["agreement-expiry:AG-1:2027-08-31:90d:hk-lab-a"] == ReminderStatus.PENDING


def test_what_a_pending_reminder_says_follows_the_registry(dated: None) -> None:
    plan_reminders(actor="test:cron", now=NOW)
    ExpressionOfInterest.objects.create(
        id="EOI-1", organisation_id="cn-lab-z", year=2027, product_types=["0915"], submitted=NOW
    )
    assert plan_reminders(actor="test:cron", now=NOW).refreshed == 3

    send_reminders(now=T("2027-03-02T09:00"))

    by_address = {message.to[0]: message for message in mail.outbox}
    assert "贵机构已就2027年提交意向书，涵盖0915" in by_address["z1@example.cn"].body
    assert "贵机构尚未提交2027年的意向书" in by_address["x1@example.cn"].body
    assert (
        by_address["x1@example.cn"].subject
        == "提醒：2027年意向书截止时间为2027年4月1日 00:00（北京时间）（还剩30天）"
    )


def test_late_notices_are_not_sent_for_deadlines_already_near(dated: None) -> None:
    plan_reminders(actor="test:cron", now=T("2027-03-28T10:00"))
    assert {k for k in keys() if k.startswith("eoi-deadline:2027:") and k.endswith(":cn-cb-x")} == {
        "eoi-deadline:2027:1d:cn-cb-x"
    }


def test_accreditation_changes_reach_both_parties_in_their_words(dated: None) -> None:
    plan_reminders(actor="test:cron", now=NOW)
    send_reminders(now=NOW)
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == [
        ("lab1@example.hk", "HOKLAS 901 suspended from 10 February 2027: agreement AG-1 affected"),
        ("lab2@example.hk", "HOKLAS 901自2027年2月10日起暫停：合作協議AG-1受影響"),
        ("x1@example.cn", "HOKLAS 901自2027年2月10日起暂停：合作协议AG-1受影响"),
        (
            "z1@example.cn",
            "CNAS L1自2027年2月14日起撤销：申请" + str(Application.objects.get().pk) + "受影响",
        ),
    ]


def test_the_command_reports_what_it_did(dated: None) -> None:
    out = StringIO()
    call_command("plan-reminders", "--now", NOW.isoformat(), stdout=out)
    assert out.getvalue().strip() == "scheduled 18 reminders, 0 already scheduled, 0 updated, 0 cancelled"


def test_the_inspector_registers_planner_is_one_more_source(dated: None) -> None:
    from cepa.personnel.models import Affiliation, Inspector

    inspector = Inspector.objects.create(
        id="CCAA-1",
        name_en="Chan Tai Man",
        grade="inspector",
        specialties=["07"],
        registered=D("2025-06-01"),
        expires=D("2028-05-31"),
    )
    Affiliation.objects.create(inspector=inspector, organisation_id="hk-cb-b", valid_from=D("2025-06-01"))

    plan_reminders(actor="test:cron", now=NOW)

    found = Reminder.objects.filter(kind="inspector_expiry").get()
    assert (found.organisation_id, found.generated, found.status) == ("hk-cb-b", True, ReminderStatus.PENDING)
