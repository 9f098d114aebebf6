"""`felles worker`: run background jobs from the database queue."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from felles.core import jobs


class Command(BaseCommand):
    help = "Run queued background jobs. --once runs what is due and exits."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds to sleep when the queue is empty."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        jobs.requeue_stale()
        while True:
            jobs.schedule_periodic()
            ran = jobs.run_pending()
            if ran:
                self.stdout.write(f"{ran} jobb(er) kjørt.")
            if once:
                return
            time.sleep(interval)
