"""`felles demo`: migrate, load reference and demo data, and serve on 127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from felles.agreements import demo as agreements_demo
from felles.bundles import services as bundles_services
from felles.catalog import services as catalog_services
from felles.core import jobs, mail
from felles.core.actor import Actor
from felles.core.models import Job
from felles.costing import demo as costing_demo
from felles.foi import demo as foi_demo
from felles.governance import demo as governance_demo
from felles.guidelines import demo as guidelines_demo
from felles.hr import demo as hr_demo
from felles.invoicing import demo as invoicing_demo
from felles.notices import demo as notices_demo
from felles.orders import demo as orders_demo
from felles.organisations import demo as organisations_demo
from felles.organisations import services as organisations_services
from felles.portfolio import demo as portfolio_demo
from felles.preparedness import demo as preparedness_demo
from felles.records import demo as records_demo
from felles.rooms import demo as rooms_demo
from felles.security import demo as security_demo
from felles.tasks import demo as tasks_demo


class Command(BaseCommand):
    help = "Prepare the demo database and start the server. Safe to run more than once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only prepare the database; do not start the server.",
        )
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, no_serve: bool, bind: str, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        actor = Actor.system("felles demo")
        organisations_services.sync_reference_organisations(actor=actor)
        already = organisations_demo.is_loaded()
        # The demo's own notifications (made-up orders, made-up people) are not sent.
        with mail.suppressed():
            organisations_demo.load(actor=actor)
            catalog_services.seed_catalogue(
                actor=actor, price_from=timezone.localdate().replace(month=1, day=1)
            )
            agreements_demo.load(actor=actor)
            orders_demo.load(actor=actor)
            orders_demo.load_history(actor=actor)
            # The onboarding and offboarding bundles (after the demo's own orders).
            bundles_services.seed_bundles(actor=actor)
            # Task templates after the demo's history (resolved without checklists); the
            # open orders at the providers get their checklists.
            tasks_demo.load(actor=actor, valid_from=timezone.localdate().replace(month=1, day=1))
            costing_demo.load(actor=actor, year=timezone.localdate().year)
            costing_demo.load_budget(
                actor=actor, year=timezone.localdate().year, as_of=timezone.localdate()
            )
            costing_demo.load_transfers(actor=actor, year=timezone.localdate().year)
            invoicing_demo.load(actor=actor)
            governance_demo.load(actor=actor)
            portfolio_demo.load(actor=actor)
            # KUD's archive work: Dag on DIO's archive team, Eva's jobs, spot check, tilsyn.
            records_demo.load(actor=actor)
            # One SLA scan, as the worker would run it: the SLA states are current and the
            # jobs page shows a run.
            jobs.run_now(
                Job.objects.create(
                    kind="sla.scan", created_by_label=actor.label, run_after=timezone.now()
                )
            )
            rooms_demo.load(actor=actor)
            security_demo.load(actor=actor)
            preparedness_demo.load(actor=actor)
            hr_demo.load(actor=actor)  # Helene's HR team, DFØ figures, survey, recruitments
            # Common guidelines (Marte's, Anne's; KUD's exception) and notices to the ministries.
            guidelines_demo.load(actor=actor)
            notices_demo.load(actor=actor)
            # KUD's FOI requests: Hilde (DIO) prepares, Eva coordinates, Per decides.
            foi_demo.load(actor=actor)
        self.stdout.write("Demodata fantes fra før." if already else "Demodata er lastet.")
        self.stdout.write(
            "Logg inn som kari, per, ingrid, knut, eva, sigrid, frode, ole, marte, lars, siri, "
            "helene, dag, hilde, anne, revisor eller admin – "
            f"passord «{organisations_demo.DEMO_PASSWORD}»."
        )
        # Hashed static file names for the server (settings.STORAGES); quick when nothing
        # changed since the last run. Not needed where the finders serve them (debug, tests).
        if not settings.WHITENOISE_USE_FINDERS:
            call_command("collectstatic", interactive=False, verbosity=0)
        if not no_serve:
            call_command("serve", bind=bind)
