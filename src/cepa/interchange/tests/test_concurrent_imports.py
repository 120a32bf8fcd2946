"""Two imports at the same moment on PostgreSQL (issue 12, finding 7): they run one after the other.

Really concurrent: two threads, each with its own connection. Each is held just before it compares its
records with the registry until the other has got as far (or 3 s have passed: once imports are
serialised, the second waits on the import lock instead and never reaches that point). Before the
fix, both read the same "before": the history recorded a change from a state the registry no longer
held, and of two imports creating the same id the second ended in an IntegrityError.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from cepa.bodies.models import Organisation
from cepa.history.models import Change
from cepa.interchange import services
from cepa.interchange.schema import FORMAT
from cepa.testing.factories import organisation

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]


def document(name: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "organisations": [{"id": "hk-lab-race", "name": {"en": name}, "kind": "laboratory", "seat": "HK"}],
    }


def import_both(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Imports the two documents in two threads, both held before comparing with the registry."""
    barrier = threading.Barrier(2)
    real = services._write_list

    def write_list_after_both_have_started(*args: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return real(*args)

    results: dict[str, Any] = {}

    def run(name: str, doc: dict[str, Any]) -> None:
        try:
            result = services.import_document(actor=f"test:{name}", document=doc)
            results[name] = (result.created, result.updated)
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    with mock.patch.object(services, "_write_list", side_effect=write_list_after_both_have_started):
        threads = [threading.Thread(target=run, args=item) for item in (("a", first), ("b", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def history() -> list[tuple[str, Any, Any]]:
    changes = Change.objects.filter(record_type="organisations", record_id="hk-lab-race").order_by("id")
    return [(c.action, c.before and c.before["name"]["en"], c.after["name"]["en"]) for c in changes]


@pytest.mark.django_db(transaction=True)
def test_two_imports_changing_one_record_record_the_true_sequence() -> None:
    organisation("hk-lab-race", "laboratory", "HK", name="Original")
    results = import_both(document("One"), document("Two"))
    assert sorted(results.values()) == [(0, 1), (0, 1)], results
    changes = history()
    assert len(changes) == 2
    assert changes[0][1] == "Original"
    # The second change's "before" is what the first one left.
    assert changes[1][1] == changes[0][2]
    assert Organisation.objects.get(pk="hk-lab-race").name_en == changes[1][2]


@pytest.mark.django_db(transaction=True)
def test_two_imports_creating_one_id_create_then_update() -> None:
    results = import_both(document("One"), document("Two"))
    assert sorted(results.values()) == [(0, 1), (1, 0)], results
    changes = history()
    assert [action for action, _, _ in changes] == ["create", "update"]
    assert changes[0][1] is None
    assert changes[1][1] == changes[0][2]
    assert Organisation.objects.get(pk="hk-lab-race").name_en == changes[1][2]


@pytest.mark.django_db(transaction=True)
def test_a_clash_with_another_writer_is_retried() -> None:
    """A record the import creates is created meanwhile by a service (not an import, so not held by
    the import lock): the import reads again and updates it instead."""
    real = services.insert_rows
    clashed = threading.Event()

    def insert_after_another_writer(model: Any, rows: Any) -> None:
        if rows and not clashed.is_set():
            clashed.set()

            def other_writer() -> None:
                organisation("hk-lab-race", "laboratory", "HK", name="By a service")
                connection.close()

            writer = threading.Thread(target=other_writer)
            writer.start()
            writer.join(timeout=30)
        real(model, rows)

    with mock.patch.object(services, "insert_rows", side_effect=insert_after_another_writer):
        result = services.import_document(actor="test:import", document=document("One"))
    assert (result.created, result.updated) == (0, 1)
    assert history() == [("update", "By a service", "One")]
