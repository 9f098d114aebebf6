"""Benchmark: order submission through the API under concurrent load.

Target (issue "Catalogue and ordering", and issue 23 for a durable database): on
PostgreSQL with production durability (fsync and synchronous_commit on), at least 200
orders/s sustained and p95 under 100 ms at 20 concurrent clients. The result line names
both cluster settings (`SHOW fsync`, `SHOW synchronous_commit`) and the worker model
(`--workers`, `--worker-class sync|gthread`, `--threads`, passed to `felles serve`).

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/order_submission.py  (8 s warm-up, 60 s)
      (without DATABASE_URL it uses a temporary SQLite file)
It prepares a fresh database with the demo data, issues API tokens for employees in all
ministries, analyses the database, starts `felles serve` on a loopback port, and lets N
client processes POST orders (a service with line-manager approval, so the approval chain,
audit events and notifications are all part of each request): first a warm-up that is not
counted (connections, prepared statements and loaded service definitions are set up, and
the database is analysed again once the orders table has grown from the demo's hundred
rows), then a fixed time. Appends a line to bench/RESULTS.md. Only 127.0.0.1 is
contacted; the run stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import platform
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

FELLES = str(ROOT / ".venv" / "bin" / "felles")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--warmup", type=float, default=8, help="seconds of load before measuring starts"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--note", default="", help="a remark for the result line")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-"))
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
    durability = _durability(env)
    tokens = json.loads(
        subprocess.run(
            [FELLES, "shell", "-c", TOKEN_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # The preparation leaves a few hundred MB of dirty pages that the kernel would write
    # back during the measurement (≈30 s later): write them now.
    os.sync()
    server = subprocess.Popen(
        [
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
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(args.port)
        load = [os.getloadavg()[0]]
        (latencies, errors, client_cpu), used = measured_cpu(
            server.pid,
            database_name(env),
            args.warmup,
            args.seconds,
            lambda: _load(
                args.port,
                tokens["tokens"],
                tokens["service"],
                args.clients,
                args.seconds,
                args.warmup,
                env,
            ),
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = len(latencies)
    q = statistics.quantiles(latencies, n=100) if total > 2 else [0.0] * 99
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    serving = f"{args.workers} workers" + (
        f" (gthread × {args.threads})" if args.worker_class == "gthread" else ""
    )
    # CPU per order (server processes, PostgreSQL backends, clients; measured seconds only)
    # and what idle cores could take at that cost, whatever else the machine was doing.
    per = [x / max(total, 1) * 1000 for x in (used["server"], used["db"], client_cpu)]
    capacity = (os.cpu_count() or 1) * 1000 / max(sum(per), 1e-9)
    cpu_note = (
        f"CPU/order {per[0]:.2f} server + {per[1]:.2f} PostgreSQL + {per[2]:.2f} client ms "
        f"→ ≈{capacity:.0f}/s on {os.cpu_count()} idle cores"
    )
    note = "; ".join(
        filter(None, [f"load avg {load[0]:.1f} / {os.getloadavg()[0]:.1f}", cpu_note, args.note])
    )
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {backend}{durability}, {serving} | "
        f"{args.clients} | {args.seconds:.0f} | {total / args.seconds:.0f} | "
        f"{q[49]:.0f} / {q[94]:.0f} / {q[98]:.0f} | {errors} | {note} |"
    )
    print(line)
    results.append(
        "order_submission",
        "| date | commit | machine | clients | seconds | "
        "orders/s | p50 / p95 / p99 ms | errors | note |\n|---|---|---|---|---|---|---|---|---|\n",
        [line],
    )


TOKEN_SCRIPT = """
import json
from django.db import connection
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.core.services import create_api_token
from felles.organisations.models import Person
actor = Actor.system("bench")
# Active people only: the demo has people who left, whose tokens answer 401.
people = Person.objects.filter(organisation__kind="ministry", line_manager__isnull=False,
                               title__in=["Rådgiver", "Seniorrådgiver", "Fagdirektør"],
                               active=True, user__is_active=True)
