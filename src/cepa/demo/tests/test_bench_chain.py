"""The certificates' read side of the bench, at a tiny size: the selector and its raw SQL agree, and the
figures are printed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cepa.certificates.models import Certificate
from cepa.certificates.selectors import current_ids_with_laboratory, current_with_laboratory
from cepa.demo import bench_chain

pytestmark = pytest.mark.django_db


def test_the_chain_query_and_the_download_are_measured() -> None:
    bench_chain.populate(300)
    assert Certificate.objects.count() == 300
    lines: list[str] = []
    bench_chain.run(lines.append, repeat=2)
    assert len(lines) == 3
    assert lines[0].startswith("current certificates whose chain contains chain-lab-")
    # The measured answer is not empty, and it is the measured laboratory's whole answer.
    found = re.match(r"current certificates whose chain contains (\S+) on (\S+): (\d+) ", lines[0])
    assert found is not None
    laboratory, day, size = found[1], found[2], int(found[3])
    assert day == bench_chain.ON.isoformat()
    assert size > 0
    assert current_with_laboratory(laboratory, bench_chain.ON).count() == size
    assert lines[1].startswith("chain contains laboratory ratio: ")
    assert lines[2].startswith("bulk status download (CSV, streamed): 300 rows, ")


def test_nothing_is_printed_without_certificates() -> None:
    lines: list[str] = []
    bench_chain.run(lines.append, repeat=1)
    assert lines == []


def test_the_laboratory_measured_is_the_one_with_the_most_current_certificates() -> None:
    bench_chain.populate(300)
    laboratory = bench_chain.busiest_laboratory()
    assert laboratory is not None
    counts = {
        lab: current_with_laboratory(lab, bench_chain.ON).count()
        for lab in Certificate.objects.values_list("report_links__test_report__laboratory_id", flat=True)
    }
    assert counts[laboratory] == max(counts.values())
    assert counts[laboratory] > 0


def test_a_laboratory_without_current_certificates_is_refused() -> None:
    bench_chain.populate(300)
    with pytest.raises(AssertionError, match="nothing would be measured"):
        bench_chain.measure_chain("chain-lab-nobody", repeat=1)


def test_the_selector_answers_as_the_status_in_python() -> None:
    # The selector's `id IN (…)` form gives what a certificate-by-certificate reading of §1 gives.
    from cepa.certificates.models import CertificateEvent, CertificateReport
    from cepa.certificates.status import status_on

    bench_chain.populate(300)
    laboratory = bench_chain.busiest_laboratory()
    assert laboratory is not None
    cited = set(
        CertificateReport.objects.filter(test_report__laboratory_id=laboratory).values_list(
            "certificate_id", flat=True
        )
    )
    events: dict[str, list[tuple[dt.date, str]]] = {}
    for number, on, status in CertificateEvent.objects.values_list("certificate_id", "on", "status"):
        events.setdefault(number, []).append((on, status))
    expected = [
        c.id
        for c in Certificate.objects.filter(id__in=cited).order_by("id")
        if status_on(c.issued, c.expires, events.get(c.id, []), bench_chain.ON) == "valid"
    ]
    assert expected != []
    assert list(current_with_laboratory(laboratory, bench_chain.ON).values_list("id", flat=True)) == expected
    # Its compiled form, on any day and laboratory, in one query each time.
    for day in (bench_chain.ON, dt.date(2022, 3, 1), dt.date(2029, 1, 1)):
        for lab in (laboratory, "chain-lab-001", "chain-lab-nobody"):
            with CaptureQueriesContext(connection) as queries:
                ids = current_ids_with_laboratory(lab, day)
            assert len(queries) == 1
            assert ids == list(current_with_laboratory(lab, day).values_list("id", flat=True))
