"""`cepa serve`: the web application and API through granian (WSGI), static files through whitenoise.

Worker processes and threads follow the machine: one worker per core the process may run on (Django
holds the GIL while it works, so more processes than cores only queue), and per worker a few threads
that overlap waits on the database and the network (CEPA_THREADS, default 2 on SQLite, where writes
serialise anyway, and 4 on PostgreSQL). CEPA_WORKERS / --workers and CEPA_THREADS / --threads override.
Each thread keeps its own database connection: a node holds workers × threads connections per database.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.ops.logs import GRANIAN_LOG_CONFIG


def usable_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    return int(os.environ.get("CEPA_WORKERS") or usable_cores())


def default_threads() -> int:
    if os.environ.get("CEPA_THREADS"):
        return int(os.environ["CEPA_THREADS"])
    return 2 if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else 4


class Command(BaseCommand):
    help = "Serves the web application and API (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: one per core)"
        )
        parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: 2 or 4)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535", returncode=2)
        try:
            workers = options["workers"] or default_workers()
            threads = options["threads"] or default_threads()
        except ValueError as error:
            raise CommandError("CEPA_WORKERS and CEPA_THREADS must be whole numbers", returncode=2) from error
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1", returncode=2)
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")
        if granian is None:
            raise CommandError("granian is not installed: run `make install`", returncode=2)
        self.stdout.write(
            f"CEPA Registry on http://{options['host']}:{options['port']}/ "
            f"({workers} workers x {threads} threads)\n"
        )
        self.stdout.flush()
        os.execv(granian, granian_argv(granian, options["host"], options["port"], workers, threads))


def granian_argv(granian: str, host: str, port: int, workers: int, threads: int) -> list[str]:
    # granian's own lines (start, workers, errors) in the application's JSON-lines format.
    logs = ["--log-config", str(GRANIAN_LOG_CONFIG)] if settings.LOG_FORMAT == "json" else []
    sizing = ["--workers", str(workers), "--blocking-threads", str(threads)]
    listen = ["--interface", "wsgi", "--host", host, "--port", str(port), "--no-ws"]
    return [granian, *listen, *sizing, "--respawn-failed-workers", *logs, "cepa.wsgi:application"]
