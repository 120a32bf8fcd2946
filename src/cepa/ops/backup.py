"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A backup is taken while the registry serves (SQLite copies a consistent snapshot page by page; pg_dump
reads in one repeatable-read transaction) and written beside its target, then renamed, so a backup
file is always whole. A restore refuses a database that already has tables unless told to replace it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


class BackupError(Exception):
    """A backup or restore that could not be made; nothing was changed."""


def _postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: CEPA_PG_BIN's, else the PATH's, else the newest of Debian's."""
    folder = os.environ.get("CEPA_PG_BIN")
    if folder:
        return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if versions:
        return str(versions[-1])
    raise BackupError(f"{name} is not installed (install PostgreSQL's client programs, or set CEPA_PG_BIN)")


def _postgres_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [f"--dbname={settings['NAME']}"]
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip() or done.returncode}")


def backup(target: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Writes the whole database to `target` (replaced only once the backup is complete)."""
    connection = connections[alias]
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    os.close(handle)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(temporary)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            args, env = _postgres_args(connection.settings_dict)
            _run(
                [_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={temporary}", *args],
                env,
            )
        else:
            raise BackupError(f"no backup for the {connection.vendor} engine")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o600 & ~umask)  # a backup holds every account: owner only
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def database_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(source: Path, *, alias: str = DEFAULT_DB_ALIAS, replace: bool = False) -> None:
    """Replaces the database's content with the backup in `source`.

    Refuses (BackupError, nothing changed) a source that is no backup of this engine, or a database that
    already has tables when `replace` is false.
    """
    connection = connections[alias]
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if not replace and database_tables(alias):
        raise BackupError(
            "the database already has tables: restore into an empty database, or pass --replace"
        )
    if connection.vendor == "sqlite":
        try:
            origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                origin.execute("SELECT count(*) FROM sqlite_master").fetchone()
                connection.close()
                connection.ensure_connection()
                origin.backup(connection.connection)
            finally:
                origin.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source}: not an SQLite backup ({error})") from error
        finally:
            connection.close()  # the next use opens the restored database afresh
    elif connection.vendor == "postgresql":
        args, env = _postgres_args(connection.settings_dict)
        connection.close()
        options = ["--clean", "--if-exists"] if replace else []
        _run(
            [
                _postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                *options,
                *args,
                str(source),
            ],
            env,
        )
    else:
        raise BackupError(f"no restore for the {connection.vendor} engine")
