"""One job abstraction backed by the database (no broker needed with SQLite).

Handlers register with `@handler("kind")`; `enqueue` stores a Job after the surrounding
transaction commits; `run_pending` claims and runs due jobs. Claiming uses
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE on SQLite, so several
workers never run the same job twice. Every run leaves its status, log and error on the Job.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import Job

logger = logging.getLogger(__name__)

JobHandler = Callable[[dict[str, Any], Callable[[str], None]], None]
_HANDLERS: dict[str, JobHandler] = {}


def handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Register a job handler. It receives the payload and a `log(line)` function."""

    def register(func: JobHandler) -> JobHandler:
        _HANDLERS[kind] = func
        return func

    return register


_PERIODIC: dict[str, dt.timedelta] = {}


def periodic(kind: str, *, minutes: int) -> None:
    """Ask the worker to queue `kind` every `minutes` (one at a time)."""
    _PERIODIC[kind] = dt.timedelta(minutes=minutes)


def schedule_periodic(now: dt.datetime | None = None) -> int:
    """Queue each periodic job that is due and not already queued or running."""
    now = now or timezone.now()
    queued = 0
    for kind, every in _PERIODIC.items():
        jobs_of_kind = Job.objects.filter(kind=kind)
        if jobs_of_kind.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
            continue
        last = jobs_of_kind.order_by("-created_at").values_list("created_at", flat=True).first()
        if last is None or now - last >= every:
            Job.objects.create(kind=kind, created_by_label="system:scheduler", run_after=now)
            queued += 1
    return queued


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


def enqueue(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    actor: Actor,
    run_after: dt.datetime | None = None,
) -> None:
    """Queue a job once the current transaction commits (immediately outside one)."""
    if kind not in _HANDLERS:
        raise ValueError(f"Unknown job kind: {kind}")

    def create() -> None:
        Job.objects.create(
            kind=kind,
            payload=payload or {},
            created_by_label=actor.label,
            run_after=run_after or timezone.now(),
        )

    transaction.on_commit(create)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(worker: str | None = None) -> Job | None:
    """Atomically move one due job from QUEUED to RUNNING and return it."""
    worker = worker or _worker_name()
    now = timezone.now()
    due = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=now).order_by(
        "run_after", "id"
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            job = due.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.RUNNING, started_at=now, worker=worker, attempts=F("attempts") + 1
            )
            job.refresh_from_db()
        else:
            candidate = due.values_list("pk", flat=True).first()
            if candidate is None:
                return None
            # Conditional update: only one claimant can flip QUEUED → RUNNING.
            claimed = Job.objects.filter(pk=candidate, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, started_at=now, worker=worker
            )
            if not claimed:
                return None
            Job.objects.filter(pk=candidate).update(attempts=F("attempts") + 1)
            job = Job.objects.get(pk=candidate)
    return job


def run_job(job: Job) -> Job:
    """Run a claimed job and store its outcome. A failed job is retried with back-off
    until `max_attempts`; the traceback is kept on the job."""
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}")

    func = _HANDLERS.get(job.kind)
    try:
        if func is None:
            raise LookupError(f"Ingen håndterer for jobbtypen «{job.kind}».")
        func(job.payload, log)
    except Exception:
        logger.exception("job %s (%s) failed", job.uuid, job.kind)
        retry = job.attempts < job.max_attempts and func is not None
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED if retry else Job.Status.FAILED,
            run_after=timezone.now() + dt.timedelta(seconds=30 * 2**job.attempts),
            finished_at=None if retry else timezone.now(),
            log="\n".join(lines),
            error=traceback.format_exc(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            finished_at=timezone.now(),
            log="\n".join(lines),
            error="",
        )
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    """Run due jobs until none is left (or `limit` ran). Returns how many ran."""
    ran = 0
    while limit is None or ran < limit:
        job = claim_next()
        if job is None:
            break
        run_job(job)
        ran += 1
    return ran


def requeue_stale(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Jobs left RUNNING by a worker that died go back to the queue."""
    cutoff = timezone.now() - older_than
    return Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=cutoff).update(
        status=Job.Status.QUEUED, worker=""
    )
