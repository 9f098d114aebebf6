"""Benchmark: free-room search over 200 rooms and 100,000 bookings.

Target (issue 22): p95 < 100 ms at 20 concurrent clients.

Run:  DATABASE_URL=postgres://… .venv/bin/python bench/rooms.py   (5 s warm-up, 30 s)
      (without DATABASE_URL it uses a temporary SQLite file; --smoke: a short check
      with 20 rooms and 1,000 bookings)
It prepares a fresh database with the demo organisations and people, 200 rooms (sizes 4–120,
mixed equipment, a tenth for selected ministries) and 100,000 bookings spread over two
years of working days (bulk-inserted: the setup measures nothing), signs in employees of
several ministries (sessions made in the database, as the login form makes them), starts
`felles serve` on a loopback port and lets N client processes search
`GET /api/v1/rooms/free` for a random working-day hour in those two years, a random size
and sometimes a screen or video. A search that does not answer 200 with a JSON list is an
error. Appends a line to bench/RESULTS.md. Only 127.0.0.1 is contacted; the run stops by
itself. The server and the clients: bench/clients.py (shared with bench/pages.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import clients  # noqa: E402
import results  # noqa: E402

SETUP_SCRIPT = """
import datetime as dt, json, os, random
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
    for i in range(int(os.environ.get("BENCH_ROOMS", "200")))
])
for room in rooms:
    if room.policy == "some":
        room.allowed_organisations.set(rng.sample(ministries, 3))
people = list(Person.objects.filter(user__isnull=False, organisation__in=ministries))
start_day = dt.date.today() + dt.timedelta(days=1)
days = [start_day + dt.timedelta(days=n) for n in range(730)]
days = [d for d in days if d.weekday() < 5]
batch = []
per_room = int(os.environ.get("BENCH_PER_ROOM", "500"))
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
assert Booking.objects.count() == len(rooms) * per_room, Booking.objects.count()

backend = "felles.organisations.backends.ModelBackend"
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
    args = clients.parse(clients.options(8769))
    env = clients.environment()
    if args.smoke:  # 20 rooms × 50 bookings: enough to see the harness work
        env.update(BENCH_ROOMS="20", BENCH_PER_ROOM="50")
    clients.flush_postgresql(env)
    clients.felles(env, "migrate", "--no-input")
    setup = json.loads(clients.felles(env, "shell", "-c", SETUP_SCRIPT).splitlines()[-1])
    load_before = os.getloadavg()[0]
    outcomes, used = clients.run(args, env, _client, setup)

    values = [v for latencies, _errors, _found in outcomes for v in latencies]
    errors = sum(e for _latencies, e, _found in outcomes)
    found = [f for f in (o[2] for o in outcomes) for f in f]
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | "
        f"{clients.machine(env, args)} | {args.clients} | {args.seconds:.0f} | "
        f"{len(values) / args.seconds:.0f} | {clients.percentiles(values)} | "
        f"{statistics.mean(found) if found else 0:.0f} | {errors} | "
        f"{clients.cpu_note(used, len(values), load_before)} |"
    )
    print(line)
    if not args.no_record:
        results.append(
            "Free-room search: 200 rooms, 100,000 bookings (bench/rooms.py)",
            "Target: p95 < 100 ms at 20 clients. GET /api/v1/rooms/free, signed in, fresh "
            "connection per request.\n\n| date | commit | machine | clients | seconds | "
            "req/s | p50 / p95 / p99 ms | rooms found (mean) | errors | note |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n",
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
        status, body, started, ended = clients.get(port, f"/api/v1/rooms/free?{query}", cookie)
        if not (status == 200 and body.startswith(b"[")):
            errors += 1
        elif measure_from <= started and ended <= stop:
            latencies.append((ended - started) * 1000)
            found.append(body.count(b'"code"'))
    return latencies, errors, found


if __name__ == "__main__":
    sys.exit(main())
