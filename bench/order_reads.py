"""Benchmark: order reads through the API under concurrent load.

Target (issue 23, "Orders on a durable database, and reads"): on PostgreSQL, at 20
concurrent clients, `GET /api/v1/orders/{id}` at ≥ 650 requests/s with p95 < 100 ms; the
order list (`GET /api/v1/orders`) measured alongside. Each is reported twice: with a fresh
TCP connection per request, and with the connection kept alive (where the server keeps it:
gunicorn's sync workers close every connection after its answer, gthread workers keep it).

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/order_reads.py
          [--workers 2] [--worker-class sync|gthread] [--threads N] [--clients 20]
          [--seconds 20] [--warmup 5] [--only detail-fresh,list-keepalive,…]
      (without DATABASE_URL it uses a temporary SQLite file)
It prepares a fresh database with the demo data (as bench/order_submission.py does: flush
and `felles demo`), issues read-only API tokens for the people who ordered something, each
with the orders they placed, analyses the database, starts `felles serve` on a loopback
port, and lets N client processes read for a warm-up that is not counted and then a fixed
time, one measurement after the other. Appends one line per measurement to
bench/RESULTS.md. Only 127.0.0.1 is contacted; the run stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402
import wire  # noqa: E402
from cpu import database_name, measured_cpu  # noqa: E402
from order_submission import FELLES, _wait_for  # noqa: E402

SECTION = "order_reads"
HEADER = (
    "Target: `GET /api/v1/orders/{id}` ≥ 650 requests/s with p95 < 100 ms at 20 clients on\n"
    "PostgreSQL; the order list (`GET /api/v1/orders`, a page of up to 100 of the reader's\n"
    "orders) alongside. *fresh*: a new TCP connection per request; *kept*: the connection\n"
    "kept alive where the server keeps it (gunicorn's sync workers close it after every\n"
    "answer, so for them *kept* measures the client's reconnects too). Server, PostgreSQL and\n"
    "the client processes share the machine's cores.\n\n"
    "| date | commit | machine | server | request | connection | clients | seconds | req/s "
    "| p50 / p95 / p99 ms | errors | load avg | note |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)
MEASUREMENTS = ["detail-fresh", "detail-kept", "list-fresh", "list-kept"]

# Run inside `felles shell`: read-only tokens for people with orders, each with the orders
# they placed (which they may read). Prints one JSON line.
SETUP_SCRIPT = """
import json
from django.db import connection
from felles.core.actor import Actor
from felles.core.services import create_api_token
from felles.orders.models import Order
actor = Actor.system("bench-reads")
mine = {}
for person_id, user_id, uuid in Order.objects.filter(
        orderer__active=True, orderer__user__isnull=False).values_list(
        "orderer_id", "orderer__user_id", "uuid"):
    mine.setdefault((person_id, user_id), []).append(str(uuid))
from django.contrib.auth import get_user_model
users = get_user_model().objects.in_bulk([u for _, u in mine])
readers = [[create_api_token(actor=actor, user=users[u], name="bench-reads",
                             scope="read").secret, orders]
           for (_, u), orders in sorted(mine.items())]
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    if connection.vendor == "postgresql":
        try:
            cursor.execute("CHECKPOINT")
        except Exception:
            pass
