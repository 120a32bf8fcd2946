"""The certificates' read side of the bench, at a tiny size: the selector and its raw SQL agree, and the
figures are printed."""

from __future__ import annotations

import pytest

from cepa.certificates.models import Certificate
from cepa.demo import bench_chain

pytestmark = pytest.mark.django_db


def test_the_chain_query_and_the_download_are_measured() -> None:
    bench_chain.populate(300)
    assert Certificate.objects.count() == 300
    lines: list[str] = []
    bench_chain.run(lines.append, repeat=2)
    assert len(lines) == 3
    assert lines[0].startswith("current certificates whose chain contains chain-lab-")
    assert lines[1].startswith("chain contains laboratory ratio: ")
    assert lines[2].startswith("bulk status download (CSV, streamed): 300 rows, ")


def test_nothing_is_printed_without_certificates() -> None:
    lines: list[str] = []
    bench_chain.run(lines.append, repeat=1)
    assert lines == []
