"""The certificates' read side in `make bench` (issue 10), on whatever certificates the database holds
(after the certificates import of cepa.demo.bench_certificates):

- "every current certificate whose chain contains laboratory X" (cepa.certificates.selectors.
  current_ids_with_laboratory, the SQL of current_with_laboratory compiled once) against the raw SQL
  that answers it, for the laboratory cited by the most certificates current on the date asked (the
  answer's size is printed; an empty one is an error); target ≤ 2x;
- the bulk status download (the CSV the public page streams): its throughput in rows per second and
  the growth of the process's resident memory while it streams (constant memory: the same at any
  number of certificates).

`run(say, repeat)` measures on Django's default connection. `python -m cepa.demo.bench_chain
[--certificates N]` measures on the database DATABASE_URL names, first filling it with N generated
certificates when it holds fewer (for a quick look without the whole benchmark).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections.abc import Callable, Sequence

CHAIN_TARGET = 2.0
ON = dt.date(2026, 6, 1)
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

RAW_CURRENT_WITH_LABORATORY = """
SELECT c.id FROM certificates_certificate c
WHERE c.issued <= %(on)s AND c.expires >= %(on)s
  AND c.id IN (SELECT cr.certificate_id FROM certificates_certificatereport cr
               JOIN certificates_testreport tr ON tr.id = cr.test_report_id
               WHERE tr.laboratory_id = %(lab)s)
  AND NOT EXISTS (SELECT 1 FROM certificates_certificateevent e
                  WHERE e.certificate_id = c.id AND e."on" <= %(on)s AND e.status IN ('revoked', 'cancelled'))
  AND NOT EXISTS (SELECT 1 FROM certificates_certificateevent s
                  WHERE s.certificate_id = c.id AND s."on" <= %(on)s AND s.status = 'suspended'
                    AND NOT EXISTS (SELECT 1 FROM certificates_certificateevent v
                                    WHERE v.certificate_id = c.id AND v."on" <= %(on)s AND v."on" > s."on"
                                      AND v.status = 'valid'))
ORDER BY c.id
"""


def _resident() -> int:
    """The process's resident memory in bytes (Linux), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE
    except OSError:
        return 0


def busiest_laboratory(day: dt.date = ON) -> str | None:
    """The laboratory whose reports are cited by the most certificates current on `day` (by their dates
    alone), asked before any timing: the laboratory with the most reports may have none current (the
    bench's generator gives each laboratory certificates issued on the same days), and an empty answer
    measures nothing. None when no certificate is current on `day`."""
    from django.db.models import Count

    from cepa.certificates.models import CertificateReport

    row = (
        CertificateReport.objects.filter(certificate__issued__lte=day, certificate__expires__gte=day)
        .values("test_report__laboratory_id")
        .annotate(current=Count("certificate_id", distinct=True))
        .order_by("-current", "test_report__laboratory_id")
        .first()
    )
    return None if row is None else str(row["test_report__laboratory_id"])


def measure_chain(laboratory: str, repeat: int, day: dt.date = ON) -> list[str]:
    from django.db import connection

    from cepa.certificates.selectors import current_ids_with_laboratory
    from cepa.demo.bench import paired_ratio, ratio_line, side_by_side

    def orm() -> list[str]:
        return current_ids_with_laboratory(laboratory, day)

    def raw() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(RAW_CURRENT_WITH_LABORATORY, {"on": day, "lab": laboratory})
            return [row[0] for row in cursor.fetchall()]

    found = orm()
    if found != raw():
        raise AssertionError("the selector and the raw SQL disagree")
    if not found:
        raise AssertionError(f"no certificate current on {day} cites {laboratory}: nothing would be measured")
    orm(), raw()  # warm both plans
    times = side_by_side({"orm": orm, "raw": raw}, repeat)
    best = min(times["orm"])
    return [
        f"current certificates whose chain contains {laboratory} on {day}: {len(found):,} "
        f"(best {best * 1000:.3f} ms for all {len(found):,})",
        ratio_line("chain contains laboratory ratio", paired_ratio(times["orm"], times["raw"]), CHAIN_TARGET),
    ]


