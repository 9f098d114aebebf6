"""`felles audit verify`: recompute the audit hash chain; exit 1 at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from felles.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Revisjonskjeden er brutt ved hendelse #{report.broken_at}: "
                f"{report.reason}. {report.checked} hendelser var i orden før."
            )
        self.stdout.write(f"Revisjonskjeden er hel: {report.checked} hendelser kontrollert.")
