"""Benchmark: placing an onboarding bundle with 6 children against a single order, in the
same run (issue 19: the bundle ≤ 3× a single submission).

Run:  .venv/bin/python bench/bundles.py [--rounds N]   (temporary SQLite, or DATABASE_URL)
Loads the demo data, then as Per (KUD's line manager) alternates N single orders of a PC
(`orders.services.submit_order`, line-manager approval) with N onboarding bundles whose
answers call for six children (user account, PC, phone, access card, workplace,
introduction days: `bundles.services.submit_bundle`), after a warm-up of each. Prints the
median and p95 of both and their ratio, and appends a line to bench/RESULTS.md.
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
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="profile 5 bundles, no result")
    args = parser.parse_args()
    os.environ.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-bench-"))
    os.environ.setdefault("FELLES_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.conf.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from felles.bundles import services as bundle_services
    from felles.bundles.models import Bundle
    from felles.catalog.models import Service
    from felles.core import mail
    from felles.core.actor import Actor
    from felles.core.calendar import add_working_days
    from felles.orders import services as order_services
    from felles.organisations.models import Person, Unit

    call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    per = Person.objects.select_related("organisation").get(user__username="per")
    actor = Actor(user=per.user)
    bundle = Bundle.objects.get(service__code="hr-onboarding")
    pc = Service.objects.get(code="ikt-pc")
    unit = Unit.objects.filter(organisation=per.organisation).first()
    values = {
        "navn": "Nora Ny",
        "enhet": unit,
        "startdato": add_working_days(timezone.localdate(), 15),
        "stilling": "Rådgiver",
        "klarering": "Ingen",
        "behov": ["PC", "Mobiltelefon", "Adgangskort", "Arbeidsplass", "Introduksjonskurs"],
        "merknad": "",
    }
    answers = {"mottaker": {"label": "Mottaker", "value": None}}

    def single() -> float:
        t0 = time.perf_counter()
        order_services.submit_order(actor=actor, orderer=per, service=pc, answers=answers)
        return (time.perf_counter() - t0) * 1000

    def onboarding() -> float:
        t0 = time.perf_counter()
        parent = bundle_services.submit_bundle(
            actor=actor, orderer=per, bundle=bundle, values=values
        )
        elapsed = (time.perf_counter() - t0) * 1000
        assert parent.child_links.count() == 6, parent.child_links.count()
        return elapsed

    with mail.suppressed():
        for _ in range(3):
            single(), onboarding()
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                for _ in range(5):
                    onboarding()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
            return
        singles, bundles = [], []
        for _ in range(args.rounds):
            singles.append(single())
            bundles.append(onboarding())

    def p95(samples: list[float]) -> float:
        return statistics.quantiles(samples, n=100)[94]

    s50, b50 = statistics.median(singles), statistics.median(bundles)
    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    line = (
        f"| {dt.datetime.now(dt.UTC):%Y-%m-%d} | {results.commit()} | "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {backend} | {args.rounds} | "
        f"{s50:.1f} / {p95(singles):.1f} | {b50:.1f} / {p95(bundles):.1f} | {b50 / s50:.2f}× |"
    )
    print(line)
    results.append(
        "bundles",
        "| date | commit | machine | rounds | single order p50 / p95 ms "
        "| onboarding bundle (6 children) p50 / p95 ms | ratio (p50) |\n"
        "|---|---|---|---|---|---|---|\n",
        [line],
    )


if __name__ == "__main__":
    sys.exit(main())
