"""The certificates part of `make bench` (issue 10): 1,000,000 certificates, 1,000,000 test reports and
500,000 factory inspections (at `--certificates 1`) over the benchmark's organisations.

- The streamed import of a file (`interchange.services.import_file`) against a plain `executemany` of
  the rows it wrote, and the import's peak memory (its own process, so nothing else counts).
- One `certificate` decision against the raw SQL of its queries.

The document is written to a file record by record, never held whole.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FULL_CERTIFICATES = 1_000_000
FULL_REPORTS = 1_000_000
FULL_INSPECTIONS = 500_000
FULL_INSPECTORS = 5_000
IMPORT_TARGET = 2.0
DECISION_TARGET = 2.0
MEMORY_LIMIT_MB = 1024
BATCH = 20_000
FIRST_DAY = dt.date(2021, 1, 1)


@dataclass(frozen=True)
class CertificateSizes:
    certificates: int
    reports: int
    inspections: int
    inspectors: int

    @classmethod
    def at(cls, scale: float, organisation_scale: float) -> CertificateSizes:
        certificates = max(10, round(FULL_CERTIFICATES * scale))
        return cls(
            certificates=certificates,
            reports=max(certificates, round(FULL_REPORTS * scale)),
            inspections=max(5, round(FULL_INSPECTIONS * scale)),
            inspectors=max(20, round(FULL_INSPECTORS * organisation_scale)),
        )


def _bodies(organisations: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {"hk-lab": [], "cn-lab": [], "hk-cb": [], "cn-cb": []}
    for record in organisations:
        prefix = record["id"].removeprefix("bench-").rsplit("-", 1)[0]
        if prefix in found:
            found[prefix].append(record)
    return found


def write_document(
    path: Path, sizes: CertificateSizes, organisations: Sequence[dict[str, Any]], codes: Sequence[str]
) -> int:
    """Writes the certificates document to `path`, one record at a time. Returns its record count.

    Certificate i cites report i (and, past the reports' count, report i modulo it) and inspection
    i // 2 while there is one; certificate, report and inspection share a product type. Every tenth
    certificate was suspended for a while."""
    bodies = _bodies(organisations)
    issuers = bodies["cn-cb"]
    laboratories = [record["id"] for record in bodies["hk-lab"] + bodies["cn-lab"]]
    inspecting = [record["id"] for record in bodies["hk-cb"]]
    inspectors = [f"BENCH-INSP-{index:05d}" for index in range(sizes.inspectors)]

    def code_of(certificate: int) -> str:
        return codes[(certificate // 2) % len(codes)]

    def issuer_of(certificate: int) -> dict[str, Any]:
        return issuers[(certificate // 2) % len(issuers)]

    def day(number: int) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=number % 1_000)

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        for index, inspector in enumerate(inspectors):
            yield (
                "inspectors",
                {
                    "id": inspector,
                    "name": {"en": f"Bench inspector {index}"},
                    "grade": "inspector",
                    "specialties": sorted({code[:2] for code in codes}),
                    "registered": "2020-01-01",
                    "expires": "2030-12-31",
                    "affiliations": [
                        {"organisation": inspecting[index % len(inspecting)], "from": "2020-01-01"}
                    ],
                },
            )
        for index in range(sizes.reports):
            certificate = index % sizes.certificates
            yield (
                "test_reports",
                {
                    "id": f"TR-{index:07d}",
                    "laboratory": laboratories[index % len(laboratories)],
                    "product_type": code_of(certificate),
                    "issued": day(certificate).isoformat(),
                    "certification_body": issuer_of(certificate)["id"],
                },
            )
        for index in range(sizes.inspections):
            certificate = (2 * index) % sizes.certificates
            yield (
                "factory_inspections",
                {
                    "id": f"FI-{index:07d}",
                    "organisation": inspecting[index % len(inspecting)],
                    "on_behalf_of": issuer_of(certificate)["id"],
                    "inspectors": [
                        inspectors[index % len(inspectors)],
                        inspectors[(index + 1) % len(inspectors)],
                    ],
                    "product_type": code_of(certificate),
                    "on": (day(certificate) + dt.timedelta(days=5)).isoformat(),
                },
            )
        for index in range(sizes.certificates):
            issuer = issuer_of(index)
            issued = day(index) + dt.timedelta(days=30)
            record: dict[str, Any] = {
                "id": f"{issued.year}{issuer['cnca_code']}{code_of(index)}{index:06d}",
                "holder": {"en": f"Bench holder {index}", "zh-Hans": f"持证人{index}"},
                "product_type": code_of(index),
                "issuer": issuer["id"],
                "issued": issued.isoformat(),
                "expires": (issued + dt.timedelta(days=5 * 365)).isoformat(),
                "test_reports": [f"TR-{index % sizes.reports:07d}"],
            }
            if index // 2 < sizes.inspections:
                record["factory_inspections"] = [f"FI-{index // 2:07d}"]
            if index % 10 == 0:
                record["events"] = [
                    {"on": (issued + dt.timedelta(days=100)).isoformat(), "status": "suspended"},
                    {"on": (issued + dt.timedelta(days=130)).isoformat(), "status": "valid"},
                ]
            yield "certificates", record

    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "cepa-registry/1"')
        current = None
        for list_name, record in records():
            if list_name != current:
                out.write("]" if current else "")
                out.write(f',\n"{list_name}": [\n')
                current = list_name
            else:
                out.write(",\n")
            out.write(json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("]}\n" if current else "}\n")
    return count


# --- the import, in a process of its own ---------------------------------------------------------------


def _import_in_child(settings: dict[str, Any], path: str, answer: Any) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cepa.settings")
    from django.conf import settings as django_settings

    django_settings.DATABASES["default"] = settings  # type: ignore[assignment]
    import django

    django.setup()
    from cepa.interchange.services import import_file

    start = time.perf_counter()
    result = import_file(actor="system:bench", path=path, reason="benchmark", channel="import")
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answer.send((elapsed, peak_kb, result.created, result.changeset_id))
    answer.close()


def import_in_process(settings: dict[str, Any], path: Path) -> tuple[float, float, int]:
    """(seconds, peak memory in MB, records created) of `import_file` in a fresh process."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_import_in_child, args=(settings, str(path), send))
    child.start()
    send.close()
    elapsed, peak_kb, created, _ = receive.recv()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the import process failed with exit code {child.exitcode}")
    return elapsed, peak_kb / 1024, created


# --- the raw baseline ----------------------------------------------------------------------------------


def written_models() -> list[Any]:
    """The tables a certificates document writes, in an order that satisfies their foreign keys."""
    from cepa.certificates import models as certificates
    from cepa.personnel import models as personnel

    return [
        personnel.Inspector,
        personnel.Affiliation,
        certificates.TestReport,
        certificates.FactoryInspection,
        certificates.InspectionInspector,
        certificates.Certificate,
        certificates.CertificateReport,
        certificates.CertificateInspection,
        certificates.CertificateEvent,
    ]


def copy_rows(models: Sequence[Any], raw_alias: str, after: dict[str, int]) -> tuple[float, int]:
    """Inserts the rows of the given tables (of the default connection; history rows above `after`)
    into the raw alias with executemany in one transaction, read in batches. Returns the seconds spent
    in executemany alone, and the number of rows."""
    from django.db import connection, connections, transaction
    from django.db import models as dj_models

    target = connections[raw_alias]
    mark = "?" if target.vendor == "sqlite" else "%s"
    spent = 0.0
    rows_total = 0
    with transaction.atomic(using=raw_alias):
        out = target.connection.cursor()
        if target.vendor == "sqlite":
            # Like for like: the same page cache as the streamed import gives itself.
            from cepa.interchange.services import SQLITE_CACHE_KIB

            out.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        for model in models:
            fields = model._meta.concrete_fields
            columns = [f.column for f in fields]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            where = f" WHERE id > {int(after[model._meta.db_table])}" if model._meta.db_table in after else ""
            json_at = [i for i, f in enumerate(fields) if isinstance(f, dj_models.JSONField)]
            insert = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join([mark] * len(columns))})"
            with connection.chunked_cursor() as source:
                source.execute(f"SELECT {quoted} FROM {table}{where}")
                while True:
                    batch = source.fetchmany(BATCH)
                    if not batch:
                        break
                    if json_at and target.vendor == "postgresql":
                        from psycopg.types.json import Jsonb

                        batch = [
                            tuple(
                                Jsonb(v) if i in json_at and v is not None else v for i, v in enumerate(row)
                            )
                            for row in batch
                        ]
                    start = time.perf_counter()
                    out.executemany(insert, batch)
                    spent += time.perf_counter() - start
                    rows_total += len(batch)
        out.close()
    return spent, rows_total


