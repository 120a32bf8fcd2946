"""The benchmark behind `make bench`: the importer and the rules engine against plain SQL, side by side.

Runs on throwaway databases only: fresh SQLite files under a temporary folder, or, when DATABASE_URL
names a PostgreSQL server, databases of their own on that server, created and dropped here. Every
time is the median of several runs, and every ratio the median of the ratios of runs made side by
side (the two take turns, so other work on the machine slows both alike).

Usage: `python -m cepa.bench [--scale 0.1] [--seed 7] [--certificates 0.01] [--certificates-import-only]
[--http | --http-only]`; the certificates part (1,000,000 certificates at `--certificates 1`) is in
cepa.demo.bench_certificates (`--certificates-import-only`: its import measurement alone);
`--http` adds the HTTP part (cepa.demo.httpbench): the project's pages and API beside a bare
django-ninja endpoint, both on granian. `--certificate-reads [--database PATH] [--chain-repeat N]`
builds the registry and the certificates once without timing the imports and measures only the
certificate decision and the chain query (on SQLite, PATH keeps the built file for the next run).
`--decisions-only [--database PATH]` likewise builds the registry alone and measures only the testing
decision and testing_for_all against their raw SQL.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

FULL_ORGANISATIONS = 10_000
FULL_AGREEMENTS = 50_000
FULL_SCOPE_ENTRIES = 200_000
IMPORT_TARGET = 4.0
DECISION_TARGET = 3.0
FOR_ALL_TARGET = 2.0  # issue 13: every laboratory for one product type within 2x its raw SQL
RAW_ALIAS = "bench_raw"
ON = dt.date(2026, 6, 1)

# Real codes of the 2023 catalogue (families 01-07, electronics, lighting, explosion-proof, gas).
CODES = (
    "0101", "0104", "0105", "0201", "0202", "0204", "0206", "0301", "0302", "0401", "0501", "0503",
    "0506", "0603", "0604", "0605", "0607", "0701", "0702", "0703", "0704", "0705", "0706", "0707",
    "0708", "0709", "0710", "0711", "0712", "0713", "0714", "0807", "0901", "0914", "0915", "1001",
    "2302", "2303", "2304", "2305", "2306", "2307", "2401", "2402", "2403",
)


# ---------------------------------------------------------------------------------------------
# The generated registry


@dataclass(frozen=True)
class Sizes:
    organisations: int
    agreements: int
    scope_entries: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        organisations = max(20, round(FULL_ORGANISATIONS * scale))
        agreements = max(20, round(FULL_AGREEMENTS * scale))
        return cls(organisations, agreements, max(4 * agreements, round(FULL_SCOPE_ENTRIES * scale)))


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers, each at least 1 and at most len(CODES)."""
    base, extra = divmod(total, parts)
    sizes = [base + (1 if index < extra else 0) for index in range(parts)]
    if not sizes or min(sizes) < 1 or max(sizes) > len(CODES):
        raise ValueError(f"cannot spread {total} scope entries over {parts} records")
    return sizes


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def generate(sizes: Sizes, seed: int) -> dict[str, Any]:
    """A deterministic `cepa-registry/1` document of the given sizes.

    Scope entries: a quarter in accreditations, a quarter in designations, half in agreements.
    """
    rng = random.Random(seed)
    n = sizes.organisations
    shares = [("hk-lab", 0.40), ("hk-cb", 0.10), ("cn-lab", 0.30), ("cn-cb", 0.15)]
    counts = {prefix: max(2, int(n * share)) for prefix, share in shares}
    counts["os-lab"] = int(n * 0.03)
    counts["hk-ib"] = n - sum(counts.values())  # the rest: inspection bodies
    kinds = {"lab": "laboratory", "cb": "certification_body", "ib": "inspection_body"}
    seats = {"hk": "HK", "cn": "MAINLAND", "os": "OVERSEAS"}
    ids: dict[str, list[str]] = {}
    organisations: list[dict[str, Any]] = []
    for prefix, count in counts.items():
        seat, kind = prefix.split("-")
        ids[prefix] = [f"bench-{prefix}-{index:05d}" for index in range(count)]
        for index, org_id in enumerate(ids[prefix]):
            record: dict[str, Any] = {
                "id": org_id,
                "name": {"en": f"Bench {prefix} {index}", "zh-Hant": f"測試機構 {index}",
                         "zh-Hans": f"测试机构 {index}"},
                "kind": kinds[kind],
                "seat": seats[seat],
                "hk_invested": seat == "cn" and index % 7 == 0,
            }
            if prefix == "cn-cb":
                record["cnca_code"] = f"{index % 90 + 10:02d}"
            organisations.append(record)

    quarter = sizes.scope_entries // 4
    accredited = ids["hk-lab"] + ids["hk-cb"]
    accreditations = []
    for org_id, size in zip(accredited, _spread(quarter, len(accredited)), strict=True):
        scope = sorted(rng.sample(CODES, size))
        events = []
        if rng.random() < 0.1:
            events.append({"on": _day(rng, dt.date(2024, 1, 1), dt.date(2026, 12, 31)).isoformat(),
                           "status": "suspended", "scope": scope[:1], "reason": "voluntary"})
        accreditations.append({
            "id": f"ACC-{org_id}", "organisation": org_id,
            "scheme": "HOKLAS" if "-lab-" in org_id else "HKCAS",
            "scope": scope, "granted": _day(rng, dt.date(2012, 1, 1), dt.date(2024, 12, 31)).isoformat(),
            "events": events,
        })

    designated = ids["cn-lab"] + ids["cn-cb"]
    designations = []
    for org_id, size in zip(designated, _spread(quarter, len(designated)), strict=True):
        start = _day(rng, dt.date(2014, 1, 1), dt.date(2024, 12, 31))
        until = None if rng.random() < 0.8 else _day(rng, start, dt.date(2027, 12, 31)).isoformat()
        designations.append({
            "id": f"DES-{org_id}", "organisation": org_id,
            "role": "laboratory" if "-lab-" in org_id else "certification_body",
            "product_types": sorted(rng.sample(CODES, size)), "from": start.isoformat(), "until": until,
        })

    agreements = []
    agreement_scope = sizes.scope_entries - 2 * quarter
    for index, size in enumerate(_spread(agreement_scope, sizes.agreements)):
        testing = rng.random() < 0.7
        party = rng.choice(ids["hk-lab"] if testing else ids["hk-cb"])
        kind = "testing" if testing else rng.choice(("factory_inspection", "sampling"))
        start = _day(rng, dt.date(2018, 1, 1), dt.date(2026, 6, 30))
        until = None
        if rng.random() < 0.5:
            until = (start + dt.timedelta(days=rng.randrange(365, 2200))).isoformat()
        terminated = None
        if rng.random() < 0.03:
            terminated = (start + dt.timedelta(days=rng.randrange(30, 900))).isoformat()
        agreements.append({
            "id": f"AGR-{index:06d}", "kind": kind, "party": party, "counterparty": rng.choice(ids["cn-cb"]),
            "product_types": sorted(rng.sample(CODES, size)), "from": start.isoformat(), "until": until,
            "terminated_on": terminated,
        })
    return {
        "format": "cepa-registry/1",
        "organisations": organisations,
        "accreditations": accreditations,
        "designations": designations,
        "agreements": agreements,
    }


