"""Load test: the whole order journey, N concurrent virtual users for a fixed time.

Target (quality issue "Load"): 0 errors at 50 concurrent clients for 5 minutes against
`felles serve` (gunicorn, 2 workers) on PostgreSQL.

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/load/journey.py --clients 50 --seconds 300
      (without DATABASE_URL it uses a temporary SQLite file)
Smoke (CI):  .venv/bin/python bench/load/journey.py --smoke
      (10 clients for 20 s, nothing written to bench/RESULTS.md, exit status 1 on any error)

One journey, each virtual user on its own order:
  employee  GET  /api/v1/catalog/services?q=…          catalogue search
  employee  POST /api/v1/orders                         a laptop (line-manager approval)
  employee  GET  /api/v1/orders?mine=true               my orders
  manager   GET  /api/v1/approvals                      pending approvals (must hold the order)
  manager   POST /api/v1/approvals/{step}               approve            → queued
  agent     POST /api/v1/orders/{id}/actions  take      (provider agent)   → in_progress
  agent     GET  /api/v1/orders/{id}/tasks              the laptop's checklist
  agent     POST /api/v1/orders/{id}/tasks/{task}       complete each required task
  agent     POST /api/v1/orders/{id}/actions  resolve                      → resolved
  employee  GET  /api/v1/orders/{id}                    detail (offers «confirm»)
  employee  POST /api/v1/orders/{id}/actions  confirm                      → closed
  employee  POST /api/v1/orders/{id}/actions  rate      score 1–5
Every request's latency and status is recorded. Any connection error, 5xx, unexpected 4xx
or unexpected answer (wrong status of the order, order missing from the approvals list)
is an error and ends that journey. Only 127.0.0.1 is contacted; the run stops by itself.
The database is prepared like bench/order_submission.py does it (flush + `felles demo`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
import results  # noqa: E402
from order_submission import FELLES, _wait_for  # noqa: E402

SECTION = "Load: order journey (bench/load)"
HEADER = (
    "Target: 0 errors at 50 concurrent clients for 5 minutes on PostgreSQL with `felles serve`\n"
    "(gunicorn, 2 workers). One journey = catalogue search, submit (line-manager approval), my\n"
    "orders, the manager's approvals list and approval, the provider agent's take, checklist\n"
    "(its required tasks completed through the API) and resolve, order detail, confirm and\n"
    "rating: 11 requests and one per required task, by three users. An error is any connection\n"
    "error, 5xx, unexpected 4xx or unexpected answer. Latency is per request, overall.\n\n"
    "| date | commit | machine | database | workers | clients | seconds | journeys "
    "(/s) | requests | req/s | p50 / p95 / p99 ms | errors | notes |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)
SEARCHES = ["pc", "mobil", "skjerm", "møterom", "tilgang", "rekruttering"]
KINDS = [
    "search",
    "create",
    "my_orders",
    "approvals",
    "approve",
    "take",
    "tasks",
    "task",
    "resolve",
    "detail",
    "confirm",
    "rate",
]

# Run inside `felles shell`: API tokens for employees in every ministry who have a line
# manager, for those managers, and for the provider agents of the laptop service who serve
# each employee's ministry. Prints one JSON line.
SETUP_SCRIPT = """
import json
from django.db import connection
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.core.services import create_api_token
from felles.organisations.models import Person, Role, RoleAssignment
LIMIT = {limit}
actor = Actor.system("bench-load")
service = Service.objects.select_related("provider").get(code="ikt-pc")
issued = {{}}
def token(person):
    if person.pk not in issued:
        issued[person.pk] = create_api_token(
            actor=actor, user=person.user, name="bench-load", scope="read-write").secret
    return issued[person.pk]
agents = list(RoleAssignment.objects.filter(
    role=Role.PROVIDER_AGENT, organisation=service.provider, person__active=True,
    person__user__isnull=False).select_related("person__user")
    .prefetch_related("served_organisations").order_by("person_id"))
employees = (Person.objects.filter(
    organisation__kind="ministry", active=True, user__isnull=False,
    line_manager__active=True, line_manager__user__isnull=False,
    title__in=["Rådgiver", "Seniorrådgiver", "Fagdirektør"])
    .select_related("user", "line_manager__user").order_by("organisation_id", "id"))
users = []
for n, person in enumerate(employees):
    serving = [a.person for a in agents
               if not a.served_organisations.all()
               or person.organisation_id in [o.pk for o in a.served_organisations.all()]]
    if not serving:
        continue
    agent = serving[n % len(serving)]
    users.append({{"employee": [token(person), str(person.uuid)],
                  "manager": token(person.line_manager), "agent": token(agent)}})