# --- the run -------------------------------------------------------------------------------------------


def run(
    scale: float,
    organisation_scale: float,
    repeat: int,
    databases: Any,
    base_label: str,
    organisations: Sequence[dict[str, Any]],
    codes: Sequence[str],
    say: Callable[[str], None],
    helpers: Any,
    *,
    import_only: bool = False,
) -> None:
    """Measures on copies of `base_label` (a database holding the benchmark's registry); `import_only`
    leaves out the decision."""
    from django.db import connections

    measure_import(
        scale, organisation_scale, repeat, databases, base_label, organisations, codes, say, helpers
    )
    if not import_only:
        measure_decision(repeat, helpers, say)
    connections["default"].close()


def measure_import(
    scale: float,
    organisation_scale: float,
    repeat: int,
    databases: Any,
    base_label: str,
    organisations: Sequence[dict[str, Any]],
    codes: Sequence[str],
    say: Callable[[str], None],
    helpers: Any,
) -> None:
    """The streamed import into a copy of `base_label`, against executemany of the rows it wrote; the
    default connection is left on the imported database."""
    from django.db import connections

    sizes = CertificateSizes.at(scale, organisation_scale)
    path = databases.folder / "certificates.json"
    start = time.perf_counter()
    records = write_document(path, sizes, organisations, codes)
    size_mb = path.stat().st_size / 1e6
    say(
        f"certificates document: {sizes.certificates:,} certificates, {sizes.reports:,} test reports, "
        f"{sizes.inspections:,} factory inspections, {sizes.inspectors:,} inspectors: {records:,} records, "
        f"{size_mb:,.0f} MB, written in {time.perf_counter() - start:.1f} s"
    )
    connections["default"].close()
    databases.create("certs", template=base_label)
    helpers.point("default", databases, "certs")
    history = helpers.history_models()
    before = helpers.last_ids(history)
    connections["default"].close()
    elapsed, peak_mb, created = import_in_process(databases.settings_for("certs"), path)
    verdict = "within" if peak_mb < MEMORY_LIMIT_MB else "OVER"
    say(
        f"certificates import (import_file, streamed): {elapsed:.2f} s for {created:,} records: "
        f"{created / elapsed:,.0f} records/s; peak memory {peak_mb:,.0f} MB ({verdict} {MEMORY_LIMIT_MB} MB)"
    )
    raw_times: list[float] = []
    raw_registry: list[float] = []
    rows = registry_rows = 0
    for _ in range(repeat):
        # One copy: the registry rows, then the change-log rows, each timed.
        databases.create("certsraw", template=base_label)
        helpers.point(helpers.RAW_ALIAS, databases, "certsraw")
        spent, registry_rows = copy_rows(written_models(), helpers.RAW_ALIAS, {})
        history_spent, history_rows = copy_rows(history, helpers.RAW_ALIAS, before)
        rows = registry_rows + history_rows
        raw_registry.append(spent)
        raw_times.append(spent + history_spent)
        connections[helpers.RAW_ALIAS].close()
        databases.drop("certsraw")
    raw_all, raw_only = statistics.median(raw_times), statistics.median(raw_registry)
    say(
        f"raw executemany of the rows it wrote: {raw_all:.2f} s for {rows:,} rows "
        f"({registry_rows:,} registry + {rows - registry_rows:,} change-log); registry rows only: "
        f"{raw_only:.2f} s"
    )
    say(
        helpers.ratio_line(
            "certificates import ratio (vs registry + change-log rows)", elapsed / raw_all, IMPORT_TARGET
        )
    )
    say(
        helpers.ratio_line(
            "certificates import ratio (vs registry rows only)", elapsed / raw_only, IMPORT_TARGET
        )
    )
    path.unlink(missing_ok=True)