# ---------------------------------------------------------------------------------------------
# Throwaway databases


class Databases:
    """Creates, copies and drops the bench's own databases; never touches any other."""

    def __init__(self, base: dict[str, Any], tag: str) -> None:
        self.base = base
        self.tag = tag
        self.postgres = "postgresql" in base["ENGINE"]
        self.folder = Path(tempfile.mkdtemp(prefix="cepa-bench-"))
        self.created: list[str] = []

    def describe(self) -> str:
        if self.postgres:
            server = f"{self.base.get('HOST') or 'localhost'}:{self.base.get('PORT') or 5432}"
            return f"PostgreSQL {server} (databases cepa_bench_{self.tag}_*)"
        return f"SQLite files in {self.folder}"

    def name(self, label: str) -> str:
        if self.postgres:
            return f"cepa_bench_{self.tag}_{label}"
        return str(self.folder / f"{label}.sqlite3")

    def settings_for(self, label: str) -> dict[str, Any]:
        settings = dict(self.base)
        settings["NAME"] = self.name(label)
        settings["OPTIONS"] = dict(self.base.get("OPTIONS") or {})
        return settings

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.base.get("HOST") or None, port=self.base.get("PORT") or None,
            user=self.base.get("USER") or None, password=self.base.get("PASSWORD") or None,
            dbname="postgres", autocommit=True,
        )

    def create(self, label: str, template: str | None = None) -> None:
        """An empty database, or a copy of `template` (which must have no open connection)."""
        name = self.name(label)
        if self.postgres:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                clause = f' TEMPLATE "{self.name(template)}"' if template else ""
                admin.execute(f'CREATE DATABASE "{name}"{clause}')
        elif template:
            for suffix in ("", "-wal"):
                if Path(self.name(template) + suffix).exists():
                    shutil.copyfile(self.name(template) + suffix, name + suffix)
        self.created.append(label)

    def drop(self, label: str) -> None:
        name = self.name(label)
        if self.postgres:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        if label in self.created:
            self.created.remove(label)

    def drop_all(self) -> None:
        for label in list(self.created):
            with contextlib.suppress(Exception):
                self.drop(label)
        shutil.rmtree(self.folder, ignore_errors=True)


