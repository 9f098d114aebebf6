"""`felles security scan`, `felles security dispose [--dry-run] [--date YYYY-MM-DD]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from felles.core.actor import Actor
from felles.security import workflow


class Command(BaseCommand):
    help = "Personnel security: run the reminder scan, or dispose per VF § 78 (or a dry run)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["scan", "dispose"])
        parser.add_argument("--dry-run", action="store_true", help="list, dispose nothing")
        parser.add_argument("--date", help="the run's date (YYYY-MM-DD), default today")

    def handle(self, *args: Any, action: str, dry_run: bool, date: str | None, **_: Any) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Ugyldig dato: bruk ÅÅÅÅ-MM-DD.") from exc
        if action == "scan":
            counts = workflow.scan(actor=Actor.system("felles security scan"), today=today)
            self.stdout.write(
                f"{counts['drafts']} utkast til ny klarering, "
                f"{counts['conversations']} samtalepåminnelser."
            )
            return
        if dry_run:
            plan = workflow.disposal_plan(today)
            for entry in plan:
                self.stdout.write(f"{entry['due_on']:%d.%m.%Y} {entry['kind']} {entry['concerns']}")
            self.stdout.write(f"Prøvekjøring: {len(plan)} rader ville blitt kassert.")
            return
        counts = workflow.dispose(actor=Actor.system("felles security dispose"), today=today)
        self.stdout.write(f"Kassert: {sum(counts.values())} rader {counts}.")
