"""The admin of filings and reminders: listed, never editable; two actions through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cepa.filings.services import review, submission
from cepa.reminders.models import Delivery, DeliveryStatus, Reminder, ReminderStatus
from cepa.reminders.services import schedule_reminder
from cepa.rules.facts import BEIJING
from cepa.testing.factories import D
from cepa.testing.personas import Persona

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING)
MODELS = [
    "filings.agreementfiling",
    "reminders.reminder",
    "reminders.delivery",
    "reminders.languagepreference",
]


@pytest.fixture
def admin_client(staff: None, admin_user: Persona) -> Client:
    return admin_user.client()


def url(model: str, view: str, *args: object) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_listed_searchable_and_view_only(admin_client: Client, model: str) -> None:
    filing = submission.file_agreement(
        actor="test",
        kind="testing",
        party="hk-lab-a",
        counterparty="cn-cb-x",
        product_types=["0701"],
        valid_from=D("2026-01-01"),
        valid_until=None,
        now=NOW,
    )
    review.review_filing(actor="test", filing_id=filing.id, action="return", reason="unsigned", now=NOW)
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "changelist") + "?q=hk").status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 403


def test_cancel_and_requeue_actions(admin_client: Client) -> None:
    pending = schedule_reminder(actor="test", key="k1", due=NOW, kind="notice", organisation="cn-cb-x")
    response = admin_client.post(
        url("reminders.reminder", "changelist"), {"action": "cancel", "_selected_action": [pending.pk]}
    )
    assert response.status_code == 302
    assert Reminder.objects.get(pk=pending.pk).status == ReminderStatus.CANCELLED

    other = schedule_reminder(actor="test", key="k2", due=NOW, kind="notice", organisation="cn-cb-x")
    delivery = Delivery.objects.create(
        reminder=other, email="x1@example.cn", language="zh-Hans", status=DeliveryStatus.UNCERTAIN
    )
    admin_client.post(
        url("reminders.delivery", "changelist"), {"action": "requeue", "_selected_action": [delivery.pk]}
    )
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.PENDING