def point(alias: str, databases: Databases, label: str) -> None:
    """Re-targets a Django connection alias at one of the bench's databases."""
    from django.db import connections

    connection = connections[alias]
    connection.close()
    connection.settings_dict.update(databases.settings_for(label))


# ---------------------------------------------------------------------------------------------
# Measuring


def side_by_side(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Seconds of each run, `repeat` times, the runs taking turns so a busy machine slows each alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def paired_ratio(slow: Sequence[float], fast: Sequence[float]) -> float:
    """The median of the ratios of runs made side by side (steadier than a ratio of medians when other
    work shares the machine)."""
    return statistics.median(a / b if b > 0 else float("inf") for a, b in zip(slow, fast, strict=True))


def registry_models() -> list[Any]:
    """The registry's tables in an order that satisfies their foreign keys."""
    from cepa.bodies import models as bodies
    from cepa.designation import models as designation
    from cepa.personnel import models as personnel

    return [
        bodies.Organisation, bodies.Accreditation, bodies.AccreditationScope, bodies.AccreditationEvent,
        bodies.Designation, bodies.DesignationScope, bodies.Agreement, bodies.AgreementScope,
        designation.Plan, designation.ExpressionOfInterest,
        personnel.Inspector, personnel.Affiliation, personnel.InspectorEvent,
    ]


def history_models() -> list[Any]:
    from cepa.history import models as history

    return [history.ChangeSet, history.Change]


@dataclass
class TableRows:
    table: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_tables(models: Sequence[Any], after: dict[str, int] | None = None) -> list[TableRows]:
    """The rows of the given tables on the default connection (those with an id above `after[table]`,
    when given), ready to insert elsewhere."""
    from django.db import connection
    from django.db import models as dj_models

    tables = []
    with connection.cursor() as cursor:
        for model in models:
            fields = model._meta.concrete_fields
            columns = [f.column for f in fields]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            table = model._meta.db_table
            where = f" WHERE id > {int(after[table])}" if after and table in after else ""
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}{where}")
            rows = cursor.fetchall()
            json_at = [i for i, f in enumerate(fields) if isinstance(f, dj_models.JSONField)]
            if json_at and connection.vendor == "postgresql":
                from psycopg.types.json import Jsonb

                rows = [tuple(Jsonb(v) if i in json_at and v is not None else v for i, v in enumerate(row))
                        for row in rows]
            tables.append(TableRows(model._meta.db_table, columns, rows))
    return tables


def raw_insert(tables: Sequence[TableRows]) -> None:
    """executemany through the DB-API cursor of the raw alias, in one transaction."""
    from django.db import connections, transaction

    connection = connections[RAW_ALIAS]
    mark = "?" if connection.vendor == "sqlite" else "%s"
    with transaction.atomic(using=RAW_ALIAS):
        cursor = connection.connection.cursor()
        for table in tables:
            if not table.rows:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            marks = ", ".join([mark] * len(table.columns))
            insert = f"INSERT INTO {connection.ops.quote_name(table.table)} ({quoted}) VALUES ({marks})"
            cursor.executemany(insert, table.rows)
        cursor.close()


