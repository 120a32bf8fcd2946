"""`cepa serve`: the web application and API through granian (WSGI), static files through whitenoise."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serves the web application and API (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CEPA_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535", returncode=2)
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")
        if granian is None:
            raise CommandError("granian is not installed: run `make install`", returncode=2)
        self.stdout.write(f"CEPA Registry on http://{options['host']}:{options['port']}/\n")
        self.stdout.flush()
        argv = [
            granian, "--interface", "wsgi", "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]), "--blocking-threads", "8", "--no-ws",
            "cepa.wsgi:application",
        ]
        os.execv(granian, argv)