def measure_decision(repeat: int, helpers: Any, say: Callable[[str], None], per_run: int = 200) -> None:
    from django.db import connection

    from cepa.certificates.models import Certificate
    from cepa.decisions.services import decide

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # A certificate with a report and an inspection, past its first events.
    number = Certificate.objects.filter(id__endswith="000010").values_list("id", flat=True).first()
    if number is None:
        number = Certificate.objects.order_by("id").values_list("id", flat=True).first()
    issued = Certificate.objects.values_list("issued", flat=True).get(id=number)
    on = issued + dt.timedelta(days=200)  # valid on the day, after a suspension and its lifting

    def one() -> Any:
        return decide("certificate", subject=number, on=on, lang="en")

    one()
    with helpers.capture() as captured:
        decision = one()
    raw_one = helpers.replay(captured.queries)

    def decisions() -> None:
        for _ in range(per_run):
            one()

    def raw_decisions() -> None:
        for _ in range(per_run):
            raw_one()

    times = helpers.side_by_side({"engine": decisions, "raw": raw_decisions}, max(3, repeat))
    engine, raw = (statistics.median(times[name]) / per_run for name in ("engine", "raw"))
    say(
        f"certificate decision ({number}, {on}): {1 / engine:,.0f} decisions/s ({engine * 1000:.3f} ms each, "
        f"{len(captured.queries)} queries, allowed={decision.allowed}, status={decision.status}, "
        f"{len(decision.notices)} notices)"
    )
    say(f"raw SQL of those queries: {1 / raw:,.0f} runs/s ({raw * 1000:.3f} ms each)")
    say(
        helpers.ratio_line(
            "certificate decision ratio", helpers.paired_ratio(times["engine"], times["raw"]), DECISION_TARGET
        )
    )


