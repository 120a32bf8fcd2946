"""An import whose writing keeps clashing with another writer ends cleanly (issue 12, finding 7):
exit 2 with a message, nothing written, never an IntegrityError traceback."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError

from cepa.interchange import services
from cepa.interchange.tests.helpers import SAMPLE, row_counts, run_cepa

pytestmark = pytest.mark.django_db


def test_an_import_that_keeps_clashing_exits_2_and_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = row_counts()
    calls: list[int] = []

    def clash(*args: Any) -> None:
        calls.append(1)
        raise IntegrityError('duplicate key value violates unique constraint "bodies_organisation_pkey"')

    with mock.patch.object(services, "insert_rows", side_effect=clash):
        code, out, err = run_cepa(capsys, "import", str(SAMPLE))
    assert (code, out) == (2, "")
    assert err == f": {services.CLASH}\n"
    assert len(calls) == services.ATTEMPTS
    assert row_counts() == before
