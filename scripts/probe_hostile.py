"""Re-runs issue 12's probes: a few thousand hostile requests across every identity, then reports the
inputs tried, the server errors and the partial writes. Not a test: a measurement for the note.

    PYTHONPATH=src python scripts/probe_hostile.py [--requests 3000] [--imports 24] [--seed 12]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/probe PYTHONPATH=src python scripts/probe_hostile.py

It builds a fresh test database (Django's test database beside DATABASE_URL's, or SQLite in memory),
the registry of cepa.testing.hostile.make_world (seven identities: anonymous, administrator, CNCA,
CCAA, HKAS, a Mainland applicant, a Hong Kong applicant), and sends through Django's test client
(the whole middleware and URL stack, in process):

- JSON writes: every write of the OpenAPI document, bodies of hostile values in its own fields or
  hostile texts, as a random identity, to real or hostile ids;
- reads: every GET of the OpenAPI document with hostile path ids and query values;
- pages: the public pages and the portal with hostile query values;
- uploads: malformed multipart bodies and files that are not PDFs;
- imports: `cepa import` of the sample registry with one hostile value, or of a hostile text.

A server error is an answer of 500 or more (or an exit other than 0 and 2, or a traceback); a partial
write is a refused request (4xx, exit 2) after which any table's row count differs. The report is
JSON on stdout; the exit status is 1 when there is either.
"""

from __future__ import annotations

