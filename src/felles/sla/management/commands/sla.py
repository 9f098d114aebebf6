"""`felles sla recompute [--write]` and `felles sla scan`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.organisations.models import Organisation
from felles.sla import services


class Command(BaseCommand):
    help = "SLA maintenance: recompute all clocks from history, or scan for breaches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["recompute", "scan", "hours"])
        parser.add_argument("provider", nargs="?", help="provider abbreviation (hours)")
        parser.add_argument("--start", default="08:00")
        parser.add_argument("--end", default="15:45")
        parser.add_argument("--summer-end", default="15:00")
        parser.add_argument("--half-day-end", default="12:00")
        parser.add_argument(
            "--write", action="store_true", help="store recomputed values (default: only compare)"
        )

    def handle(self, *args: Any, action: str, write: bool, **options: Any) -> None:
        if action == "hours":
            self._hours(options)
            return
        if action == "scan":
            counts = services.scan(actor=Actor.system("felles sla scan"))
            self.stdout.write(f"{counts['breached']} nye brudd, {counts['warned']} nye varsler.")
            return
        differences = services.recompute_all(write=write)
        if differences and not write:
            raise CommandError(
                f"{len(differences)} bestillinger avviker fra historikken, "
                f"f.eks. {differences[0]}. Kjør med --write for å rette."
            )
        self.stdout.write(f"{len(differences)} avvik{' rettet' if write else ''}.")

    def _hours(self, options: dict[str, Any]) -> None:
        provider = (
            Organisation.objects.providers()
            .filter(abbreviation=options.get("provider") or "")
            .first()
        )
        if provider is None:
            raise CommandError("Oppgi en leverandør, f.eks. «felles sla hours DSS».")
        try:
            times = {
                k: dt.time.fromisoformat(options[k])
                for k in ("start", "end", "summer_end", "half_day_end")
            }
            services.set_office_hours(
                actor=Actor.system("felles sla hours"), provider=provider, **times
            )
        except ValueError as exc:
            raise CommandError("Klokkeslett skrives TT:MM, f.eks. 08:00.") from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Åpningstid for {provider.abbreviation}: {options['start']}–"
            f"{options['end']} (sommer til {options['summer_end']})."
        )
