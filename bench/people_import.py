"""Benchmark: importing people from an HR export, as the import job does it.

Target (issue 17): at least 2,000 people rows per second on SQLite and on PostgreSQL.
Run: .venv/bin/python bench/people_import.py [--rows 20000] [--no-record]
With DATABASE_URL (PostgreSQL) the bench creates and drops its own database next to the
one named (suffix `_people_bench`); without it, a temporary SQLite file.

Two runs of the whole import (read the CSV, validate every row, write in batches with the
audit events), timed end to end:
- create: 20,000 new people in 200 units, each tenth the line manager of the next nine;
- update-all: the same file again with every person's title changed.
The audit chain is verified afterwards. Appends a line to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402


def people_csv(rows: int, units: int, title: str) -> bytes:
    lines = ["ansattnummer;fornavn;etternavn;epost;enhetskode;stilling;leder_ansattnummer;aktiv"]
    for n in range(1, rows + 1):
        manager = "" if n % 10 == 1 else str(n - (n - 1) % 10)
        lines.append(
            f"{n};Fornavn{n};Etternavn{n};person{n}@kud.dep.no;U{n % units:03d};"
            f"{title} {n % 7};{manager};ja"
        )
    return ("\n".join(lines) + "\n").encode()


def fresh_postgres(url: str) -> str:
    import psycopg

    base, _, name = url.rpartition("/")
    bench_name = f"{name}_people_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    return f"{base}/{bench_name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="felles-bench-")
    os.environ["FELLES_DATA_DIR"] = tmp
    os.environ.setdefault("FELLES_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    url = os.environ.get("DATABASE_URL", "")
    if url:
        os.environ["DATABASE_URL"] = fresh_postgres(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from felles.core import audit
    from felles.core.actor import Actor
    from felles.organisations import importing, services
    from felles.organisations.models import Organisation, Person

    call_command("migrate", verbosity=0)
    actor = Actor.system("bench")
    services.sync_reference_organisations(actor=actor)
    kud = Organisation.objects.get(abbreviation="KUD")
    for u in range(200):
        services.save_unit(actor=actor, organisation=kud, code=f"U{u:03d}", name=f"Enhet {u}")

    cpu_s: list[float] = []

    def timed(content: bytes) -> tuple[float, importing.ImportPlan]:
        t0, c0 = time.perf_counter(), time.process_time()
        plan = importing.plan_import("people", kud, content, "hr.csv")
        assert plan.ok, plan.errors[:3]
        importing.apply_plan(actor=actor, plan=plan)
        cpu_s.append(time.process_time() - c0)
        return time.perf_counter() - t0, plan

    load = os.getloadavg()[0]
    create_s, plan = timed(people_csv(args.rows, 200, "Rådgiver"))
    assert (
        plan.creates == args.rows and Person.objects.filter(organisation=kud).count() == args.rows
    )
    update_s, plan = timed(people_csv(args.rows, 200, "Seniorrådgiver"))
    assert plan.updates == args.rows, (plan.updates, plan.unchanged)
    report = audit.verify_chain()
    assert report.ok, report
    backend = connection.vendor
    if url:
        connection.close()
    cpu = platform.processor() or platform.machine()
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {cpu}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {backend} | {args.rows} | "
        f"{args.rows / create_s:.0f} ({create_s:.1f} s) | {args.rows / update_s:.0f} "
        f"({update_s:.1f} s) | {cpu_s[0]:.1f} / {cpu_s[1]:.1f} | {load:.1f} | {report.checked} |"
    )
    print(line)
    if not args.no_record:
        results.append(
            "people_import",
            "Target: ≥ 2,000 people rows/s on SQLite and PostgreSQL (read, validate, write "
            "with audit events, end to end as the import job does it).\n\n"
            "Wall-clock rows/s; the bench's own CPU seconds (create / update) and the load "
            "average when it started tell how much of the time was waiting for the database "
            "or for other processes on the shared cores.\n\n"
            "| date | commit | machine | rows | create rows/s | update-all rows/s | "
            "CPU s | load | audit events verified |\n|---|---|---|---|---|---|---|---|---|\n",
            [line],
        )


if __name__ == "__main__":
    sys.exit(main())
