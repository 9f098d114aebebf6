"""Benchmark: free-room search over 200 rooms and 100,000 bookings.

Target (issue 22): p95 < 100 ms at 20 concurrent clients.

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/rooms.py   (5 s warm-up, 30 s)
      (without DATABASE_URL it uses a temporary SQLite file)
It prepares a fresh database with the demo organisations and people, 200 rooms (sizes 4–120,
mixed equipment, a tenth for selected ministries) and 100,000 bookings spread over two
years of working days (bulk-inserted: the setup measures nothing), signs in employees of
several ministries (sessions made in the database, as the login form makes them), starts
`felles serve` on a loopback port and lets N client processes search
`GET /api/v1/rooms/free` for a random working-day hour in those two years, a random size
and sometimes a screen or video. A search that does not answer 200 with a JSON list is an
error. Appends a line to bench/RESULTS.md. Only 127.0.0.1 is contacted; the run stops by
itself.
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
from order_submission import FELLES, _wait_for  # noqa: E402

SETUP_SCRIPT = """
import datetime as dt, json, random
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from felles.core.actor import Actor
from felles.organisations import demo as organisations_demo
from felles.organisations import services as organisations_services
from felles.organisations.models import Organisation, Person
from felles.rooms import rules
from felles.rooms.models import Booking, Room

actor = Actor.system("bench")
organisations_services.sync_reference_organisations(actor=actor)
organisations_demo.load(actor=actor)
rng = random.Random(22)
ministries = list(Organisation.objects.customers())
kit = ["skjerm", "video", "tavle", "teleslynge", "projektor", "telefon"]
rooms = Room.objects.bulk_create([
    Room(code=f"B-{i:03}", name=f"Rom {i}", building=f"Bygg {i % 7}", floor=str(i % 12),
         capacity=rng.choice([4, 6, 8, 8, 10, 12, 16, 20, 40, 120]),
         equipment=sorted(set(rng.sample(kit, rng.randint(0, 4)))),
         policy="some" if i % 10 == 0 else "all")
    for i in range(200)
])
for room in rooms:
    if room.policy == "some":
        room.allowed_organisations.set(rng.sample(ministries, 3))
people = list(Person.objects.filter(user__isnull=False, organisation__in=ministries))
start_day = dt.date.today() + dt.timedelta(days=1)
days = [start_day + dt.timedelta(days=n) for n in range(730)]
days = [d for d in days if d.weekday() < 5]
batch = []
per_room = 500
for room in rooms:
    taken = set()
    while len(taken) < per_room:
        taken.add((rng.choice(days), rng.randint(8, 15)))
    for day, hour in taken:
        person = rng.choice(people)
        start = rules.local(day, dt.time(hour, 0)).astimezone(dt.UTC)
        batch.append(Booking(room=room, booker=person, organisation_id=person.organisation_id,
                             title="Møte", start=start, end=start + dt.timedelta(minutes=60),
                             participants=2))
    if len(batch) >= 10000:
        Booking.objects.bulk_create(batch, batch_size=2000)
        batch = []
Booking.objects.bulk_create(batch, batch_size=2000)
assert Booking.objects.count() == 100000, Booking.objects.count()

backend = "django.contrib.auth.backends.ModelBackend"
def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
print(json.dumps({"sessions": [session(p.user) for p in people[:40]],
                  "first": days[0].isoformat(), "days": len(days)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=None, help="default: felles serve's")
    parser.add_argument("--port", type=int, default=8769)
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
    subprocess.run([FELLES, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    setup = json.loads(
        subprocess.run(
            [FELLES, "shell", "-c", SETUP_SCRIPT],
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
        measure_from = time.time() + args.warmup + 2
        stop = measure_from + args.seconds
        jobs = [(i, args.port, setup, measure_from, stop) for i in range(args.clients)]
        with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
            outcomes = pool.starmap(_client, jobs)
    finally:
        server.terminate()
        server.wait(timeout=30)

    values = [v for latencies, _errors, _found in outcomes for v in latencies]
    errors = sum(e for _latencies, e, _found in outcomes)
    found = [f for f in (o[2] for o in outcomes) for f in f]
    backend = "postgresql" if env.get("DATABASE_URL") else "sqlite"
    q = statistics.quantiles(values, n=100) if len(values) > 2 else [0.0] * 99
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {os.cpu_count()} "
        f"cores, Python {platform.python_version()}, {backend}, "
        f"{args.workers or 'default'} workers | {args.clients} | {args.seconds:.0f} | "
        f"{len(values) / args.seconds:.0f} | {q[49]:.0f} / {q[94]:.0f} / {q[98]:.0f} | "
        f"{statistics.mean(found) if found else 0:.0f} | {errors} |"
    )
    print(line)
    if not args.no_record:
        results.append(
            "Free-room search: 200 rooms, 100,000 bookings (bench/rooms.py)",
            "Target: p95 < 100 ms at 20 clients. GET /api/v1/rooms/free, signed in, fresh "
            "connection per request.\n\n| date | commit | machine | clients | seconds | "
            "req/s | p50 / p95 / p99 ms | rooms found (mean) | errors |\n"
            "|---|---|---|---|---|---|---|---|---|\n",
            [line],
        )


def _client(
    index: int, port: int, setup: dict, measure_from: float, stop: float
) -> tuple[list[float], int, list[int]]:
    rng = random.Random(index)
    cookie = setup["sessions"][index % len(setup["sessions"])]
    first = dt.date.fromisoformat(setup["first"])
    latencies: list[float] = []
    found: list[int] = []
    errors = 0
    while time.time() < stop:
        day = first + dt.timedelta(days=rng.randrange(700))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=2)
        start = dt.datetime.combine(day, dt.time(rng.randint(8, 15)), tzinfo=dt.UTC)
        query = (
            f"start={start.isoformat().replace('+', '%2B')}"
            f"&end={(start + dt.timedelta(hours=1)).isoformat().replace('+', '%2B')}"
            f"&size={rng.choice([2, 4, 8, 12, 20])}"
            + rng.choice(["", "&equipment=skjerm", "&equipment=video&equipment=skjerm"])
        )
        started = time.time()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(
                "GET", f"/api/v1/rooms/free?{query}", headers={"Cookie": f"sessionid={cookie}"}
            )
            response = connection.getresponse()
            body = response.read()
            connection.close()
            ok = response.status == 200 and body.startswith(b"[")
        except OSError:
            ok = False
        ended = time.time()
        if not ok:
            errors += 1
        elif measure_from <= started and ended <= stop:
            latencies.append((ended - started) * 1000)
            found.append(body.count(b'"code"'))
    return latencies, errors, found


if __name__ == "__main__":
    sys.exit(main())