# Spread the chosen employees over the ministries.
users = users[::max(1, len(users) // LIMIT)][:LIMIT]
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
    database = f"PostgreSQL {{version.split()[0]}}"
    if fsync == "off":
        database += " (fsync=off)"
else:
    import sqlite3
    database = f"SQLite {{sqlite3.sqlite_version}}"
print(json.dumps({{"service": str(service.uuid), "users": users, "database": database,
                  "managers": len({{u["manager"] for u in users}}),
                  "agents": len({{u["agent"] for u in users}})}}))
"""


@dataclass
class Stats:
    """Everything the client threads record; one lock guards it."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    journeys: int = 0
    failed_journeys: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, ms: float) -> None:
        with self.lock:
            self.latencies[kind].append(ms)

    def error(self, kind: str, text: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.samples) < 10:
                self.samples.append(f"{time.strftime('%H:%M:%S')} {kind}: {text}")

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


class JourneyError(Exception):
    """A step failed; the error is already recorded and the journey is abandoned."""


class Stopped(Exception):
    """The fixed time is up."""


class Client:
    """One virtual user's keep-alive connection; each request carries the token of the
    person (employee, manager or agent) acting in that step."""

    def __init__(self, port: int, stats: Stats, stop_at: float) -> None:
        self.port = port
        self.stats = stats
        self.stop_at = stop_at
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        token: str,
        body: dict[str, Any] | None = None,
        expect: int = 200,
    ) -> Any:
        if time.monotonic() >= self.stop_at:
            raise Stopped
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.connection = self._connect()
            self.stats.error(kind, f"{method} {path}: connection error {exc!r}")
            raise JourneyError from None
        self.stats.record(kind, (time.perf_counter() - started) * 1000)
        if response.status != expect:
            text = raw[:400].decode("utf-8", "replace")
            self.stats.error(kind, f"{method} {path} → {response.status}: {text}")
            raise JourneyError
        try:
            return json.loads(raw)
        except ValueError:
            self.stats.error(kind, f"{method} {path} → {response.status}: not JSON")
            raise JourneyError from None

    def expect(self, kind: str, condition: bool, text: str) -> None:
        if not condition:
            self.stats.error(kind, f"unexpected answer: {text}")
            raise JourneyError


def journey(client: Client, user: dict[str, Any], service: str, n: int) -> None:
    employee, me = user["employee"]
    manager, agent = user["manager"], user["agent"]
    search = quote(SEARCHES[n % len(SEARCHES)])
    client.call("search", "GET", f"/api/v1/catalog/services?q={search}&limit=20", employee)
    order = client.call(
        "create",
        "POST",
        "/api/v1/orders",
        employee,
        {"service_id": service, "answers": {"variant": "Standard", "mottaker": me}},
        expect=201,
    )
    order_id = order["id"]
    client.expect("create", order["status"] == "awaiting_approval", f"created {order}")
    client.call("my_orders", "GET", "/api/v1/orders?mine=true&limit=20", employee)
    pending = client.call("approvals", "GET", "/api/v1/approvals", manager)
    step = next((a["id"] for a in pending if a["order"]["id"] == order_id), None)
    client.expect("approvals", step is not None, f"order {order['number']} not in approvals")
    detail = client.call(
        "approve", "POST", f"/api/v1/approvals/{step}", manager, {"decision": "approve"}
    )
    client.expect("approve", detail["status"] == "queued", f"after approve: {detail['status']}")
    actions = f"/api/v1/orders/{order_id}/actions"
    detail = client.call("take", "POST", actions, agent, {"action": "take"})
    client.expect("take", detail["status"] == "in_progress", f"after take: {detail['status']}")
    # The laptop's checklist: required tasks block resolving, so the agent finishes them.
    checklist = client.call("tasks", "GET", f"/api/v1/orders/{order_id}/tasks", agent)
    for task in checklist["tasks"]:
        if task["status"] == "open" and task["required"]:
            checklist = client.call(
                "task",
                "POST",
                f"/api/v1/orders/{order_id}/tasks/{task['id']}",
                agent,
                {"action": "complete"},
            )
    client.expect(
        "task",
        all(t["status"] != "open" or not t["required"] for t in checklist["tasks"]),
        f"open required tasks: {checklist['tasks']}",
    )
    detail = client.call(
        "resolve", "POST", actions, agent, {"action": "resolve", "text": "Levert på pulten."}
    )
    client.expect("resolve", detail["status"] == "resolved", f"after resolve: {detail['status']}")
    detail = client.call("detail", "GET", f"/api/v1/orders/{order_id}", employee)
    client.expect("detail", "confirm" in detail["actions"], f"actions {detail['actions']}")
    detail = client.call("confirm", "POST", actions, employee, {"action": "confirm"})
    client.expect("confirm", detail["status"] == "closed", f"after confirm: {detail['status']}")
    client.call("rate", "POST", actions, employee, {"action": "rate", "score": 1 + n % 5})


