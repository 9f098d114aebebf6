"""Shared by the load benchmarks that drive `felles serve` with signed-in clients
(bench/pages.py, bench/rooms.py): the common options, the environment, the server on a
loopback port with N client processes against it, one GET on a fresh connection, and the
machine column of a result line.

A benchmark prepares its database (`prepare(args, env, ...)`), then calls `run(args, env,
client, payload)`: the server starts, `client(index, port, payload, measure_from, stop)`
runs in `args.clients` spawned processes (it must be a module-level function) and their
outcomes come back in client order. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from cpu import database_name, measured_cpu  # noqa: E402
from order_submission import FELLES, _wait_for  # noqa: E402


def options(port: int, description: str = "") -> argparse.ArgumentParser:
    """The options every client benchmark takes (a benchmark may add its own)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=None, help="default: felles serve's")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check the harness works: 2 clients, 2 s, no warm-up, nothing recorded "
        "(and less data where the benchmark supports it)",
    )
    return parser


def parse(parser: argparse.ArgumentParser) -> argparse.Namespace:
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.seconds, args.warmup, args.no_record = 2, 2.0, 0.0, True
    return args


def environment() -> dict[str, str]:
    """The server's environment: a temporary data directory unless one is given, no debug,
    no mail, warnings only."""
    env = dict(os.environ)
    env.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-"))
    env.update(
        FELLES_SECRET_KEY="bench-only",
        FELLES_DEBUG="0",
        FELLES_SECURE_COOKIES="0",
        FELLES_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        FELLES_LOG_LEVEL="WARNING",
    )
    return env


def backend(env: dict[str, str]) -> str:
    return "postgresql" if env.get("DATABASE_URL") else "sqlite"


def felles(env: dict[str, str], *command: str, check: bool = True) -> str:
    """Run `felles <command>` in the benchmark's environment; its standard output."""
    done = subprocess.run([FELLES, *command], env=env, capture_output=True, text=True)
    if check and done.returncode:
        raise SystemExit(f"felles {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def flush_postgresql(env: dict[str, str]) -> None:
    """A fresh PostgreSQL database (a SQLite file in the temporary directory is new)."""
    if env.get("DATABASE_URL"):
        felles(env, "flush", "--no-input", check=False)


def run(
    args: argparse.Namespace,
    env: dict[str, str],
    client: Callable[..., Any],
    payload: Any,
) -> tuple[list[Any], dict[str, float]]:
    """Start `felles serve`, run the clients (warm-up, then `args.seconds` measured), stop
    the server; each client's outcome, in client order, and the CPU seconds the server and
    its PostgreSQL backends used in the measured seconds (`cpu.measured_cpu`)."""
    os.sync()
    command = [FELLES, "serve", "--bind", f"127.0.0.1:{args.port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(args.port)

        def load() -> list[Any]:
            measure_from = time.time() + args.warmup + 2
            stop = measure_from + args.seconds
            jobs = [(i, args.port, payload, measure_from, stop) for i in range(args.clients)]
            with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
                return pool.starmap(client, jobs)

        return measured_cpu(server.pid, database_name(env), args.warmup, args.seconds, load)
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str, cookie: str) -> tuple[int, bytes, float, float]:
    """GET `path` on a fresh connection with the session cookie: (status, body, started,
    ended); status 0 when the connection failed."""
    started = time.time()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        status = response.status
    except OSError:
        status, body = 0, b""
    return status, body, started, time.time()


def cpu_note(used: dict[str, float], requests: int, load_before: float) -> str:
    """CPU per request of the server and of PostgreSQL, what idle cores could serve at
    that cost (the clients' own share not counted), and the load average around the run."""
    server = used["server"] / max(requests, 1) * 1000
    database = used["db"] / max(requests, 1) * 1000
    capacity = (os.cpu_count() or 1) * 1000 / max(server + database, 1e-9)
    return (
        f"CPU/request {server:.2f} server + {database:.2f} PostgreSQL ms → ≤{capacity:.0f}/s "
        f"on {os.cpu_count()} idle cores; load {load_before:.1f} / {os.getloadavg()[0]:.1f}"
    )


def percentiles(values: list[float]) -> str:
    """«p50 / p95 / p99» in milliseconds."""
    q = statistics.quantiles(values, n=100) if len(values) > 2 else [0.0] * 99
    return f"{q[49]:.0f} / {q[94]:.0f} / {q[98]:.0f}"


def machine(env: dict[str, str], args: argparse.Namespace) -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {backend(env)}, "
        f"{args.workers or 'default'} workers"
    )
