"""Two officers approve the same application at the same moment: exactly one wins.

Really concurrent: two threads, each with its own database connection, are held at a barrier after
both have read the application as `under_review` and before either writes. Needs PostgreSQL (SQLite
serialises writers at BEGIN IMMEDIATE, so the race cannot happen there).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from cepa.bodies.models import Designation
from cepa.designation.models import Application, ApplicationEvent
from cepa.designation.tests.conftest import People, make_bodies
from cepa.designation.tests.helpers import post
from cepa.history.models import Change
from cepa.rules.facts import BEIJING

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

MOMENT = dt.datetime(2026, 9, 24, 16, 0, tzinfo=BEIJING)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_exactly_one_wins() -> None:
    make_bodies()
    people = People()
    api = Client()
    with mock.patch("cepa.designation.clock.now", return_value=MOMENT):
        number = post(
            api, "/applications", people.delta, {"organisation": "cn-lab-delta", "product_types": ["0701"]}
        )
        number = number.json()["id"]
        assert post(api, f"/applications/{number}/submit", people.delta).status_code == 200
        assert (
            post(api, f"/applications/{number}/review", people.cnca, {"action": "start"}).status_code == 200
        )

    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()

    def now_after_both_have_read() -> dt.datetime:
        # The service reads the time after loading and checking the application: both threads have
        # seen `under_review` when they pass here together.
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return MOMENT

    results: dict[str, Any] = {}

    def approve(name: str) -> None:
        try:
            response = post(Client(), f"/applications/{number}/review", people.cnca, {"action": "approve"})
            results[name] = (response.status_code, response.json().get("code"))
        except Exception as exc:  # pragma: no cover - reported below
            results[name] = exc
        finally:
            connection.close()

    with mock.patch("cepa.designation.clock.now", side_effect=now_after_both_have_read):
        threads = [threading.Thread(target=approve, args=(name,)) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(results.values()) == [(200, None), (409, "CONFLICT")], results

    assert Application.objects.get(pk=number).status == "approved"
    assert Designation.objects.filter(organisation_id="cn-lab-delta").count() == 1
    assert ApplicationEvent.objects.filter(application_id=number, to_status="approved").count() == 1
    assert Change.objects.filter(record_type="designations", action="create").count() == 1
