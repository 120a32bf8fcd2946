"""Two registrars approve one transfer at the same moment: one wins, the other gets 409 (issue 12, 12).

Really concurrent: two threads, each with its own connection to PostgreSQL. Each is held just before
it locks the inspector's row until the other has got as far (or 3 s have passed: with the transfer's
row locked first, the second registrar waits on that lock instead and never reaches the barrier).
Before the fix both read the transfer as `requested`; the second then found the inspector already
affiliated with the new body and answered 422 ALREADY_AFFILIATED.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from cepa.history.models import Change
from cepa.personnel.models import Affiliation, Inspector, Transfer
from cepa.personnel.services import base, transfers
from cepa.personnel.tests.conftest import NUMBER, D
from cepa.testing import personas as build
from cepa.testing.personas import Persona

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_two_registrars_approving_one_transfer_the_loser_gets_409(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    first, second = personas("registrar"), build.ccaa_registrar("registrar_2")
    transfer = transfers.request_transfer(
        actor="user:staff_b", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    barrier = threading.Barrier(2)
    real_locked = base._locked

    def locked_after_both_have_read(inspector_id: Any) -> Inspector:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return real_locked(inspector_id)

    results: dict[str, Any] = {}

    def approve(name: str, who: Persona) -> None:
        try:
            response = Client().post(
                f"/api/v1/transfers/{transfer.pk}/review",
                {"action": "approve"},
                content_type="application/json",
                headers=who.headers,
            )
            results[name] = (response.status_code, response.json().get("code"))
        except Exception as exc:  # pragma: no cover - reported below
            results[name] = exc
        finally:
            connection.close()

    with mock.patch.object(transfers, "_locked", side_effect=locked_after_both_have_read):
        threads = [threading.Thread(target=approve, args=item) for item in (("a", first), ("b", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(results.values()) == [(200, None), (409, "TRANSFER_DECIDED")], results

    assert Transfer.objects.get(pk=transfer.pk).status == "approved"
    assert list(
        Affiliation.objects.filter(inspector_id=NUMBER)
        .order_by("valid_from")
        .values_list("organisation_id", "valid_until")
    ) == [("hk-cb-a", D("2026-06-30")), ("cn-cb-b", None)]
    assert Change.objects.filter(record_type="transfers", action="transition").count() == 1
