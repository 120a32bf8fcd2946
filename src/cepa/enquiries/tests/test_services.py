from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache

from cepa.enquiries import protection
from cepa.enquiries.models import Enquiry
from cepa.enquiries.services import submit_enquiry
from cepa.errors import InvalidInput
from cepa.history.models import Change, ChangeSet

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {"product_type": "0701", "name": "Chan Tai Man", "email": "chan@example.com",
        "message": "A question", "language": "zh-Hant"}


def test_submit_routes_to_the_sector_queue_and_records_the_change(actor: str) -> None:
    enquiry = submit_enquiry(actor=actor, **GOOD)
    assert (enquiry.queue, enquiry.status, enquiry.language) == ("electrical_electronic", "new", "zh-Hant")
    change = Change.objects.select_related("changeset").get(record_type="enquiries")
    assert (change.changeset.actor, change.changeset.channel, change.record_type, change.record_id,
            change.action) == (actor, "web", "enquiries", enquiry.reference, "create")
    assert "chan@example.com" not in str(change.after)


def test_non_electrical_products_go_to_their_own_queue(actor: str) -> None:
    enquiry = submit_enquiry(actor=actor, **{**GOOD, "product_type": "2401"})
    assert enquiry.queue == "non_electrical_electronic"


@pytest.mark.parametrize("changes,errors", [
    ({"product_type": "9999"},
     {"product_type": "unknown product type code '9999': no catalogue version has had it"}),
    ({"product_type": "07"},
     {"product_type": "malformed product type code '07': expected 4 digits or a catalogue key"}),
    ({"name": " ", "email": "nope", "message": ""},
     {"name": "is required", "email": "is not a valid email address", "message": "is required"}),
    ({"message": "x" * 5001}, {"message": "must be at most 5000 characters"}),
    ({"name": "x" * 201, "organisation": "y" * 201},
     {"name": "must be at most 200 characters", "organisation": "must be at most 200 characters"}),
    ({"language": "fr"}, {"language": "must be one of en, zh-Hant, zh-Hans"}),
])
def test_bad_input_names_each_field_and_writes_nothing(actor: str, changes: dict[str, str],
                                                       errors: dict[str, str]) -> None:
    changesets = ChangeSet.objects.count()  # the reference data's own change set is there already
    with pytest.raises(InvalidInput) as refused:
        submit_enquiry(actor=actor, **{**GOOD, **changes})
    assert refused.value.errors == errors
    assert (Enquiry.objects.count(), ChangeSet.objects.count()) == (0, changesets)


def test_an_actor_is_required() -> None:
    with pytest.raises(ValueError, match="actor is required"):
        submit_enquiry(actor="", **GOOD)
    assert Enquiry.objects.count() == 0


def test_form_start_tokens() -> None:
    now = time.time()
    token = protection.issue_token(now)
    assert protection.token_problem(token, now + protection.MIN_FILL_SECONDS) is None
    assert protection.token_problem(token, now + 1) == "too_fast"
    assert protection.token_problem(token, now + protection.MAX_AGE_SECONDS + 1) == "expired"
    assert protection.token_problem(token[:-2] + "xx", now + 10) == "invalid"
    assert protection.token_problem("", now) == "invalid"


def test_rate_limit_counts_per_address() -> None:
    cache.clear()
    for _ in range(protection.LIMIT_PER_HOUR):
        assert not protection.rate_limited("192.0.2.1")
        protection.count_submission("192.0.2.1")
    assert protection.rate_limited("192.0.2.1")
    assert not protection.rate_limited("192.0.2.2")


def test_every_form_token_is_unique_and_accepted_once() -> None:
    cache.clear()
    now = time.time()
    first, second = protection.issue_token(now), protection.issue_token(now)  # one second, two forms
    assert first != second
    assert protection.use_token(first) is True
    assert protection.use_token(first) is False
    assert protection.use_token(second) is True
    assert protection.use_token("forged") is False
    # A token of the old form (a bare signed time) is no longer taken.
    assert protection.token_problem(signing.dumps(int(now), salt=protection.SALT), now + 10) == "invalid"


def test_admit_submission_counts_up_to_the_limit_then_refuses_without_counting() -> None:
    cache.clear()
    admitted = [protection.admit_submission("192.0.2.7") for _ in range(protection.LIMIT_PER_HOUR + 2)]
    assert admitted == [True] * protection.LIMIT_PER_HOUR + [False, False]
    assert len(cache.get_many(protection._slot_keys("192.0.2.7"))) == protection.LIMIT_PER_HOUR
    assert protection.admit_submission("192.0.2.8") is True


def test_a_slot_frees_itself_an_hour_after_it_was_taken() -> None:
    cache.clear()
    for _ in range(protection.LIMIT_PER_HOUR):
        assert protection.admit_submission("192.0.2.9")
    cache.delete(protection._slot_keys("192.0.2.9")[2])  # as the cache expires it after WINDOW_SECONDS
    assert protection.admit_submission("192.0.2.9") is True
    assert protection.admit_submission("192.0.2.9") is False
