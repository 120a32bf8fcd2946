"""A certificate's status on a date (§1): the Python rule, its SQL twin and the `valid_on` filter agree
at every boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from cepa.certificates.models import Certificate
from cepa.certificates.status import status_expression, status_on, valid_on
from cepa.certificates.tests.conftest import certificate, report
from cepa.testing.factories import organisation

D = dt.date.fromisoformat
ISSUED, EXPIRES = D("2026-01-10"), D("2026-12-31")


@pytest.mark.parametrize(
    ("events", "day", "expected"),
    [
        ([], "2026-01-09", "not_yet_valid"),
        ([], "2026-01-10", "valid"),
        ([], "2026-12-31", "valid"),
        ([], "2027-01-01", "expired"),
        ([("2026-03-01", "suspended")], "2026-02-28", "valid"),
        ([("2026-03-01", "suspended")], "2026-03-01", "suspended"),
        ([("2026-03-01", "suspended"), ("2026-04-01", "valid")], "2026-03-31", "suspended"),
        ([("2026-03-01", "suspended"), ("2026-04-01", "valid")], "2026-04-01", "valid"),
        # of one day's events, the first in the order revoked, cancelled, suspended, valid counts
        ([("2026-03-01", "valid"), ("2026-03-01", "suspended")], "2026-03-01", "suspended"),
        ([("2026-03-01", "cancelled"), ("2026-03-01", "revoked")], "2026-03-01", "revoked"),
        # revoked and cancelled are final
        ([("2026-03-01", "revoked"), ("2026-04-01", "valid")], "2026-05-01", "revoked"),
        ([("2026-03-01", "cancelled"), ("2026-04-01", "suspended")], "2026-05-01", "cancelled"),
        # outside its dates the events do not count
        ([("2026-03-01", "revoked")], "2027-01-01", "expired"),
    ],
)
def test_status_on_a_day(db: None, events: list[tuple[str, str]], day: str, expected: str) -> None:
    assert status_on(ISSUED, EXPIRES, [(D(on), status) for on, status in events], D(day)) == expected
    organisation("cn-cb-east", "certification_body", "MAINLAND", cnca_code="57")
    organisation("lab", "laboratory", "HK")
    report("R-1", "lab", "2026-01-01")
    certificate("2026570701000001", "2026-01-10", "2026-12-31", ["R-1"], events=events)
    sql = Certificate.objects.annotate(s=status_expression(D(day))).values_list("s", flat=True).get()
    assert sql == expected
    assert Certificate.objects.filter(valid_on(D(day))).exists() is (expected == "valid")
