"""Benchmark: the personnel-security register page for a ministry with 2,000 people, and
the reminder scan over 100,000 register rows (issue 20).

Targets: the register page at a constant query count (200 people and 2,000 people read
the same number of queries); the scan over 100,000 rows in under 2 s.

Run:  .venv/bin/python bench/security_register.py [--people 2000] [--rows 100000]
      (a temporary SQLite database; DATABASE_URL=postgres://… for an empty PostgreSQL one)
Appends a line to bench/RESULTS.md.
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

    # Pages render without collected static files (the bench measures queries and time).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)


def people(ministry, count: int, prefix: str) -> list:
    from felles.organisations.models import Person

    return Person.objects.bulk_create(
        [
            Person(
                organisation=ministry,
                first_name=f"Person{i}",
                last_name=prefix,
                email=f"{prefix}{i}@{ministry.abbreviation.lower()}.bench",
                employee_number=f"{prefix}-{i}",
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


def rows_for(ministry, persons, today: dt.date, start: int = 0) -> None:
    """A clearance, an authorisation and a declaration per person; expiries spread over
    five years, so about one in ten is due for re-clearance within the horizon."""
    from felles.security import rules
    from felles.security.models import Authorisation, Clearance, Declaration

    clearances, authorisations, declarations = [], [], []
    for i, person in enumerate(persons):
        expires = today + dt.timedelta(days=(start + i) * 7 % 1800 + 1)
        decided = expires - dt.timedelta(days=1800)
        clearances.append(
            Clearance(
                ministry=ministry,
                person=person,
                level="hemmelig",
                decided_on=decided,
                expires_on=expires,
                reclearance_from=rules.reclearance_start(expires),
                dispose_on=rules.register_disposal(expires),
            )
        )
        authorisations.append(
            Authorisation(
                ministry=ministry,
                person=person,
                level="strengt_hemmelig",
                granted_on=decided,
                authorised_by="Departementsråden",
                conversation_on=decided,
                next_conversation_due=today + dt.timedelta(days=(start + i) * 3 % 730),
            )
        )
        declarations.append(Declaration(ministry=ministry, person=person, signed_on=decided))
    Clearance.objects.bulk_create(clearances, batch_size=1000)
    Authorisation.objects.bulk_create(authorisations, batch_size=1000)
    Declaration.objects.bulk_create(declarations, batch_size=1000)


def page(client) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/sikkerhet/personell/")  # warm
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sikkerhet/personell/")
    assert response.status_code == 200, response.status_code
    return len(queries), (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="profile the first scan")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from felles.core.actor import Actor
    from felles.organisations import services as org_services
    from felles.organisations.models import Organisation
    from felles.security import workflow
    from felles.security.models import Authorisation, Clearance, Declaration

    actor = Actor.system("bench")
    org_services.sync_reference_organisations(actor=actor)
    kud = Organisation.objects.get(abbreviation="KUD")
    coordinator = org_services.save_person(
        actor=actor,
        organisation=kud,
        values={
            "first_name": "Knut",
            "last_name": "Bench",
            "email": "knut@kud.bench",
            "employee_number": "K1",
        },
    )
    org_services.assign_role(
        actor=actor, person=coordinator, role="security_coordinator", organisation=kud
    )
    today = timezone.localdate()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator.user)

    small = 200
    rows_for(kud, people(kud, small, "small"), today)
    queries_small, _ms = page(client)
    rows_for(kud, people(kud, args.people - small, "big"), today, start=small)
    queries_big, ms_big = page(client)

    # The scan: fill up to `rows` register rows across the other ministries.
    others = list(Organisation.objects.customers().exclude(pk=kud.pk))
    have = Clearance.objects.count() + Authorisation.objects.count()
    per_person = 2  # a clearance and an authorisation each (declarations are not scanned)
    needed = max(0, (args.rows - have) // per_person)
    made = 0
    while made < needed:
        ministry = others[made // 5000 % len(others)]
        chunk = min(5000, needed - made)
        rows_for(ministry, people(ministry, chunk, f"m{made}"), today, start=made)
        made += chunk
    total = Clearance.objects.count() + Authorisation.objects.count()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    counts = workflow.scan(actor=actor, today=today)
    scan_s = time.perf_counter() - t0
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    t0 = time.perf_counter()
    again = workflow.scan(actor=actor, today=today)
    rescan_s = time.perf_counter() - t0
    declarations = Declaration.objects.count()

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    python = platform.python_version()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {python}, {database}"
    print(
        f"register page: {queries_small} queries at {small} people, "
        f"{queries_big} at {args.people}; {ms_big:.0f} ms"
    )
    print(
        f"scan over {total} rows (+{declarations} declarations): {scan_s:.2f} s {counts}; "
        f"again {rescan_s:.2f} s {again}"
    )
    met = queries_small == queries_big and scan_s < 2.0
    results.append(
        "Personnel-security register and reminder scan (bench/security_register.py)",
        "Targets: register page at a constant query count (200 vs 2,000 people); reminder "
        "scan over 100,000 rows < 2 s.\n\n"
        "| date | commit | machine | queries 200 / 2,000 people | page ms (2,000) "
        "| rows scanned | scan s (first / again) | drafts, reminders | met |\n"
        "|---|---|---|---|---|---|---|---|---|\n",
        [
            f"| {today} | {results.commit()} | {machine} | {queries_small} / {queries_big} | "
            f"{ms_big:.0f} | {total} | {scan_s:.2f} / {rescan_s:.2f} | "
            f"{counts['drafts']}, {counts['conversations']} | {'yes' if met else 'no'} |"
        ],
    )


if __name__ == "__main__":
    main()
