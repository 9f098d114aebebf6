"""Benchmark: audit write throughput and people-list latency on a full demo dataset.

Run: .venv/bin/python bench/audit_and_people.py [--requests 200]
Uses a temporary SQLite database (or DATABASE_URL), loads the demo data, then measures:
- audited person updates per second through the real service function;
- latency of the people list page and the people API (50-row pages) as an administrator
  who sees all ~500 people, through Django's test client (no network in between).
Appends a line to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--updates", type=int, default=500)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="felles-bench-")
    os.environ.setdefault("FELLES_DATA_DIR", tmp)
    os.environ.setdefault("FELLES_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from felles.core.actor import Actor
    from felles.organisations import services
    from felles.organisations.models import Person

    call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    people = list(Person.objects.select_related("organisation")[: args.updates])
    actor = Actor.system("bench")
    start = time.perf_counter()
    for i, person in enumerate(people):
        services.save_person(
            actor=actor,
            organisation=person.organisation,
            values={"title": f"Rådgiver {i}"},
            person=person,
        )
    events_per_second = len(people) / (time.perf_counter() - start)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(user__username="admin").user)

    def latencies(url: str) -> list[float]:
        client.get(url)  # warm up
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        return samples

    page = latencies("/personer/")
    api = latencies("/api/v1/people?limit=50")

    def p(samples: list[float], q: int) -> float:
        return statistics.quantiles(samples, n=100)[q - 1]

    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    cpu = platform.processor() or platform.machine()
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {cpu}"
        f", {os.cpu_count()} cores, Python {platform.python_version()}, {backend} | "
        f"{events_per_second:.0f} | {p(page, 50):.1f} / {p(page, 95):.1f} | "
        f"{p(api, 50):.1f} / {p(api, 95):.1f} | {Person.objects.count()} |"
    )
    print(line)
    results.append(
        "audit_and_people",
        "| date | commit | machine | audited person "
        "updates/s | people page p50 / p95 ms | people API p50 / p95 ms | people |\n"
        "|---|---|---|---|---|---|---|\n",
        [line],
    )


if __name__ == "__main__":
    sys.exit(main())
