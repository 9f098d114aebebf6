"""`felles worker`: run background jobs from the database queue."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from felles.core import jobs
from felles.core.models import Job


def _when(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M:%S}" if moment else "–"


def _first_line(error: str) -> str:
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""  # a traceback's last line names the exception


def report(health: jobs.JobHealth) -> str:
    """Stuck and recently failed jobs in words, one job a line."""
    if health.ok:
        return "Jobber: ingen fastlåste eller feilede."
    lines = [
        f"Jobber: {len(health.stuck)} fastlåst(e), {len(health.failed)} feilet siden "
        f"{_when(health.failed_since)}."
    ]
    lines += [
        f"  FASTLÅST {job.kind} {job.uuid}: arbeider {job.worker or 'ukjent'}, startet "
        f"{_when(job.started_at)}, leien utløp {_when(job.lease_expires_at)}"
        + (", over høyeste kjøretid" if jobs.overran(job) else "")
        for job in health.stuck
    ]
    lines += [
        f"  FEILET {job.kind} {job.uuid}: {_when(job.finished_at)}, forsøk {job.attempts} av "
        f"{job.max_attempts}: {_first_line(job.error)}"
        for job in health.failed
    ]
    return "\n".join(lines)


def _signature(health: jobs.JobHealth) -> tuple[frozenset[int], frozenset[int]]:
    return frozenset(j.pk for j in health.stuck), frozenset(j.pk for j in health.failed)


class Command(BaseCommand):
    help = (
        "Run queued background jobs. --once runs what is due and exits. --status reports "
        "stuck and failed jobs and exits non-zero if there are any."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds to sleep when the queue is empty."
        )
        parser.add_argument(
            "--status",
            action="store_true",
            help="Report jobs running past their lease or maximum run time and jobs failed in "
            "the last "
            "--hours, then exit (status 1 if there are any).",
        )
        parser.add_argument(
            "--hours", type=float, default=24.0, help="How far back --status reports failures."
        )

    def handle(
        self, *args: Any, once: bool, interval: float, status: bool, hours: float, **options: Any
    ) -> None:
        window = dt.timedelta(hours=hours)
        if status:
            health = jobs.health(failed_within=window)
            self.stdout.write(report(health))
            if not health.ok:
                raise CommandError("Det finnes fastlåste eller feilede jobber.")
            return
        health = jobs.health(failed_within=window)
        self.stdout.write(report(health))
        reported = _signature(health)
        while True:
            # Jobs whose worker died or hangs are taken back first (and said so), once per
            # pass; then the periodic jobs are queued and the due jobs run.
            for job in jobs.reclaim_expired():
                verdict = "feilet" if job.status == Job.Status.FAILED else "lagt i kø igjen"
                line = f"Tok tilbake {job.kind} {job.uuid} ({verdict}): {job.error}"
                self.stdout.write(line, self.style.WARNING)
            jobs.schedule_periodic(reclaim=False)
            ran = jobs.run_pending(reclaim=False)
            if ran:
                self.stdout.write(f"{ran} jobb(er) kjørt.")
            health = jobs.health(failed_within=window)
            if _signature(health) != reported:
                self.stdout.write(report(health))
                reported = _signature(health)
            if once:
                return
            time.sleep(interval)
