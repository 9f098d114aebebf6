"""One job abstraction backed by the database (no broker needed with SQLite).

Handlers register with `@handler("kind")`; `enqueue` stores a Job after the surrounding
transaction commits; `run_pending` claims and runs due jobs. Claiming uses
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE on SQLite, so several
workers never run the same job twice. Every run leaves its status, log and error on the Job.

A claimed job carries a lease (`lease_expires_at`, FELLES_JOB_LEASE_SECONDS) that a heartbeat
thread renews while the handler runs. A worker killed mid-job stops renewing it; once it has
run out, the next worker loop anywhere takes the job back (`reclaim_expired`): into the queue
with back-off, or FAILED once `max_attempts` is used up, so a job that kills its worker ends
as failed instead of looping. Every write on a running job is fenced on (worker, attempts),
so a worker that lost its lease cannot overwrite what the reclaim decided.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, QuerySet
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
    """Queue each periodic job that is due and not already queued or running.

    Whatever became of the previous run (succeeded, failed, or its worker died), the next
    one is queued when the interval has passed: a run left RUNNING by a dead worker is
    reclaimed here first, once its lease has expired, so it blocks the schedule no longer.
    """
    reclaim_expired()
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


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.FELLES_JOB_LEASE_SECONDS)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=30 * 2**attempts)


def claim_next(worker: str | None = None) -> Job | None:
    """Atomically move one due job from QUEUED to RUNNING, with a fresh lease, and return it."""
    worker = worker or _worker_name()
    now = timezone.now()
    due = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=now).order_by(
        "run_after", "id"
    )
    claim = {
        "status": Job.Status.RUNNING,
        "started_at": now,
        "worker": worker,
        "attempts": F("attempts") + 1,
        "heartbeat_at": now,
        "lease_expires_at": now + lease_length(),
    }
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            job = due.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            Job.objects.filter(pk=job.pk).update(**claim)
            job.refresh_from_db()
        else:
            candidate = due.values_list("pk", flat=True).first()
            if candidate is None:
                return None
            # Conditional update: only one claimant can flip QUEUED → RUNNING.
            if not Job.objects.filter(pk=candidate, status=Job.Status.QUEUED).update(**claim):
                return None
            job = Job.objects.get(pk=candidate)
    return job


def _fenced(job: Job) -> QuerySet[Job]:
    """The job, only while it is still this claim's: RUNNING by the same worker and attempt."""
    return Job.objects.filter(
        pk=job.pk, status=Job.Status.RUNNING, worker=job.worker, attempts=job.attempts
    )


class _Heartbeat(threading.Thread):
    """Renews a running job's lease every third of its length, on its own connection."""

    def __init__(self, job: Job) -> None:
        super().__init__(name=f"job-heartbeat-{job.pk}", daemon=True)
        self.job = job
        self.lease = lease_length()
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.lease.total_seconds() / 3):
                now = timezone.now()
                try:
                    renewed = _fenced(self.job).update(
                        heartbeat_at=now, lease_expires_at=now + self.lease
                    )
                except DatabaseError:
                    # Busy or briefly unreachable database: try again at the next beat
                    # (two more before the lease runs out), on a fresh connection.
                    logger.warning("job %s: heartbeat failed", self.job.uuid, exc_info=True)
                    connection.close()
                    continue
                if not renewed:
                    logger.warning("job %s: lease lost to another worker", self.job.uuid)
                    return
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=self.lease.total_seconds())


