"""Benchmark: the five busiest pages, as signed-in people see them in the browser.

Target (issue "User experience"): p95 < 300 ms per page at 20 concurrent clients on
PostgreSQL with `felles serve`.

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/pages.py   (5 s warm-up, 30 s)
      (without DATABASE_URL it uses a temporary SQLite file; --smoke: a short check)
It prepares a fresh database with the demo data, signs in employees of every ministry, their
leaders and the providers' agents (sessions made in the database, as the login form makes
them), starts `felles serve` on a loopback port and lets N client processes fetch, in turn,
the home page, the catalogue, «Mine bestillinger», one of their own orders and — for the
agents — the queue. Each request is a fresh connection, as a browser's first request after
a pause is. A page that does not answer 200 with HTML is an error. Appends a line per page
to bench/RESULTS.md. Only 127.0.0.1 is contacted; the run stops by itself. The server
and the clients: bench/clients.py (shared with bench/rooms.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import clients  # noqa: E402
import results  # noqa: E402

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

backend = "felles.organisations.backends.ModelBackend"
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
    args = clients.parse(clients.options(8767))
    env = clients.environment()
    clients.flush_postgresql(env)
    clients.felles(env, "demo", "--no-serve")
    sessions = json.loads(clients.felles(env, "shell", "-c", SESSION_SCRIPT).splitlines()[-1])
    outcomes, _used = clients.run(args, env, _client, sessions)

    by_page: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for latencies, failed in outcomes:
        for page, values in latencies.items():
            by_page[page] += values
        for page, count in failed.items():
            errors[page] += count
    lines = []
    for page in PAGES:
        values = by_page[page]
        lines.append(
            f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | "
            f"{clients.machine(env, args)} | {page} | {args.clients} | {args.seconds:.0f} | "
            f"{len(values) / args.seconds:.0f} | {clients.percentiles(values)} | "
            f"{errors[page]} |"
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
        status, body, started, ended = clients.get(port, paths[page], cookie)
        if not (status == 200 and b"<html" in body[:500].lower()):
            errors[page] += 1
        elif measure_from <= started and ended <= stop:
            latencies[page].append((ended - started) * 1000)
    return dict(latencies), dict(errors)


if __name__ == "__main__":
    sys.exit(main())