# --- the reads alone (`--certificate-reads`) -----------------------------------------------------------


def run_reads(
    options: Any,
    databases: Any,
    document_text: str,
    organisations: Sequence[dict[str, Any]],
    codes: Sequence[str],
    say: Callable[[str], None],
    helpers: Any,
) -> None:
    """The certificate decision and the chain query on a registry built once without timing its imports
    (or on the SQLite file `options.database` when it exists), so they can be measured at full size in a
    fraction of the whole benchmark's time."""
    import shutil

    from django.db import connections

    from cepa.demo import bench_chain

    kept = Path(options.database) if options.database else None
    if kept is not None and databases.postgres:
        raise ValueError("--database names a SQLite file; on PostgreSQL the registry is built each time")
    if kept is not None and kept.exists():
        say(f"registry and certificates: the kept database {kept}")
        connections["default"].close()
        connections["default"].settings_dict.update({**databases.settings_for("reads"), "NAME": str(kept)})
    else:
        build_for_reads(options, databases, document_text, organisations, codes, say, helpers)
        if kept is not None:
            connections["default"].close()
            for suffix in ("", "-wal"):
                source = Path(databases.name("reads") + suffix)
                if source.exists():
                    shutil.copyfile(source, str(kept) + suffix)
            say(f"kept the database as {kept}")
    measure_decision(options.repeat, helpers, say, per_run=options.decisions)
    chain_repeat = options.repeat if options.chain_repeat is None else options.chain_repeat
    if chain_repeat > 0:
        laboratory = bench_chain.busiest_laboratory()
        if laboratory is None:
            raise AssertionError(f"no certificate is current on {bench_chain.ON}: nothing to measure")
        for line in bench_chain.measure_chain(laboratory, chain_repeat):
            say(line)
    connections["default"].close()


def build_for_reads(
    options: Any,
    databases: Any,
    document_text: str,
    organisations: Sequence[dict[str, Any]],
    codes: Sequence[str],
    say: Callable[[str], None],
    helpers: Any,
) -> None:
    """The registry (import_document) and then the certificates (import_file, in its own process) in the
    database labelled "reads", the default connection pointing at it; neither import is measured."""
    from django.db import connections

    from cepa.interchange.services import import_document

    databases.create("reads", template="template")
    helpers.point("default", databases, "reads")
    start = time.perf_counter()
    import_document(actor="system:bench", document=json.loads(document_text), reason="benchmark")
    say(f"registry imported in {time.perf_counter() - start:.1f} s (not measured)")
    sizes = CertificateSizes.at(options.certificates, options.scale)
    path = databases.folder / "certificates.json"
    records = write_document(path, sizes, organisations, codes)
    connections["default"].close()
    elapsed, _, created = import_in_process(databases.settings_for("reads"), path)
    path.unlink(missing_ok=True)
    say(
        f"certificates: {sizes.certificates:,} certificates, {sizes.reports:,} test reports, "
        f"{sizes.inspections:,} factory inspections ({records:,} records, {created:,} created) imported in "
        f"{elapsed:.1f} s (not measured)"
    )
    helpers.point("default", databases, "reads")