def run_job(job: Job) -> Job:
    """Run a claimed job and store its outcome. A failed job is retried with back-off
    until `max_attempts`; the traceback is kept on the job. While the handler runs, a
    heartbeat keeps the job's lease; if the lease was lost meanwhile (the job was reclaimed),
    the outcome is not stored: the reclaim's decision stands."""
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}")

    func = _HANDLERS.get(job.kind)
    error = ""
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    try:
        try:
            if func is None:
                raise LookupError(f"Ingen håndterer for jobbtypen «{job.kind}».")
            func(job.payload, log)
        finally:
            heartbeat.stop()
    except Exception:
        logger.exception("job %s (%s) failed", job.uuid, job.kind)
        error = traceback.format_exc()
    now = timezone.now()
    if not error:
        outcome: dict[str, Any] = {"status": Job.Status.SUCCEEDED, "finished_at": now}
    elif job.attempts < job.max_attempts and func is not None:
        outcome = {"status": Job.Status.QUEUED, "run_after": now + _backoff(job.attempts)}
    else:
        outcome = {"status": Job.Status.FAILED, "finished_at": now}
    stored = _fenced(job).update(
        lease_expires_at=None, log="\n".join(lines), error=error, **outcome
    )
    if not stored:
        logger.warning("job %s (%s): lease lost while running; outcome dropped", job.uuid, job.kind)
    job.refresh_from_db()
    return job


def _expired(now: dt.datetime) -> Q:
    # A job claimed before leases existed has none: it counts from its start.
    return Q(status=Job.Status.RUNNING) & (
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, started_at__lt=now - lease_length())
        | Q(lease_expires_at__isnull=True, started_at__isnull=True)
    )


def reclaim_expired(now: dt.datetime | None = None) -> list[Job]:
    """Take back every RUNNING job whose lease has run out (its worker died or hung): back
    into the queue with back-off, or FAILED when it has used up `max_attempts`. Each job is
    moved by a conditional UPDATE on the state read, so two workers reclaiming at once (or
    a late heartbeat) cannot both win. Returns the reclaimed jobs, as stored afterwards."""
    now = now or timezone.now()
    reclaimed: list[Job] = []
    for job in Job.objects.filter(_expired(now)).order_by("id"):
        lease_end = job.lease_expires_at or job.started_at
        reason = (
            f"Arbeideren stoppet under kjøring (leiekontrakten utløp "
            f"{timezone.localtime(lease_end):%d.%m.%Y %H:%M:%S})"
            if lease_end
            else "Arbeideren stoppet under kjøring (jobben hadde ingen leiekontrakt)"
        ) + f"; arbeider {job.worker or 'ukjent'}, forsøk {job.attempts} av {job.max_attempts}."
        if job.attempts >= job.max_attempts:
            outcome = {
                "status": Job.Status.FAILED,
                "finished_at": now,
                "error": f"{reason} Ingen flere forsøk: jobben er markert som feilet.",
            }
        else:
            outcome = {
                "status": Job.Status.QUEUED,
                "run_after": now + _backoff(job.attempts),
                "error": f"{reason} Lagt i kø for et nytt forsøk.",
            }
        moved = (
            _fenced(job).filter(_expired(now)).update(lease_expires_at=None, worker="", **outcome)
        )
        if moved:
            job.refresh_from_db()
            logger.warning("job %s (%s) reclaimed: %s", job.uuid, job.kind, job.error)
            reclaimed.append(job)
    return reclaimed


def run_pending(limit: int | None = None) -> int:
    """Reclaim jobs whose lease has expired, then run due jobs until none is left (or
    `limit` ran). Returns how many ran."""
    reclaim_expired()
    ran = 0
    while limit is None or ran < limit:
        job = claim_next()
        if job is None:
            break
        run_job(job)
        ran += 1
    return ran


@dataclass(frozen=True)
class JobHealth:
    """What needs an operator's eye: jobs running past their lease, and recent failures."""

    stuck: list[Job]
    failed: list[Job]
    failed_since: dt.datetime

    @property
    def ok(self) -> bool:
        return not self.stuck and not self.failed


def health(
    now: dt.datetime | None = None, failed_within: dt.timedelta = dt.timedelta(hours=24)
) -> JobHealth:
    now = now or timezone.now()
    since = now - failed_within
    stuck = list(Job.objects.filter(_expired(now)).order_by("started_at", "id"))
    failed = list(
        Job.objects.filter(status=Job.Status.FAILED, finished_at__gte=since).order_by(
            "-finished_at", "-id"
        )
    )
    return JobHealth(stuck=stuck, failed=failed, failed_since=since)