@dataclass
class Captured:
    queries: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many:
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


@contextlib.contextmanager
def capture() -> Iterator[Captured]:
    from django.db import connection

    captured = Captured()
    with connection.execute_wrapper(captured):
        yield captured


def replay(queries: Sequence[tuple[str, Any]]) -> Callable[[], None]:
    """A function that runs the captured queries through the DB-API cursor and fetches every row."""
    from django.db import connection
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        prepared = [(FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"), params) for sql, params in queries]
    else:
        prepared = list(queries)
    raw = connection.connection

    def run() -> None:
        cursor = raw.cursor()
        for sql, params in prepared:
            cursor.execute(sql, params or ())
            cursor.fetchall()
        cursor.close()

    return run


def ratio_line(label: str, ratio: float, target: float) -> str:
    verdict = "meets target" if ratio <= target else "MISSES target"
    return f"{label}: {ratio:.2f}x (target <= {target:g}x): {verdict}"


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Options:
    scale: float
    seed: int
    repeat: int
    import_repeat: int
    decisions: int
    certificates: float = 1.0
    certificates_import_only: bool = False
    http: bool = False
    http_only: bool = False
    workers: int = 2
    concurrency: int = 8
    seconds: float = 3.0
    rounds: int = 2
    page_cache: bool = True
    certificate_reads: bool = False
    decisions_only: bool = False
    database: str | None = None
    chain_repeat: int | None = None


def parse(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m cepa.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full size (1: 10,000 bodies)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated registry")
    parser.add_argument("--repeat", type=int, default=9, help="runs of each decision measurement")
    parser.add_argument("--import-repeat", type=int, default=3, help="runs of each import measurement")
    parser.add_argument("--decisions", type=int, default=200, help="decisions per timed run")
    parser.add_argument(
        "--certificates", type=float, default=1.0,
        help="share of the full certificates part (1: 1,000,000 certificates, 1,000,000 test reports, "
        "500,000 factory inspections; 0: leave it out)",
    )
    parser.add_argument(
        "--certificates-import-only", action="store_true",
        help="the certificates import alone (the registry imported once, unmeasured; no decisions)",
    )
    parser.add_argument("--http", action="store_true", help="add the HTTP part (granian, pages and API)")
    parser.add_argument("--http-only", action="store_true", help="the HTTP part alone")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="granian workers")
    parser.add_argument("--concurrency", type=int, default=8, help="connections the HTTP client keeps busy")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each HTTP turn")
    parser.add_argument("--rounds", type=int, default=2, help="HTTP turns of each target")
    parser.add_argument("--no-page-cache", action="store_true", help="HTTP: render every answer")
    parser.add_argument(
        "--certificate-reads", action="store_true",
        help="build the registry and the certificates part without timing the imports, then measure only "
        "the certificate decision and the chain query",
    )
    parser.add_argument(
        "--decisions-only", action="store_true",
        help="build the registry without timing the import, then measure only the testing decision and "
        "testing_for_all against their raw SQL",
    )
    parser.add_argument(
        "--database", metavar="PATH",
        help="with --certificate-reads or --decisions-only on SQLite: the file to build into and keep, or "
        "to measure on when it exists (so a second run needs no import)",
    )
    parser.add_argument(
        "--chain-repeat", type=int, metavar="N",
        help="with --certificate-reads: runs of the chain query (default --repeat; 0 leaves it out)",
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be greater than 0 and at most 10")
    if args.repeat < 1 or args.import_repeat < 1 or args.decisions < 1:
        parser.error("--repeat, --import-repeat and --decisions must be at least 1")
    if not 0 <= args.certificates <= 1:
        parser.error("--certificates must be between 0 and 1")
    if args.chain_repeat is not None and not args.certificate_reads:
        parser.error("--chain-repeat goes with --certificate-reads")
    if args.database and not (args.certificate_reads or args.decisions_only):
        parser.error("--database goes with --certificate-reads or --decisions-only")
    if args.decisions_only and (args.certificate_reads or args.http or args.http_only
                                or args.certificates_import_only):
        parser.error("--decisions-only goes with no other part")
    if args.certificate_reads and (args.http or args.http_only or args.certificates <= 0):
        parser.error("--certificate-reads needs a certificates part and no HTTP part")
    if args.certificates_import_only and (args.certificates == 0 or args.http or args.http_only):
        parser.error("--certificates-import-only needs --certificates above 0 and no HTTP part")
    if args.workers < 1 or args.concurrency < 1 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--workers, --concurrency, --seconds and --rounds must be positive")
    return Options(args.scale, args.seed, args.repeat, args.import_repeat, args.decisions,
                   certificates=args.certificates, certificates_import_only=args.certificates_import_only,
                   http=args.http or args.http_only, http_only=args.http_only, workers=args.workers,
                   concurrency=args.concurrency, seconds=args.seconds, rounds=args.rounds,
                   page_cache=not args.no_page_cache, certificate_reads=args.certificate_reads,
                   decisions_only=args.decisions_only, database=args.database,
                   chain_repeat=args.chain_repeat)


def setup_django() -> Databases:
    """Django with the default alias on a bench database (never the project's own) and a raw alias."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cepa.settings")
    from django.conf import settings

    configured: dict[str, Any] = settings.DATABASES
    databases = Databases(dict(configured["default"]), tag=f"{os.getpid()}")
    configured["default"] = databases.settings_for("template")
    configured[RAW_ALIAS] = databases.settings_for("raw")
    import django

    django.setup()
    return databases


def count_rows(models: Sequence[Any]) -> int:
    return sum(model.objects.count() for model in models)


def last_ids(models: Sequence[Any]) -> dict[str, int]:
    """The highest id of each table, so rows written later can be told apart."""
    from django.db.models import Max

    return {model._meta.db_table: model.objects.aggregate(last=Max("id"))["last"] or 0 for model in models}


def run(options: Options, databases: Databases, out: TextIO) -> None:
    from django.core.management import call_command
    from django.db import connections

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    sizes = Sizes.at(options.scale)
    say(f"CEPA Registry benchmark: scale {options.scale:g}, seed {options.seed}, {databases.describe()}")
    document = generate(sizes, options.seed)
    subject, code = busiest_laboratory(document)
    common = most_common_code(document)
    organisations = document["organisations"]
    document_text = json.dumps(document)
    del document
    say(f"registry: {sizes.organisations:,} organisations, {sizes.agreements:,} agreements, "
        f"{sizes.scope_entries:,} scope entries")

    # One migrated template; every measured database starts as a copy of it.
    databases.create("template")
    point("default", databases, "template")
    call_command("migrate", verbosity=0, interactive=False)
    connections["default"].close()

    if options.certificate_reads:
        from cepa.demo import bench_certificates

        bench_certificates.run_reads(options, databases, document_text, organisations, CODES, say,
                                     sys.modules[__name__])
        return
    if options.decisions_only:
        run_decisions_only(options, databases, document_text, subject, code, common, say)
        return
    if options.http_only:
        from cepa.interchange.services import import_document

        databases.create("http", template="template")
        point("default", databases, "http")
        start = time.perf_counter()
        import_document(actor="system:bench", document=json.loads(document_text), reason="benchmark")
        say(f"imported in {time.perf_counter() - start:.1f} s")
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        connections["default"].close()
        measure_http(options, databases, "http", subject, code, common, say)
        return
    if options.certificates_import_only:
        from cepa.demo import bench_certificates
        from cepa.interchange.services import import_document

        databases.create("registry", template="template")
        point("default", databases, "registry")
        import_document(actor="system:bench", document=json.loads(document_text), reason="benchmark")
        connections["default"].close()
        bench_certificates.run(
            options.certificates, options.scale, options.import_repeat, databases, "registry",
            organisations, CODES, say, sys.modules[__name__], import_only=True,
        )
        return
    for line in measure_import(options, databases, document_text):
        say(line)
    # Nothing big stays alive: a server holds no such document, and its objects would slow every
    # collection of the cyclic garbage collector during the decisions.
    del document_text
    gc.collect()
    # The decisions run on the last imported database, with planner statistics as PostgreSQL's
    # autovacuum would gather them: without them SQLite picks a poor plan that hides the overhead.
    start = time.perf_counter()
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"ANALYZE after the import: {time.perf_counter() - start:.2f} s")
    for line in measure_decisions(options, subject, code, common):
        say(line)
    from cepa.demo.bench_router import measure_router

    for line in measure_router(10 * options.repeat, max(5, options.decisions // 40), subject, code, ON):
        say(line)
    connections["default"].close()
    if options.certificates > 0:
        from cepa.demo import bench_certificates, bench_chain

        bench_certificates.run(
            options.certificates, options.scale, options.import_repeat, databases,
            f"import{options.import_repeat - 1}", organisations, CODES, say, sys.modules[__name__],
        )
        # The certificates' read side (issue 10), on the database the certificates were imported into
        # (the default connection points at it): the chain query against its raw SQL and the bulk status
        # download (cepa.demo.bench_chain).
        bench_chain.run(say, options.repeat)
        connections["default"].close()
    if options.http:
        measure_http(options, databases, f"import{options.import_repeat - 1}", subject, code, common, say)


def run_decisions_only(
    options: Options, databases: Databases, document_text: str, subject: str, code: str, common: str,
    say: Callable[[str], None],
) -> None:
    """The decisions part alone, on a registry imported (unmeasured) and analysed once, or on the SQLite
    file `options.database` when it exists (a second run then needs no import)."""
    from django.db import connections

    from cepa.interchange.services import import_document

    kept = Path(options.database) if options.database else None
    if kept is not None and databases.postgres:
        raise ValueError("--database names a SQLite file; on PostgreSQL the registry is built each time")
    if kept is not None and kept.exists():
        say(f"registry: the kept database {kept}")
        connections["default"].close()
        settings = {**databases.settings_for("decisions"), "NAME": str(kept)}
        connections["default"].settings_dict.update(settings)
    else:
        databases.create("decisions", template="template")
        point("default", databases, "decisions")
        start = time.perf_counter()
        import_document(actor="system:bench", document=json.loads(document_text), reason="benchmark")
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        say(f"registry imported and analysed in {time.perf_counter() - start:.1f} s (not measured)")
        if kept is not None:
            connections["default"].close()
            for suffix in ("", "-wal"):
                source = Path(databases.name("decisions") + suffix)
                if source.exists():
                    shutil.copyfile(source, str(kept) + suffix)
            say(f"kept the database as {kept}")
    gc.collect()
    for line in measure_decisions(options, subject, code, common):
        say(line)
    connections["default"].close()


def measure_http(
    options: Options, databases: Databases, label: str, subject: str, code: str, common: str,
    say: Callable[[str], None],
) -> None:
    from cepa.demo import httpbench

    targets = httpbench.targets_for(subject, code, common, ON.isoformat())
    httpbench.measure(
        targets, databases.settings_for(label), databases.folder, options.workers, options.concurrency,
        options.seconds, options.rounds, say, page_cache=options.page_cache,
    )


def measure_import(options: Options, databases: Databases, document_text: str) -> list[str]:
    """import_document into a fresh copy of the template, then executemany of the rows it wrote into
    another, in turns."""
    from django.db import connections

    from cepa.interchange.services import import_document

    point("default", databases, "template")
    template_history = count_rows(history_models())
    before_import = last_ids(history_models())
    connections["default"].close()
    times: dict[str, list[float]] = {"import": [], "registry": [], "all": []}
    registry_tables: list[TableRows] = []
    all_tables: list[TableRows] = []
    for attempt in range(options.import_repeat):
        label = f"import{attempt}"
        databases.create(label, template="template")
        point("default", databases, label)
        document = json.loads(document_text)
        start = time.perf_counter()
        import_document(actor="system:bench", document=document, reason="benchmark", channel="import")
        times["import"].append(time.perf_counter() - start)
        if not registry_tables:  # the rows the import wrote, read back once
            registry_tables = read_tables(registry_models())
            all_tables = registry_tables + read_tables(history_models(), after=before_import)
        for kind, tables in (("registry", registry_tables), ("all", all_tables)):
            databases.create("raw", template="template")
            point(RAW_ALIAS, databases, "raw")
            start = time.perf_counter()
            raw_insert(tables)
            times[kind].append(time.perf_counter() - start)
            connections[RAW_ALIAS].close()
            databases.drop("raw")
        if attempt < options.import_repeat - 1:
            connections["default"].close()
            databases.drop(label)
    registry_rows = sum(len(table.rows) for table in registry_tables)
    history_rows = count_rows(history_models()) - template_history
    imported, raw_registry, raw_all = (statistics.median(times[k]) for k in ("import", "registry", "all"))
    ratio_all = paired_ratio(times["import"], times["all"])
    ratio_registry = paired_ratio(times["import"], times["registry"])
    return [
        f"import (import_document): {imported:.2f} s for {registry_rows:,} registry rows "
        f"(+{history_rows:,} change-log rows): {registry_rows / imported:,.0f} rows/s",
        f"raw executemany, registry rows: {raw_registry:.2f} s: {registry_rows / raw_registry:,.0f} rows/s",
        f"raw executemany, registry + change-log rows: {raw_all:.2f} s",
        ratio_line("import ratio (vs registry + change-log rows)", ratio_all, IMPORT_TARGET),
        ratio_line("import ratio (vs registry rows only)", ratio_registry, IMPORT_TARGET),
    ]


def measure_decisions(options: Options, subject: str, code: str, common: str) -> list[str]:
    """`testing` of `code` by `subject` (loader + engine each time) and of `common` by every laboratory,
    each beside the raw SQL of the queries the loader issued for it."""
    from cepa.decisions.services import decide, testing_for_all

    per_run = options.decisions

    def one() -> Any:
        return decide("testing", subject=subject, product_type=code, on=ON, lang="en")

    one()  # warm: the connection and any process-wide cache
    with capture() as captured:
        decision = one()
    raw_one = replay(captured.queries)

    def decisions() -> None:
        for _ in range(per_run):
            one()

    def raw_decisions() -> None:
        for _ in range(per_run):
            raw_one()

    single = side_by_side({"engine": decisions, "raw": raw_decisions}, options.repeat)
    engine, raw = (statistics.median(single[name]) / per_run for name in ("engine", "raw"))

    def every_lab() -> Any:
        return testing_for_all(common, on=ON, lang="en")

    every_lab()
    with capture() as captured_all:
        answers = every_lab()
    both = side_by_side({"engine": every_lab, "raw": replay(captured_all.queries)}, options.repeat)
    engine_all, raw_all = (statistics.median(both[name]) for name in ("engine", "raw"))
    return [
        f"testing decision ({subject}, {code}, {ON}): {1 / engine:,.0f} decisions/s "
        f"({engine * 1000:.3f} ms each, {len(captured.queries)} queries, allowed={decision.allowed})",
        f"raw SQL of those queries: {1 / raw:,.0f} runs/s ({raw * 1000:.3f} ms each)",
        ratio_line("testing ratio", paired_ratio(single["engine"], single["raw"]), DECISION_TARGET),
        f"testing_for_all ({common}, {ON}): {engine_all * 1000:.1f} ms for {len(answers):,} laboratories "
        f"({len(captured_all.queries)} queries)",
        f"raw SQL of those queries: {raw_all * 1000:.1f} ms",
        ratio_line("testing_for_all ratio", paired_ratio(both["engine"], both["raw"]), FOR_ALL_TARGET),
    ]


def busiest_laboratory(document: dict[str, Any]) -> tuple[str, str]:
    """The Hong Kong laboratory with the most testing agreements, and a code its accreditation and
    agreements share (so the decision checks every condition)."""
    testing = Counter(a["party"] for a in document["agreements"] if a["kind"] == "testing")
    scope = {a["organisation"]: set(a["scope"]) for a in document["accreditations"]}
    for party, _ in testing.most_common():
        covered = Counter(
            code for a in document["agreements"] if a["party"] == party and a["kind"] == "testing"
            for code in a["product_types"] if code in scope.get(party, ())
        )
        if covered:
            return party, sorted(covered.items(), key=lambda item: (-item[1], item[0]))[0][0]
    raise RuntimeError("the generated registry has no laboratory with a covered testing agreement")


def most_common_code(document: dict[str, Any]) -> str:
    codes = Counter(code for a in document["accreditations"] for code in a["scope"])
    return sorted(codes.items(), key=lambda item: (-item[1], item[0]))[0][0]


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    databases = setup_django()
    try:
        run(options, databases, sys.stdout)
    finally:
        from django.db import connections

        connections.close_all()
        databases.drop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