tokens = [[create_api_token(actor=actor, user=p.user, name="bench", scope="read-write").secret,
           str(p.uuid)] for p in people[:200]]
# Fresh statistics, as a database in service has, instead of autovacuum analysing the
# freshly loaded demo data in the middle of the measurement.
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    if connection.vendor == "postgresql":
        try:  # write out the load's dirty pages now, not during the measurement
            cursor.execute("CHECKPOINT")
        except Exception:
            pass  # the role may not checkpoint (superuser or pg_checkpoint only)
print(json.dumps({"tokens": tokens, "service": str(Service.objects.get(code="ikt-pc").uuid)}))
"""


DURABILITY_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW fsync")
    fsync = cursor.fetchone()[0]
    cursor.execute("SHOW synchronous_commit")
    print(f"fsync={fsync}, synchronous_commit={cursor.fetchone()[0]}")
"""


def _durability(env: dict[str, str]) -> str:
    """PostgreSQL: the cluster's fsync and synchronous_commit, as « (fsync=on,
    synchronous_commit=on)»; they decide what a commit waits for. Empty for SQLite."""
    if not env.get("DATABASE_URL"):
        return ""
    shown = subprocess.run(
        [FELLES, "shell", "-c", DURABILITY_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return f" ({shown.stdout.strip().splitlines()[-1]})"


ANALYZE_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("felles serve did not start")


def _load(
    port: int,
    tokens: list[list[str]],
    service: str,
    clients: int,
    seconds: float,
    warmup: float,
    env: dict[str, str],
) -> tuple[list[float], int, float]:
    """Load for `warmup` + `seconds` with one process per client (threads in one process
    would wait for each other's GIL and add that wait to the latencies they measure). Only
    requests that start after the warm-up and end before the stop count; errors count
    throughout."""
    started = time.time()
    measure_from = started + warmup + 2  # the clients start within two seconds
    stop = measure_from + seconds
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        running = pool.starmap_async(
            _client,
            [(i, port, tokens, service, clients, measure_from, stop) for i in range(clients)],
        )
        # The demo has about a hundred orders; the warm-up adds a thousand or more. Plans
        # made for the small table (a sequential scan for each foreign-key check on
        # orders) would stay until autovacuum's next round analyses it, up to a minute
        # later, making every order slower as the table grows. A database in service has
        # a large, analysed orders table: analyse once the warm-up has grown it.
        time.sleep(max(0.0, measure_from - 3 - time.time()))
        subprocess.run(
            [FELLES, "shell", "-c", ANALYZE_SCRIPT], env=env, check=True, capture_output=True
        )
        outcomes = running.get()
    return (
        [ms for latencies, _, _ in outcomes for ms in latencies],
        sum(e for _, e, _ in outcomes),
        sum(cpu for _, _, cpu in outcomes),
    )


def _client(
    index: int,
    port: int,
    tokens: list[list[str]],
    service: str,
    clients: int,
    measure_from: float,
    stop: float,
) -> tuple[list[float], int, float]:
    """One client: POST orders back to back until `stop`."""
    latencies: list[float] = []
    errors = 0
    cpu_from = cpu_to = 0.0
    n = 0
    while time.time() < stop:
        if not cpu_from and time.time() >= measure_from:
            cpu_from = time.process_time()
        token, person = tokens[(index + n * clients) % len(tokens)]
        body = json.dumps(
            {"service_id": service, "answers": {"variant": "Standard", "mottaker": person}}
        )
        n += 1
        message = wire.request(
            "POST",
            "/api/v1/orders",
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            body.encode(),
        )
        started = time.time()
        try:  # a new connection (the sync workers close each), the leanest client
            status, _ = wire.exchange(port, message)
            ok = status == 201
        except OSError:
            ok = False
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
