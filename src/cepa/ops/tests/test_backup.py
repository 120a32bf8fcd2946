"""`cepa backup` and `cepa restore` end to end, as an operator runs them, on the engine of DATABASE_URL
(SQLite files, or databases of their own on the PostgreSQL server): a backup of the demo registry
restored into an empty database exports the same document."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

SOURCE = Path(__file__).resolve().parents[3]
BASE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))


def cepa(url: str, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_REPLICA_URLS", "PYTEST_CURRENT_TEST"}}
    env.update(DATABASE_URL=url, CEPA_DATA_DIR=str(data), PYTHONPATH=str(SOURCE), CEPA_ACCESS_LOG="false")
    return subprocess.run(
        [sys.executable, "-m", "cepa.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases: the original and the one to restore into."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'original.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    base = dj_database_url.parse(BASE_URL)
    names = [f"cepa_backup_{uuid.uuid4().hex[:8]}_{label}" for label in ("original", "restored")]
    admin = psycopg.connect(
        host=base.get("HOST") or None,
        port=base.get("PORT") or None,
        user=base.get("USER") or None,
        password=base.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        root = BASE_URL.rsplit("/", 1)[0]
        yield f"{root}/{names[0]}", f"{root}/{names[1]}"
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_backup_restored_into_an_empty_database_exports_the_same_registry(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    original, restored = databases
    backup = tmp_path / "registry.backup"
    for args in (
        ("migrate", "--no-input"),
        ("load-demo",),
        ("export", "--out", str(tmp_path / "before.json")),
        ("backup", str(backup)),
    ):
        done = cepa(original, *args, data=tmp_path)
        assert done.returncode == 0, (args, done.stderr)
    assert backup.stat().st_size > 0
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    done = cepa(restored, "restore", str(backup), data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Database restored from {backup}"
    done = cepa(restored, "export", "--out", str(tmp_path / "after.json"), data=tmp_path)
    assert done.returncode == 0, done.stderr

    before = (tmp_path / "before.json").read_text(encoding="utf-8")
    after = (tmp_path / "after.json").read_text(encoding="utf-8")
    assert '"organisations"' in before
    assert after == before

    # A database that holds data is not replaced unless asked; refused, it is left as it was.
    refused = cepa(restored, "restore", str(backup), data=tmp_path)
    assert refused.returncode == 2
    assert "already has tables" in refused.stderr
    again = cepa(restored, "export", data=tmp_path)
    assert again.stdout == before
    replaced = cepa(restored, "restore", "--replace", str(backup), data=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert cepa(restored, "export", data=tmp_path).stdout == before


def test_a_file_that_is_not_a_backup_is_refused(databases: tuple[str, str], tmp_path: Path) -> None:
    _, empty = databases
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup\n", encoding="utf-8")
    done = cepa(empty, "restore", str(junk), data=tmp_path)
    assert done.returncode == 2
    expected = "pg_restore failed" if POSTGRES else f"{junk}: not an SQLite backup"
    assert expected in done.stderr
    missing = cepa(empty, "restore", str(tmp_path / "missing.backup"), data=tmp_path)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
