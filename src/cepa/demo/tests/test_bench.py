"""The benchmark runs end to end at a tiny scale (its figures are not checked: no timed tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from cepa.demo.bench import CODES, Sizes, generate

LINES = (
    "CEPA Registry benchmark: scale 0.002, seed 7, ",
    "registry: 20 organisations, 100 agreements, 400 scope entries",
    "import (import_document): ",
    "raw executemany, registry rows: ",
    "raw executemany, registry + change-log rows: ",
    "import ratio (vs registry + change-log rows): ",
    "import ratio (vs registry rows only): ",
    "ANALYZE after the import: ",
    "testing decision (",
    "raw SQL of those queries: ",
    "testing ratio: ",
    "testing_for_all (",
    "testing_for_all ratio: ",
    "certificates document: ",
    "certificates import (import_file, streamed): ",
    "raw executemany of the rows it wrote: ",
    "certificates import ratio (vs registry + change-log rows): ",
    "certificates import ratio (vs registry rows only): ",
    "certificate decision (",
    "certificate decision ratio: ",
    "current certificates whose chain contains ",
    "chain contains laboratory ratio: ",
    "bulk status download (CSV, streamed): ",
    "reads without a router (a testing decision + 50 organisations): ",
    "the same reads routed to a replica alias on the same database (",
    "replica router ratio: ",
)


def test_the_generated_registry_has_the_asked_sizes_and_is_deterministic() -> None:
    sizes = Sizes(organisations=200, agreements=1000, scope_entries=4000)
    document = generate(sizes, seed=3)
    scope = sum(len(r["scope"]) for r in document["accreditations"]) + sum(
        len(r["product_types"]) for key in ("designations", "agreements") for r in document[key]
    )
    assert (len(document["organisations"]), len(document["agreements"]), scope) == (200, 1000, 4000)
    assert {c for r in document["agreements"] for c in r["product_types"]} <= set(CODES)
    assert generate(sizes, seed=3) == document
    assert generate(sizes, seed=4) != document


def test_the_bench_prints_every_figure_at_a_tiny_scale() -> None:
    # A separate process: the bench sets up Django on databases of its own.
    result = subprocess.run(
        [sys.executable, "-m", "cepa.bench", "--scale", "0.002", "--seed", "7", "--repeat", "1",
         "--import-repeat", "1", "--decisions", "2", "--certificates", "0.0002"],
        capture_output=True, text=True, env=dict(os.environ), timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    missing = [start for start in LINES if not any(line.startswith(start) for line in lines)]
    assert missing == []
    assert len(lines) == 28
    # The chain query is measured on a non-empty answer.
    chain = next(line for line in lines if line.startswith("current certificates whose chain contains "))
    found = re.search(r" on \d{4}-\d\d-\d\d: ([\d,]+) \(", chain)
    assert found is not None, chain
    assert int(found[1].replace(",", "")) > 0, chain


def test_the_certificates_import_runs_alone() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cepa.bench", "--scale", "0.002", "--seed", "7", "--import-repeat", "1",
         "--certificates", "0.0002", "--certificates-import-only"],
        capture_output=True, text=True, env=dict(os.environ), timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    starts = [line.split(":")[0] for line in result.stdout.splitlines()[1:]]
    assert starts == [
        "registry",
        "certificates document",
        "certificates import (import_file, streamed)",
        "raw executemany of the rows it wrote",
        "certificates import ratio (vs registry + change-log rows)",
        "certificates import ratio (vs registry rows only)",
    ]



def test_the_decisions_run_alone_and_a_kept_registry_serves_a_second_run(tmp_path: Path) -> None:
    kept = tmp_path / "decisions.sqlite3"
    command = [sys.executable, "-m", "cepa.bench", "--scale", "0.002", "--seed", "7", "--repeat", "1",
               "--decisions", "2", "--decisions-only", "--database", str(kept)]
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    runs = [subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600, check=False)
            for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    first, second = (run.stdout.splitlines()[1:] for run in runs)
    measured = [
        "testing decision (bench-hk-lab-00003, 0710, 2026-06-01)",
        "raw SQL of those queries",
        "testing ratio",
        "testing_for_all (0201, 2026-06-01)",
        "raw SQL of those queries",
        "testing_for_all ratio",
    ]
    registry = "registry: 20 organisations, 100 agreements, 400 scope entries"
    # The first run builds and keeps the registry; the second measures on the kept file, importing nothing.
    assert first[0] == second[0] == registry
    assert first[1].startswith("registry imported and analysed in ")
    assert first[2] == f"kept the database as {kept}"
    assert second[1] == f"registry: the kept database {kept}"
    assert [line.split(":")[0] for line in first[3:]] == measured
    assert [line.split(":")[0] for line in second[2:]] == measured
