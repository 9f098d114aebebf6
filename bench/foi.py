"""Benchmark: importing 1,000 eInnsyn order files, and the yearly FOI statistics over
100,000 requests (issue 21).

Targets: the statistics page under 1 s at 100,000 requests (with their items, decisions and
appeals); the import's rate reported (each file: parse, an `if-innsyn` order on the
ministry's behalf, the request, its items, the audit events — one transaction).

Run:  .venv/bin/python bench/foi.py [--files 1000] [--requests 100000]
      (a temporary SQLite database; DATABASE_URL=postgres://… for an empty PostgreSQL one)
Appends a line to bench/RESULTS.md.
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


def setup() -> None:
    os.environ.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-"))
    os.environ.setdefault("FELLES_SECRET_KEY", "bench-only")
    os.environ["FELLES_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def person(org, username: str, role: str | None):
    from felles.core.actor import Actor
    from felles.organisations import services as org_services

    actor = Actor.system("bench")
    found = org_services.save_person(
        actor=actor,
        organisation=org,
        values={
            "first_name": username.title(),
            "last_name": "Bench",
            "email": f"{username}@{org.abbreviation.lower()}.bench",
            "employee_number": f"{org.abbreviation}-{username}",
        },
    )
    if role:
        org_services.assign_role(actor=actor, person=found, role=role, organisation=org)
    return found


def bulk_history(count: int, year: int) -> None:
    """`count` requests received over `year` across the ministries, 90 % answered in 0–8
    working days, one to three items each with the ministry's decision, 2 % appealed."""
    from felles.foi.models import Appeal, Decision, Item, Request
    from felles.orders.models import Order

    rng = random.Random(21)
    template = Order.objects.order_by("pk").first()
    skip = {"id", "uuid", "number"}
    values = {
        f.attname: getattr(template, f.attname)
        for f in Order._meta.concrete_fields
        if f.attname not in skip
    }
    ministries = list(
        Request.ministry.field.related_model.objects.customers().values_list("pk", flat=True)
    )
    owner_id = template.orderer_id
    outcomes = ["full"] * 6 + ["partial", "partial", "refused", "does_not_exist"]
    start = dt.date(year, 1, 1)
    made = 0
    while made < count:
        chunk = min(5000, count - made)
        orders = Order.objects.bulk_create(
            [Order(number=f"B-BENCH-{made + i:07d}", **values) for i in range(chunk)],
            batch_size=1000,
        )
        requests = []
        for i, order in enumerate(orders):
            received = start + dt.timedelta(days=rng.randrange(360))
            answered = rng.random() < 0.9
            days = rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8)) if answered else None
            requests.append(
                Request(
                    ministry_id=ministries[(made + i) % len(ministries)],
                    order=order,
                    source="einnsyn",
                    einnsyn_id=f"bench-{made + i}",
                    received_on=received,
                    requester_email="x@example.invalid",
                    case_owner_id=owner_id,
                    answered_on=received + dt.timedelta(days=days + days // 5 * 2)
                    if answered
                    else None,
                    working_days=days,
                )
            )
        requests = Request.objects.bulk_create(requests, batch_size=1000)
        items, appeals = [], []
        for request in requests:
            request.items_count = rng.randint(1, 3)
            for position in range(1, request.items_count + 1):
                items.append(Item(request=request, position=position, case_number="2026/1"))
            if request.working_days is not None and rng.random() < 0.02:
                appeals.append(
                    Appeal(request=request, received_on=request.answered_on, body="ministry")
                )
        Request.objects.bulk_update(requests, ["items_count"], batch_size=1000)
        items = Item.objects.bulk_create(items, batch_size=2000)
        now = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
        decisions = []
        for item in items:
            outcome = rng.choice(outcomes)
            basis = (
                {"section": rng.choice((13, 14, 15, 23))}
                if outcome in ("partial", "refused")
                else {}
            )
            decisions.append(
                Decision(
                    item=item,
                    stage="final",
                    outcome=outcome,
                    by_id=owner_id,
                    at=now,
                    ministry_id=item.request.ministry_id,
                    received_on=item.request.received_on,
                    **basis,
                )
            )
        Decision.objects.bulk_create(decisions, batch_size=2000)
        Appeal.objects.bulk_create(appeals, batch_size=1000)
        made += chunk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.core.actor import Actor
    from felles.foi import services
    from felles.foi.models import Request
    from felles.foi.statistics import compute
    from felles.foi.tests.factories import order_file
    from felles.organisations import services as org_services
    from felles.organisations.models import Organisation

    actor = Actor.system("bench")
    org_services.sync_reference_organisations(actor=actor)
    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    kud, dio, dfd = (Organisation.objects.get(abbreviation=a) for a in ("KUD", "DIO", "DFD"))
    hilde = person(dio, "hilde", "provider_agent")
    person(kud, "eva", "information_coordinator")
    anne = person(dfd, "anne", "governance")
    Service.objects.get(code="if-innsyn").handling_team.add(hilde)
    as_hilde = Actor(user=hilde.user)

    files = [order_file(f"ik-bench-{i}", documents=1 + i % 3) for i in range(args.files)]
    t0 = time.perf_counter()
    for content in files:
        services.import_order_file(actor=as_hilde, content=content)
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for content in files[:100]:
        assert not services.import_order_file(actor=as_hilde, content=content).created
    again_ms = (time.perf_counter() - t0) * 1000 / 100

    year = 2026
    have = Request.objects.count()
    bulk_history(max(0, args.requests - have), year)
    total = Request.objects.count()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    t0 = time.perf_counter()
    stats = compute(None, start, end)
    compute_ms = (time.perf_counter() - t0) * 1000
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(anne.user)
    url = f"/innsyn/statistikk/?start={start}&end={end}"
    client.get(url)  # warm
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    page_ms = sorted(timings)[len(timings) // 2]

    today = timezone.localdate()
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{database}"
    )
    rate = args.files / import_s
    print(
        f"import: {args.files} files in {import_s:.1f} s ({rate:.0f}/s); "
        f"the same file again {again_ms:.1f} ms"
    )
    print(
        f"statistics over {total} requests ({stats.total.requests} in {year}, "
        f"{stats.total.items} items): compute {compute_ms:.0f} ms, page p50 {page_ms:.0f} ms"
    )
    met = page_ms < 1000
    results.append(
        "FOI requests: eInnsyn import and yearly statistics (bench/foi.py)",
        "Targets: import 1,000 eInnsyn order files (rate reported); the statistics page "
        "over a year of 100,000 requests < 1 s.\n\n"
        "| date | commit | machine | files | import s (files/s) | duplicate ms | requests "
        "| items | compute ms | page p50 ms | met |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n",
        [
            f"| {today} | {results.commit()} | {machine} | {args.files} | "
            f"{import_s:.1f} ({rate:.0f}) | {again_ms:.1f} | {total} | {stats.total.items} | "
            f"{compute_ms:.0f} | {page_ms:.0f} | {'yes' if met else 'no'} |"
        ],
    )


if __name__ == "__main__":
    main()
