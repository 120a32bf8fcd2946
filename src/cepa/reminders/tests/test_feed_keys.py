"""Finding 1 of issue 12: a calendar feed key cannot be computed from anything shipped, and an
organisation's key can be rotated (`cepa calendar-url --rotate ORG`)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.crypto import salted_hmac

from cepa.history.models import Change
from cepa.reminders.calendar import KEY_SALT, feed_key
from cepa.reminders.models import CalendarFeedKey

pytestmark = pytest.mark.django_db

# The key settings.py used to fall back to; anyone could read it in the repository.
SHIPPED_KEY = "cepa-development-key-not-for-production"


def url(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("calendar-url", *args, "--base", "http://testserver/", stdout=out, stderr=err)
    return out.getvalue().strip().removeprefix("http://testserver")


def test_the_feed_key_is_not_the_one_the_shipped_key_gives(world: None) -> None:
    shipped = salted_hmac(KEY_SALT, "hk-lab-a", secret=SHIPPED_KEY).hexdigest()[:32]
    assert feed_key("hk-lab-a") != shipped
    forged = Client().get(f"/api/v1/organisations/hk-lab-a/calendar.ics?key={shipped}")
    assert forged.status_code == 401


def test_rotating_revokes_the_old_address_and_gives_a_working_new_one(world: None) -> None:
    old = url("hk-lab-a")
    other = url("cn-cb-x")
    assert Client().get(old).status_code == 200
    new = url("--rotate", "hk-lab-a")
    assert new != old
    assert Client().get(old).status_code == 401
    assert Client().get(new).status_code == 200
    assert url("hk-lab-a") == new  # printed again without --rotate: the same address
    assert Client().get(other).status_code == 200  # the other organisations' keys stand
    newer = url("hk-lab-a", "--rotate")
    assert Client().get(new).status_code == 401 and Client().get(newer).status_code == 200
    stored = CalendarFeedKey.objects.get()
    assert (stored.organisation_id, stored.version, len(stored.salt)) == ("hk-lab-a", 2, 64)
    changes = Change.objects.filter(record_type="reminders.calendar_feed_keys").order_by("id")
    assert [(c.record_id, c.action, c.before, c.after) for c in changes] == [
        ("hk-lab-a", "create", None, {"version": 1}),
        ("hk-lab-a", "update", {"version": 1}, {"version": 2}),
    ]
    assert stored.salt not in json.dumps([c.after for c in changes])


def test_rotating_an_unknown_organisation_changes_nothing(world: None) -> None:
    with pytest.raises(CommandError, match="no organisation with id 'nobody'") as refused:
        url("--rotate", "nobody")
    assert refused.value.returncode == 2
    assert not CalendarFeedKey.objects.exists()
    assert not Change.objects.filter(record_type="reminders.calendar_feed_keys").exists()


def test_the_feed_key_check_stays_within_its_query_budget(
    world: None, django_assert_max_num_queries: Any
) -> None:
    address = url("--rotate", "hk-lab-a")
    with django_assert_max_num_queries(10):
        assert Client().get(address).status_code == 200
