"""Benchmark: business-time arithmetic and the SLA breach scan.

Targets (issue "Service levels on a Norwegian business calendar"):
- at least 50,000 deadline computations per second on one core;
- a breach scan over 200,000 open orders in under 5 seconds on PostgreSQL.

Run:  .venv/bin/python bench/sla.py                      (calendar only)
      DATABASE_URL=postgres://… .venv/bin/python bench/sla.py --scan 200000
The scan part creates its own orders in the given (empty, throw-away) database: about 1 %
of them past their deadline and 1 % past the warning point, so the scan flags and notifies
a realistic share. Appends lines to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))


def calendar_rate(n: int = 200_000) -> tuple[float, float]:
    from felles.core.calendar import OSLO, BusinessCalendar

    calendar = BusinessCalendar()
    rng = random.Random(1)
    starts = [
        dt.datetime(2026, 1, 1, tzinfo=OSLO) + dt.timedelta(minutes=rng.randrange(525_600))
        for _ in range(1000)
    ]
    t0 = time.process_time()
    for i in range(n):
        calendar.add_minutes(starts[i % 1000], 2400)
    add_rate = n / (time.process_time() - t0)
    t0 = time.process_time()
    for i in range(n):
        calendar.minutes_between(starts[i % 1000], starts[(i + 7) % 1000])
    between_rate = n / (time.process_time() - t0)
    return add_rate, between_rate


def scan_time(count: int) -> tuple[float, dict[str, int]]:
    os.environ.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-"))
    os.environ.setdefault("FELLES_SECRET_KEY", "bench-only")
    os.environ["FELLES_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.core.actor import Actor
    from felles.orders.models import Order
    from felles.organisations import services as org_services
    from felles.organisations.models import Organisation, Person
    from felles.sla import services as sla_services
    from felles.sla.models import OrderSla

    call_command("migrate", verbosity=0)
    actor = Actor.system("bench")
    org_services.sync_reference_organisations(actor=actor)
    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    kud = Organisation.objects.get(abbreviation="KUD")
    person = Person.objects.filter(organisation=kud).first() or org_services.save_person(
        actor=actor,
        organisation=kud,
        values={
            "first_name": "Bench",
            "last_name": "Mark",
            "email": "bench@kud.dep.no",
            "employee_number": "B1",
        },
    )
    service = Service.objects.get(code="srv-moterom")
    dss = Organisation.objects.get(abbreviation="DSS")
    if not Person.objects.filter(email="leder@dss.dep.no").exists():
        manager = org_services.save_person(
            actor=actor,
            organisation=dss,
            values={
                "first_name": "Leder",
                "last_name": "DSS",
                "email": "leder@dss.dep.no",
                "employee_number": "L1",
            },
        )
        org_services.assign_role(
            actor=actor, person=manager, role="provider_manager", organisation=dss
        )
    now = timezone.now()
    rng = random.Random(2)
    start = Order.objects.count()
    batch = 5000
    for offset in range(0, count, batch):
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"X-{start + offset + i:09d}",
                    service=service,
                    ministry=kud,
                    orderer=person,
                    beneficiary=person,
                    status="in_progress",
                    funding="appropriation",
                    submitted_at=now,
                )
                for i in range(min(batch, count - offset))
            ]
        )
        slas = []
        for order in orders:
            roll = rng.random()
            due = now + dt.timedelta(hours=-1 if roll < 0.01 else 30)
            warn = now + dt.timedelta(hours=-2 if roll < 0.02 else 20)
            slas.append(
                OrderSla(
                    order=order,
                    priority="normal",
                    state="ok",
                    started_at=now,
                    resolution_target=2400,
                    response_target=480,
                    resolution_due=due,
                    resolution_warn_at=warn,
                    response_due=due,
                    computed_at=now,
                )
            )
        OrderSla.objects.bulk_create(slas)
    t0 = time.perf_counter()
    counts = sla_services.scan(now=now)
    return time.perf_counter() - t0, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scan", type=int, default=0, help="open orders for the scan part")
    args = parser.parse_args()
    add_rate, between_rate = calendar_rate()
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {machine} | deadline "
        f"computations/s (one core) | {add_rate:,.0f} add, {between_rate:,.0f} between |"
    ]
    if args.scan:
        seconds, counts = scan_time(args.scan)
        backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
        lines.append(
            f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | {machine}, "
            f"{backend} | breach scan over {args.scan:,} open orders | "
            f"{seconds:.2f} s ({counts['breached']} breached, {counts['warned']} "
            f"warned) |"
        )
    print("\n".join(lines))
    results.append(
        "sla", "| date | commit | machine | measure | result |\n|---|---|---|---|---|\n", lines
    )


if __name__ == "__main__":
    main()
