"""`felles sla recompute [--write]` and `felles sla scan`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from felles.sla import services


class Command(BaseCommand):
    help = "SLA maintenance: recompute all clocks from history, or scan for breaches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["recompute", "scan"])
        parser.add_argument(
            "--write", action="store_true", help="store recomputed values (default: only compare)"
        )

    def handle(self, *args: Any, action: str, write: bool, **options: Any) -> None:
        if action == "scan":
            counts = services.scan()
            self.stdout.write(f"{counts['breached']} nye brudd, {counts['warned']} nye varsler.")
            return
        differences = services.recompute_all(write=write)
        if differences and not write:
            raise CommandError(
                f"{len(differences)} bestillinger avviker fra historikken, "
                f"f.eks. {differences[0]}. Kjør med --write for å rette."
            )
        self.stdout.write(f"{len(differences)} avvik{' rettet' if write else ''}.")
