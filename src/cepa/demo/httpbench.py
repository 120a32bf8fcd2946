"""The HTTP part of the benchmark (`python -m cepa.bench --http`): the project and a bare django-ninja
endpoint (cepa.demo.bare) each on granian with the same worker count, driven by the same bounded client.

The client is a small asyncio HTTP/1.1 client with keep-alive connections: a fixed number of connections,
each sending its next request when the answer to the last has been read, for a fixed time. The bare
endpoint and each page take turns (bare, page, bare, page, ...), so other work on the machine slows both
alike, and each ratio is the median of the ratios of turns made side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    target: float  # the least share of the bare endpoint's requests/s
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---------------------------------------------------------------------------------------------
# The client


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = b""
    if status in (204, 304) or 100 <= status < 200:
        return status, headers, body
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # the last chunk's end (no trailers are sent)
                break
            parts.append(await reader.readexactly(size + 2))
        body = b"".join(part[:-2] for part in parts)
    else:
        body = await reader.read()
    return status, headers, body


def request_bytes(port: int, path: str, headers: Sequence[tuple[str, str]] = ()) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "Accept-Language: en", "User-Agent: cepa-bench"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _connection(port: int, raw: bytes, stop_at: float, result: Result) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            writer.write(raw)
            status, headers, _ = await _read_response(reader)
            result.latencies.append(time.perf_counter() - start)
            result.statuses[status] += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _drive(port: int, raw: bytes, concurrency: int, seconds: float) -> Result:
    result = Result(0, 0.0, [])
    start = time.perf_counter()
    await asyncio.gather(*(_connection(port, raw, start + seconds, result) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - start
    result.requests = len(result.latencies)
    return result


def drive(port: int, raw: bytes, concurrency: int, seconds: float) -> Result:
    """`concurrency` keep-alive connections sending `raw` for `seconds`."""
    return asyncio.run(_drive(port, raw, concurrency, seconds))


def fetch(port: int, path: str, headers: Sequence[tuple[str, str]] = ()) -> tuple[int, dict[str, str], bytes]:
    async def once() -> tuple[int, dict[str, str], bytes]:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request_bytes(port, path, headers))
            return await _read_response(reader)
        finally:
            writer.close()

    return asyncio.run(once())


# ---------------------------------------------------------------------------------------------
# The servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def granian(target: str, workers: int, env: dict[str, str], ready_path: str) -> Iterator[int]:
    """granian serving the WSGI `target` on a free port until the block ends; yields the port."""
    executable = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")
    if executable is None:
        raise RuntimeError("granian is not installed")
    port = free_port()
    argv = [
        executable,
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "8",
        "--no-ws",
        "--log-level",
        "warning",
        target,
    ]
    # Its errors go to a file, not a pipe: a pipe nobody reads while the client drives the server fills up,
    # and then the server's next log line blocks its worker for good.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    error = errors.read().decode(errors="replace")
                    raise RuntimeError(f"granian {target} stopped: {error[-2000:]}")
                try:
                    status, _, _ = fetch(port, ready_path)
                    if status < 500:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"granian {target} did not answer within 60 s")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def database_url(settings: dict[str, Any]) -> str:
    if "postgresql" in settings["ENGINE"]:
        quote = urllib.parse.quote
        user = quote(settings.get("USER") or "")
        password = settings.get("PASSWORD") or ""
        auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "localhost"
        port = settings.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{quote(settings['NAME'])}"
    return f"sqlite:///{settings['NAME']}"


def server_env(database: dict[str, Any], data_dir: Path, page_cache: bool = True) -> dict[str, str]:
    import cepa

    source = str(Path(cepa.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cepa.settings",
            "DATABASE_URL": database_url(database),
            "CEPA_DATA_DIR": str(data_dir),
            "CEPA_LOG_LEVEL": "ERROR",
            # No access log: a proxy keeps one in production, and the bare endpoint writes none either.
            "CEPA_ACCESS_LOG": "false",
            # Without the page cache every answer is rendered (the 304s still come before the view).
            **({} if page_cache else {"CEPA_PAGE_CACHE_SECONDS": "0"}),
            "PYTHONPATH": os.pathsep.join(p for p in (source, env.get("PYTHONPATH", "")) if p),
        }
    )
    return env


# ---------------------------------------------------------------------------------------------
# The run


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ratio: float, target: float) -> str:
    return "meets target" if ratio >= target else "MISSES target"


def measure(
    targets: Sequence[Target],
    database: dict[str, Any],
    data_dir: Path,
    workers: int,
    concurrency: int,
    seconds: float,
    rounds: int,
    say: Callable[[str], None],
    page_cache: bool = True,
) -> list[tuple[str, float, float]]:
    """Each target beside the bare endpoint; says a line per target and returns (label, ratio, target)."""
    env = server_env(database, data_dir, page_cache)
    bare_env = {name: value for name, value in env.items() if name != "DJANGO_SETTINGS_MODULE"}
    summary = []
    with (
        granian("cepa.demo.bare:application", workers, bare_env, "/ping") as bare_port,
        granian("cepa.wsgi:application", workers, env, "/api/v1/decisions/enquiry?product_type=0101") as port,
    ):
        bare_raw = request_bytes(bare_port, "/ping")
        say(
            f"HTTP: granian WSGI, {workers} workers each, {concurrency} keep-alive connections, "
            f"{rounds} turns of {seconds:g} s per target, load {os.getloadavg()[0]:.2f} "
            f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)"
        )
        drive(bare_port, bare_raw, concurrency, 1.0)  # warm: workers started, code loaded
        for target in targets:
            headers = list(target.headers)
            if target.status == 304:  # a warm conditional GET: the validator of the page's last answer
                status, answer, _ = fetch(port, target.path)
                if status != 200 or "etag" not in answer:
                    raise RuntimeError(f"{target.path} gave {status} without an ETag")
                headers.append(("If-None-Match", answer["etag"]))
            raw = request_bytes(port, target.path, headers)
            status, _, body = fetch(port, target.path, headers)
            if status != target.status:
                raise RuntimeError(f"{target.path} gave {status}, expected {target.status}: {body[:300]!r}")
            drive(port, raw, concurrency, min(1.0, seconds))  # warm
            bare_results, results, ratios = [], [], []
            for _ in range(rounds):
                bare_results.append(drive(bare_port, bare_raw, concurrency, seconds))
                results.append(drive(port, raw, concurrency, seconds))
                ratios.append(results[-1].rate / bare_results[-1].rate)
            page = Result(
                sum(r.requests for r in results),
                sum(r.seconds for r in results),
                [x for r in results for x in r.latencies],
                sum((r.statuses for r in results), Counter()),
            )
            bare = Result(
                sum(r.requests for r in bare_results),
                sum(r.seconds for r in bare_results),
                [x for r in bare_results for x in r.latencies],
            )
            ratio = statistics.median(ratios)
            wrong = {s: n for s, n in page.statuses.items() if s != target.status}
            say(
                f"{target.label}: {page.rate:,.0f} requests/s (p50 {_ms(page.percentile(0.5))}, "
                f"p99 {_ms(page.percentile(0.99))}); bare {bare.rate:,.0f}/s "
                f"(p50 {_ms(bare.percentile(0.5))}, "
                f"p99 {_ms(bare.percentile(0.99))}); ratio {ratio:.1%} (turns: "
                f"{', '.join(f'{r:.1%}' for r in ratios)}; target >= {target.target:.0%}): "
                f"{verdict(ratio, target.target)}" + (f"; UNEXPECTED statuses {wrong}" if wrong else "")
            )
            summary.append((target.label, ratio, target.target))
        say(f"HTTP done, load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return summary


def targets_for(subject: str, code: str, common: str, on: str) -> list[Target]:
    quoted = urllib.parse.quote
    return [
        Target(
            "testing decision (API)",
            f"/api/v1/decisions/testing?subject={quoted(subject)}&product_type={code}&on={on}",
            0.25,
        ),
        Target("body page", f"/bodies/{quoted(subject)}/?on={on}", 0.05),
        Target("directory by product type", f"/directory/?product={common}&on={on}", 0.05),
        Target("who can test", f"/who-can-test/?product={common}&on={on}", 0.05),
        Target(
            "conditional GET (304) of the directory",
            f"/directory/?product={common}&on={on}",
            0.50,
            status=304,
        ),
    ]