print(json.dumps(readers))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--only", default=",".join(MEASUREMENTS))
    parser.add_argument("--note", default="", help="a remark for the result lines")
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()
    wanted = [m for m in args.only.split(",") if m]
    unknown = set(wanted) - set(MEASUREMENTS)
    if unknown:
        raise SystemExit(f"unknown measurement(s): {', '.join(sorted(unknown))}")

    env = dict(os.environ)
    env.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-reads-"))
    env.update(
        FELLES_SECRET_KEY="bench-only",
        FELLES_DEBUG="0",
        FELLES_SECURE_COOKIES="0",
        FELLES_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        FELLES_LOG_LEVEL="WARNING",
    )
    if env.get("DATABASE_URL"):
        subprocess.run([FELLES, "flush", "--no-input"], env=env, check=False, capture_output=True)
    subprocess.run([FELLES, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    readers = json.loads(
        subprocess.run(
            [FELLES, "shell", "-c", SETUP_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    os.sync()
    command = [
        FELLES,
        "serve",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
    ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    serving = f"{args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    database = database_name(env)
    lines = []
    try:
        _wait_for(args.port)
        for measurement in wanted:
            kind, connection = measurement.split("-")
            load_before = os.getloadavg()[0]
            (latencies, errors, client_cpu), used = measured_cpu(
                server.pid,
                database,
                args.warmup,
                args.seconds,
                lambda kind=kind, connection=connection: _load(
                    args, readers, kind, connection == "kept"
                ),
            )
            load_after = os.getloadavg()[0]
            total = len(latencies)
            # CPU per request: the server's processes and its PostgreSQL backends (during
            # the measured seconds only), and the clients'. What 2 idle cores could serve
            # follows from it, whatever else the machine was doing.
            per = {
                "server": used["server"] / max(total, 1) * 1000,
                "db": used["db"] / max(total, 1) * 1000,
                "client": client_cpu / max(total, 1) * 1000,
            }
            capacity = (os.cpu_count() or 1) * 1000 / max(sum(per.values()), 1e-9)
            cpu_note = (
                f"CPU/request {per['server']:.2f} server + {per['db']:.2f} PostgreSQL + "
                f"{per['client']:.2f} client ms → ≈{capacity:.0f}/s on {os.cpu_count()} idle cores"
            )
            q = statistics.quantiles(latencies, n=100) if total > 2 else [0.0] * 99
            line = (
                f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | "
                f"{os.cpu_count()} cores, Python {platform.python_version()}, {backend} | "
                f"{serving} | {'detail' if kind == 'detail' else 'list'} | {connection} | "
                f"{args.clients} | {args.seconds:.0f} | {total / args.seconds:.0f} | "
                f"{q[49]:.1f} / {q[94]:.1f} / {q[98]:.1f} | {errors} | "
                f"{load_before:.1f} / {load_after:.1f} | "
                f"{'; '.join(filter(None, [cpu_note, args.note]))} |"
            )
            print(line, flush=True)
            lines.append(line)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if lines and not args.no_append:
        results.append(SECTION, HEADER, lines)


def _load(
    args: argparse.Namespace, readers: list[list[object]], kind: str, keep: bool
) -> tuple[list[float], int, float]:
    """One process per client (threads in one process would wait for each other's GIL and
    count that wait as latency). Only requests that start after the warm-up and end before
    the stop count; errors count throughout."""
    measure_from = time.time() + args.warmup + 2  # the clients start within two seconds
    stop = measure_from + args.seconds
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.clients) as pool:
        outcomes = pool.starmap(
            _client,
            [
                (i, args.port, readers, kind, keep, args.clients, measure_from, stop)
                for i in range(args.clients)
            ],
        )
    return (
        [ms for latencies, _, _ in outcomes for ms in latencies],
        sum(e for _, e, _ in outcomes),
        sum(cpu for _, _, cpu in outcomes),
    )


def _client(
    index: int,
    port: int,
    readers: list[list[object]],
    kind: str,
    keep: bool,
    clients: int,
    measure_from: float,
    stop: float,
) -> tuple[list[float], int]:
    """One client: GET back to back until `stop`, as the readers in turn (each reading one
    of their own orders, or their list)."""
    rng = random.Random(index)
    latencies: list[float] = []
    errors = 0
    cpu_from = cpu_to = 0.0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while time.time() < stop:
        if not cpu_from and time.time() >= measure_from:
            cpu_from = time.process_time()
        token, orders = readers[(index + n * clients) % len(readers)]
        n += 1
        path = "/api/v1/orders"
        if kind == "detail":
            path += f"/{rng.choice(orders)}"  # type: ignore[arg-type]
        headers = {"Authorization": f"Bearer {token}"}
        started = time.time()
        try:
            if keep:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                status, body = response.status, response.read()
            else:  # a new connection, and the leanest client (bench/wire.py)
                status, body = wire.exchange(port, wire.request("GET", path, headers))
            ok = status == 200 and body.startswith(b"{")
        except OSError:
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ended = time.time()
        if not ok:
            errors += 1
        elif measure_from <= started and ended <= stop:
            latencies.append((ended - started) * 1000)
        if ended <= stop:
            cpu_to = time.process_time()
    return latencies, errors, max(0.0, cpu_to - cpu_from)


if __name__ == "__main__":
    sys.exit(main())
