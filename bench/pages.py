"""Benchmark: the five busiest pages, as signed-in people see them in the browser.

Target (issue "User experience"): p95 < 300 ms per page at 20 concurrent clients on
PostgreSQL with `felles serve`.

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/pages.py   (5 s warm-up, 30 s)
      (without DATABASE_URL it uses a temporary SQLite file)
It prepares a fresh database with the demo data, signs in employees of every ministry, their
leaders and the providers' agents (sessions made in the database, as the login form makes
them), starts `felles serve` on a loopback port and lets N client processes fetch, in turn,
the home page, the catalogue, «Mine bestillinger», one of their own orders and — for the
agents — the queue. Each request is a fresh connection, as a browser's first request after
a pause is. A page that does not answer 200 with HTML is an error. Appends a line per page
to bench/RESULTS.md. Only 127.0.0.1 is contacted; the run stops by itself.
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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402
from order_submission import FELLES, _wait_for  # noqa: E402

PAGES = ["home", "catalogue", "my_orders", "order_detail", "queue"]

SESSION_SCRIPT = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from felles.orders.models import Order
from felles.organisations.models import Person
from felles.organisations.selectors import access_for

backend = "django.contrib.auth.backends.ModelBackend"
assert backend in settings.AUTHENTICATION_BACKENDS

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

orderers = {}
for order in Order.objects.select_related("orderer__user").order_by("created_at"):
    if order.orderer.user_id and order.orderer_id not in orderers:
        orderers[order.orderer_id] = (order.orderer.user, str(order.uuid))
agents = [p.user for p in Person.objects.filter(user__isnull=False).select_related("user")
          if access_for(p.user).provider_roles]
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
print(json.dumps({
    "employees": [[session(user), order] for user, order in list(orderers.values())[:60]],
    "agents": [session(user) for user in agents[:20]],
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=None, help="default: felles serve's")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
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
    sessions = json.loads(
        subprocess.run(
            [FELLES, "shell", "-c", SESSION_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    os.sync()
    command = [FELLES, "serve", "--bind", f"127.0.0.1:{args.port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(args.port)
        started = time.time()
        measure_from = started + args.warmup + 2
        stop = measure_from + args.seconds
        jobs = [(i, args.port, sessions, measure_from, stop) for i in range(args.clients)]
        with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
            outcomes = pool.starmap(_client, jobs)
    finally:
        server.terminate()
        server.wait(timeout=30)

    by_page: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for latencies, failed in outcomes:
        for page, values in latencies.items():
            by_page[page] += values
        for page, count in failed.items():
            errors[page] += count
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    workers = args.workers or "default"
    lines = []
    for page in PAGES:
        values = by_page[page]
        q = statistics.quantiles(values, n=100) if len(values) > 2 else [0.0] * 99
        lines.append(
            f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {os.cpu_count()} "
            f"cores, Python {platform.python_version()}, {backend}, {workers} workers | "
            f"{page} | {args.clients} | {args.seconds:.0f} | {len(values) / args.seconds:.0f} | "
            f"{q[49]:.0f} / {q[94]:.0f} / {q[98]:.0f} | {errors[page]} |"
        )
    print("\n".join(lines))
    if not args.no_record:
        results.append(
            "Pages: the five busiest, signed in (bench/pages.py)",
            "Target: p95 < 300 ms per page at 20 clients on PostgreSQL. Fresh connection per "
            "request.\n\n| date | commit | machine | page | clients | seconds | req/s | "
            "p50 / p95 / p99 ms | errors |\n|---|---|---|---|---|---|---|---|---|\n",
            lines,
        )


def _client(
    index: int, port: int, sessions: dict, measure_from: float, stop: float
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Employees fetch home, catalogue, their orders and one order; every fourth client is
    an agent who fetches home, catalogue and the queue."""
    agent = index % 4 == 3
    if agent:
        cookie, order = sessions["agents"][index % len(sessions["agents"])], ""
        pages = ["home", "catalogue", "queue"]
    else:
        cookie, order = sessions["employees"][index % len(sessions["employees"])]
        pages = ["home", "catalogue", "my_orders", "order_detail"]
    paths = {
        "home": "/",
        "catalogue": "/tjenester/",
        "my_orders": "/bestillinger/",
        "order_detail": f"/bestillinger/{order}/",
        "queue": "/ko/",
    }
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    n = index
    while time.time() < stop:
        page = pages[n % len(pages)]
        n += 1
        started = time.time()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", paths[page], headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            body = response.read()
            connection.close()
            ok = response.status == 200 and b"<html" in body[:500].lower()
        except OSError:
            ok = False
        ended = time.time()
        if not ok:
            errors[page] += 1
        elif measure_from <= started and ended <= stop:
            latencies[page].append((ended - started) * 1000)
    return dict(latencies), dict(errors)


if __name__ == "__main__":
    sys.exit(main())