import argparse
import collections
import copy
import io
import json
import os
import random
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest import mock


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--imports", type=int, default=24)
    parser.add_argument("--seed", type=int, default=12)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cepa.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return probe(options, connection.vendor, name)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def probe(options: argparse.Namespace, vendor: str, database: str) -> int:
    from django.test import Client

    from cepa.api.api import api
    from cepa.testing import hostile

    rng = random.Random(options.seed)
    world = hostile.make_world()
    client = Client(raise_request_exception=False)
    document = api.get_openapi_schema()
    writes = hostile.write_operations()
    fields = {str(op): hostile.body_fields(op) for op in writes}
    reads = [
        (path, [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"])
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if method == "get"
    ]
    pages = [
        "/",
        "/directory/",
        "/bodies/cn-lab-pearl/",
        "/who-can-test/",
        "/enquiry/",
        "/calendar/",
        "/inspectors/",
        "/open-data/",
        "/portal/",
        "/workbench/",
    ]
    roles = list(world.people)
    tried: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    server_errors: list[dict[str, Any]] = []
    partial_writes: list[dict[str, Any]] = []

    def record(kind: str, label: str, status: int, before: dict[str, int] | None, detail: Any) -> None:
        tried[kind] += 1
        statuses[f"{status // 100}xx"] += 1
        if status >= 500:
            server_errors.append({"kind": kind, "request": label, "status": status, "detail": detail})
        if before is not None and 400 <= status < 500:
            changed = hostile.changed_tables(before, hostile.row_counts())
            if changed:
                partial_writes.append({"kind": kind, "request": label, "status": status, "changed": changed})

    def hostile_id() -> dict[str, str]:
        return {} if rng.random() < 0.6 else dict.fromkeys(world.ids, rng.choice(hostile.HOSTILE_IDS))

    def query_value() -> str:
        value = rng.choice(hostile.HOSTILE_STRINGS + tuple(str(n) for n in hostile.HOSTILE_NUMBERS))
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")

    kinds = ["write"] * 6 + ["read"] * 2 + ["page", "upload"]
    for _ in range(options.requests):
        kind = rng.choice(kinds)
        who = world.people[rng.choice(roles)]
        if kind == "write":
            operation = rng.choice(writes)
            if rng.random() < 0.5:
                who = world.people[hostile.caller(operation.path)]
            path = hostile.fill(operation.path, world.ids, **hostile_id())
            body = hostile.random_body(rng, fields[str(operation)])
            before = hostile.row_counts()
            response = hostile.call(client, operation, path, body, who)
            record(
                kind,
                f"{operation.method} {path} {body[:120]!r}",
                response.status_code,
                before,
                head(response),
            )
        elif kind == "read":
            path_template, names = rng.choice(reads)
            path = hostile.fill(path_template, world.ids, **hostile_id())
            query = {name: query_value() for name in rng.sample(names, min(len(names), rng.randint(0, 3)))}
            response = client.get(path, query, headers=who.headers)
            record(kind, f"GET {path} {query!r}", response.status_code, None, head(response))
        elif kind == "page":
            path = rng.choice(pages)
            query = {rng.choice(["q", "kind", "product_type", "page", "lang", "on", "seat"]): query_value()}
            response = who.client().get(path, query)
            record(kind, f"GET {path} {query!r}", response.status_code, None, head(response))
        else:
            body, content_type = upload_body(rng)
            path = f"/api/v1/applications/{world.ids['application_id']}/documents"
            before = hostile.row_counts()
            response = client.post(
                path, body, content_type=content_type, headers=world.people["mainland"].headers
            )
            record(
                kind,
                f"POST {path} {content_type} {body[:80]!r}",
                response.status_code,
                before,
                head(response),
            )

    for _ in range(options.imports):
        text = import_text(rng)
        before = hostile.row_counts()
        code, err = run_import(text)
        status = 200 if code == 0 else 400 if code == 2 else 500
        if "Traceback" in err:
            status = 500
        record("import", f"cepa import {text[:120]!r}", status, before, err[-500:])

    report = {
        "database": vendor,
        "inputs_tried": sum(tried.values()),
        "by_kind": dict(tried),
        "answers": dict(sorted(statuses.items())),
        "identities": len(roles),
        "server_errors": len(server_errors),
        "server_errors_by_kind": dict(collections.Counter(error["kind"] for error in server_errors)),
        "partial_writes": len(partial_writes),
        "first_server_errors": server_errors[:10],
        "first_partial_writes": partial_writes[:10],
    }
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 1 if server_errors or partial_writes else 0


def head(response: Any) -> bytes:
    """The start of a response's body (nothing of a streamed one, such as a file)."""
    if getattr(response, "streaming", False):
        response.close()
        return b"<streamed>"
    return bytes(response.content[:300])


def upload_body(rng: random.Random) -> tuple[bytes, str]:
    from cepa.testing.factories import pdf

    real = pdf()
    choice = rng.randrange(6)
    if choice == 0:
        return b"--B\r\n\r\nx\r\n--B--\r\n", "multipart/form-data"
    if choice == 1:
        header = b"X-Long: " + b"a" * rng.choice([1100, 5000]) + b"\r\n"
        return _part(header, b"%PDF-1.4\n"), "multipart/form-data; boundary=B"
    if choice == 2:
        return _part(
            b"", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        ), "multipart/form-data; boundary=B"
    if choice == 3:
        return _part(b"", real[: len(real) // 2]), "multipart/form-data; boundary=B"
    if choice == 4:
        return _part(b"", bytes(rng.randrange(256) for _ in range(200))), "multipart/form-data; boundary=B"
    return _part(b"", real), "multipart/form-data; boundary=B"


def _part(header: bytes, content: bytes) -> bytes:
    return (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        + header
        + b"Content-Type: application/pdf\r\n\r\n"
        + content
        + b"\r\n--B--\r\n"
    )


def import_text(rng: random.Random) -> bytes:
    from cepa.interchange.tests.helpers import sample
    from cepa.testing import hostile

    if rng.random() < 0.3:
        return rng.choice(hostile.HOSTILE_TEXTS)
    document = copy.deepcopy(sample())
    lists = [name for name in document if name != "format" and document[name]]
    for _ in range(rng.randint(1, 3)):
        record = rng.choice(document[rng.choice(lists)])
        record[rng.choice([*record, "unexpected"])] = hostile.random_value(rng)
    return json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")


def run_import(text: bytes) -> tuple[int, str]:
    """`cepa import` in process: (exit code, stderr)."""
    from django.db import connections

    from cepa import cli

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.json"
        path.write_bytes(text)
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            with (
                redirect_stdout(out),
                redirect_stderr(err),
                mock.patch.object(connections, "close_all", lambda: None),
            ):
                cli.main(["cepa", "import", str(path)])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except Exception as error:  # a traceback: a server error of the command line
            code = 1
            err.write(f"Traceback: {error!r}")
    return code, err.getvalue()


if __name__ == "__main__":
    sys.exit(main())