def run_load(
    port: int, users: list[dict[str, Any]], service: str, clients: int, seconds: float
) -> tuple[Stats, float]:
    stats = Stats()
    started = time.monotonic()
    stop_at = started + seconds

    def virtual_user(index: int) -> None:
        client = Client(port, stats, stop_at)
        n = 0
        while time.monotonic() < stop_at:
            # Users are spread so that concurrent clients act for different employees.
            user = users[(index + n * clients) % len(users)]
            try:
                journey(client, user, service, n)
            except Stopped:
                break
            except JourneyError:
                with stats.lock:
                    stats.failed_journeys += 1
            except Exception as exc:  # a bug in this script, not the server: stop loudly
                stats.error("client", repr(exc))
                raise
            else:
                with stats.lock:
                    stats.journeys += 1
            n += 1

    threads = [threading.Thread(target=virtual_user, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.monotonic() - started


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        value = values[0] if values else 0.0
        return value, value, value
    q = statistics.quantiles(values, n=100)
    return q[49], q[94], q[98]


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def _report(stats: Stats, elapsed: float) -> tuple[int, float, float, float]:
    print(f"\n{'request':<10} {'count':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} errors")
    everything: list[float] = []
    for kind in KINDS:
        values = stats.latencies.get(kind, [])
        everything += values
        p50, p95, p99 = _percentiles(values)
        print(
            f"{kind:<10} {len(values):>7} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} "
            f"{max(values, default=0):>7.0f} {stats.errors.get(kind, 0)}"
        )
    p50, p95, p99 = _percentiles(everything)
    print(
        f"{'overall':<10} {len(everything):>7} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} "
        f"{max(everything, default=0):>7.0f} {stats.error_count}"
    )
    print(
        f"\n{elapsed:.1f} s: {stats.journeys} journeys ({stats.journeys / elapsed:.2f}/s), "
        f"{stats.failed_journeys} failed, {len(everything)} requests "
        f"({len(everything) / elapsed:.1f}/s), {stats.error_count} errors"
    )
    for sample in stats.samples:
        print(f"  error: {sample}")
    return len(everything), p50, p95, p99


def _server_errors(log: Path, limit: int = 80) -> None:
    """Print the server log's error lines (with tracebacks) so failures carry evidence."""
    if not log.exists():
        return
    lines = log.read_text(errors="replace").splitlines()
    hits = [i for i, line in enumerate(lines) if " ERROR " in line or "Traceback" in line]
    if not hits:
        print(f"server log {log}: no errors")
        return
    print(f"server log {log}: {len(hits)} error lines; the first ones:")
    for line in lines[hits[0] : hits[0] + limit]:
        print(f"  | {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=None, help="default 50 (smoke: 10)")
    parser.add_argument("--seconds", type=float, default=None, help="default 300 (smoke: 20)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--users", type=int, default=200, help="employees to act for")
    parser.add_argument("--smoke", action="store_true", help="short run, nothing recorded")
    parser.add_argument("--note", default="", help="added to the notes column")
    args = parser.parse_args()
    clients = args.clients or (10 if args.smoke else 50)
    seconds = args.seconds or (20 if args.smoke else 300)
    wall = time.monotonic()

    own_data_dir = "FELLES_DATA_DIR" not in os.environ
    env = dict(os.environ)
    env.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-load-"))
    env.update(
        FELLES_SECRET_KEY="bench-only",
        FELLES_DEBUG="0",
        FELLES_SECURE_COOKIES="0",
        FELLES_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        FELLES_LOG_LEVEL="WARNING",
    )
    data_dir = Path(env["FELLES_DATA_DIR"])
    if env.get("DATABASE_URL"):
        subprocess.run([FELLES, "flush", "--no-input"], env=env, check=False, capture_output=True)
    subprocess.run([FELLES, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    setup = json.loads(
        subprocess.run(
            [FELLES, "shell", "-c", SETUP_SCRIPT.format(limit=args.users)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    users = setup["users"]
    print(
        f"{setup['database']}: {len(users)} employees, {setup['managers']} managers, "
        f"{setup['agents']} provider agents; {clients} clients for {seconds:.0f} s, "
        f"{args.workers} workers (prepared in {time.monotonic() - wall:.0f} s)"
    )
    load_before = os.getloadavg()[0]
    log = data_dir / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [FELLES, "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
        try:
            _wait_for(args.port)
            stats, elapsed = run_load(args.port, users, setup["service"], clients, seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    requests, p50, p95, p99 = _report(stats, elapsed)
    _server_errors(log)
    errors = stats.error_count

    if not args.smoke:
        notes = [f"load avg {load_before:.1f} at start"]
        if args.note:
            notes.append(args.note)
        line = (
            f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {os.cpu_count()} cores, "
            f"{_memory()}, Python {platform.python_version()} | {setup['database']} | "
            f"{args.workers} | {clients} | {elapsed:.0f} | {stats.journeys} "
            f"({stats.journeys / elapsed:.1f}) | {requests} | {requests / elapsed:.0f} | "
            f"{p50:.0f} / {p95:.0f} / {p99:.0f} | {errors} | {'; '.join(notes)} |"
        )
        print(line)
        results.append(SECTION, HEADER, [line])
    if errors:
        print(f"FAILED: {errors} errors; server log kept in {data_dir}")
        return 1
    if own_data_dir:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"OK: 0 errors (whole run {time.monotonic() - wall:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