def measure_download(day: dt.date = ON) -> list[str]:
    """Streams the CSV as the page does (cepa.web.public.certificates.csv_chunks), counting rows and
    bytes, sampling resident memory at every chunk."""
    from cepa.certificates.models import Certificate
    from cepa.web.public.certificates import csv_chunks

    rows = Certificate.objects.count()
    start_memory = _resident()
    peak = start_memory
    size = 0
    start = time.perf_counter()
    for chunk in csv_chunks(day):
        size += len(chunk)
        peak = max(peak, _resident())
    seconds = time.perf_counter() - start
    growth = (peak - start_memory) / 2**20
    return [
        f"bulk status download (CSV, streamed): {rows:,} rows, {size / 2**20:.1f} MiB in {seconds:.2f} s: "
        f"{rows / seconds:,.0f} rows/s; resident memory grew by {growth:.1f} MiB while streaming",
    ]


def run(say: Callable[[str], None], repeat: int) -> None:
    """Prints the lines; nothing when the database holds no test reports (the bench ran without its
    certificates part)."""
    from cepa.certificates.models import TestReport

    if not TestReport.objects.exists():
        return
    laboratory = busiest_laboratory()
    if laboratory is None:
        raise AssertionError(f"no certificate is current on {ON}: the chain query would measure nothing")
    for line in measure_chain(laboratory, repeat):
        say(line)
    for line in measure_download():
        say(line)


# --- standalone: fill a database with generated certificates ---------------------------------------


def populate(certificates: int, seed: int = 7, batch: int = 20_000) -> None:
    """Adds generated laboratories, certification bodies, test reports and certificates (a tenth of
    them with status events) until the database holds `certificates` certificates."""
    from django.db import transaction

    from cepa.bodies.models import Organisation
    from cepa.certificates.models import Certificate, CertificateEvent, CertificateReport, TestReport

    have = Certificate.objects.count()
    if have >= certificates:
        return
    rng = random.Random(seed)
    labs = [f"chain-lab-{i:03d}" for i in range(200)]
    bodies = [f"chain-cb-{i:02d}" for i in range(20)]
    Organisation.objects.bulk_create(
        [Organisation(id=o, kind="laboratory", seat="HK", name_en=o) for o in labs]
        + [
            Organisation(id=o, kind="certification_body", seat="MAINLAND", name_en=o, cnca_code=f"{10 + i}")
            for i, o in enumerate(bodies)
        ],
        ignore_conflicts=True,
    )
    for first in range(have, certificates, batch):
        numbers = range(first, min(first + batch, certificates))
        reports, links, certs, events = [], [], [], []
        for n in numbers:
            body = bodies[n % len(bodies)]
            issued = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(2000))
            report_id = f"CHAIN-TR-{n:08d}"
            number = f"{issued.year}{10 + n % len(bodies)}0701{n % 1_000_000:06d}"
            reports.append(
                TestReport(
                    id=report_id,
                    laboratory_id=labs[int(rng.paretovariate(1.2)) % len(labs)],
                    product_type="0701",
                    issued=issued - dt.timedelta(days=30),
                    certification_body_id=body,
                )
            )
            certs.append(
                Certificate(
                    id=number,
                    holder_en=f"Holder {n}",
                    product_type="0701",
                    issuer_id=body,
                    issued=issued,
                    expires=issued + dt.timedelta(days=5 * 365),
                )
            )
            links.append(CertificateReport(certificate_id=number, test_report_id=report_id, position=0))
            if n % 10 == 0:
                on = issued + dt.timedelta(days=rng.randrange(300))
                status = ("suspended", "revoked", "cancelled")[n % 3]
                events.append(
                    CertificateEvent(certificate_id=number, position=0, on=on, status=status, reason="bench")
                )
        with transaction.atomic():
            TestReport.objects.bulk_create(reports, ignore_conflicts=True)
            Certificate.objects.bulk_create(certs, ignore_conflicts=True)
            CertificateReport.objects.bulk_create(links, ignore_conflicts=True)
            CertificateEvent.objects.bulk_create(events, ignore_conflicts=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cepa.demo.bench_chain", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--certificates", type=int, default=0, help="fill the database up to this many")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cepa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    if args.certificates:
        populate(args.certificates)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def say(line: str) -> None:
        print(line, flush=True)

    say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    run(say, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
