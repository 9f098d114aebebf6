"""One job abstraction backed by the database (no broker needed with SQLite).

Handlers register with `@handler("kind")`; `enqueue` stores a Job after the surrounding
transaction commits; `run_pending` claims and runs due jobs. Claiming uses
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE on SQLite, so several
workers never run the same job twice. Every run leaves its status, log and error on the Job.

A claimed job carries a lease (`lease_expires_at`, FELLES_JOB_LEASE_SECONDS) that a heartbeat
thread renews while the handler runs, but never past the job's maximum run time
(FELLES_JOB_MAX_RUNTIME_SECONDS, or `max_runtime` of its handler): a handler that hangs
(a network call without a timeout) keeps its thread alive, so the heartbeat alone would keep
the job RUNNING for ever. A worker killed mid-job stops renewing the lease; a hung one has it
run out at the maximum run time. Then the next worker loop anywhere takes the job back
(`reclaim_expired`): into the queue with back-off, or FAILED once `max_attempts` is used up,
so a job that kills its worker ends as failed instead of looping. Every write on a running
job is fenced on (worker, attempts), so a worker that lost its lease cannot overwrite what
the reclaim decided.
"""

from __future__ import annotations

import contextvars
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

# A handler gets the payload and a `log(line)` function; it may return a dict, kept on the
# job as `result` (what its result page shows).
JobHandler = Callable[[dict[str, Any], Callable[[str], None]], "dict[str, Any] | None"]
_HANDLERS: dict[str, JobHandler] = {}
_MAX_RUNTIME: dict[str, dt.timedelta] = {}


def handler(
    kind: str, *, max_runtime: float | dt.timedelta | None = None
) -> Callable[[JobHandler], JobHandler]:
    """Register a job handler. It receives the payload and a `log(line)` function.
    `max_runtime` (seconds or a timedelta) replaces FELLES_JOB_MAX_RUNTIME_SECONDS for this
    kind: a run still going after it is taken back from its worker."""
    if isinstance(max_runtime, (int, float)):
        max_runtime = dt.timedelta(seconds=max_runtime)
    if max_runtime is not None and max_runtime <= dt.timedelta(0):
        raise ValueError(f"max_runtime for {kind} must be positive")

    def register(func: JobHandler) -> JobHandler:
        _HANDLERS[kind] = func
        if max_runtime is None:
            _MAX_RUNTIME.pop(kind, None)
        else:
            _MAX_RUNTIME[kind] = max_runtime
        return func

    return register


def default_max_runtime() -> dt.timedelta:
    return dt.timedelta(seconds=settings.FELLES_JOB_MAX_RUNTIME_SECONDS)


def max_runtime(kind: str) -> dt.timedelta:
    """How long a job of `kind` may run before it counts as hung and is taken back."""
    return _MAX_RUNTIME.get(kind) or default_max_runtime()


_PERIODIC: dict[str, dt.timedelta] = {}


def periodic(kind: str, *, minutes: int) -> None:
    """Ask the worker to queue `kind` every `minutes` (one at a time)."""
    _PERIODIC[kind] = dt.timedelta(minutes=minutes)


def schedule_periodic(now: dt.datetime | None = None, *, reclaim: bool = True) -> int:
    """Queue each periodic job that is due and not already queued or running.

    Whatever became of the previous run (succeeded, failed, or its worker died), the next
    one is queued when the interval has passed: a run left RUNNING by a dead worker is
    reclaimed here first, once its lease has expired, so it blocks the schedule no longer
    (`reclaim=False` when the caller has just done so).
    """
    if reclaim:
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


def claim_next(worker: str | None = None, *, only: Job | None = None) -> Job | None:
    """Atomically move one due job from QUEUED to RUNNING, with a fresh lease, and return it.
    The lease never reaches past the job's maximum run time. With `only`, that job or none
    (to run one job now, as the worker would: `run_now`)."""
    worker = worker or _worker_name()
    now = timezone.now()
    due = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=now).order_by(
        "run_after", "id"
    )
    if only is not None:
        due = due.filter(pk=only.pk)

    def claim(kind: str) -> dict[str, Any]:
        return {
            "status": Job.Status.RUNNING,
            "started_at": now,
            "worker": worker,
            "attempts": F("attempts") + 1,
            "heartbeat_at": now,
            "lease_expires_at": now + min(lease_length(), max_runtime(kind)),
        }

    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            job = due.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            Job.objects.filter(pk=job.pk).update(**claim(job.kind))
            job.refresh_from_db()
        else:
            candidate = due.values_list("pk", "kind").first()
            if candidate is None:
                return None
            pk, kind = candidate
            # Conditional update: only one claimant can flip QUEUED → RUNNING.
            if not Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(**claim(kind)):
                return None
            job = Job.objects.get(pk=pk)
    return job


def run_now(job: Job) -> Job:
    """Claim and run `job` in this process, through the worker's own path (claim, lease,
    heartbeat, stored outcome). For a job someone waits for in the same process (the demo's
    import); the job is returned as stored afterwards, unchanged if it was not due."""
    claimed = claim_next(only=job)
    if claimed is None:
        job.refresh_from_db()
        return job
    return run_job(claimed)


def _fenced(job: Job) -> QuerySet[Job]:
    """The job, only while it is still this claim's: RUNNING by the same worker and attempt."""
    return Job.objects.filter(
        pk=job.pk, status=Job.Status.RUNNING, worker=job.worker, attempts=job.attempts
    )


class _Heartbeat(threading.Thread):
    """Renews a running job's lease every third of its length, on its own connection, up to
    the job's maximum run time and no further: a handler that hangs keeps this thread's
    process alive, so the lease must run out on its own for another worker to take over."""

    def __init__(self, job: Job) -> None:
        super().__init__(name=f"job-heartbeat-{job.pk}", daemon=True)
        self.job = job
        self.lease = lease_length()
        self.limit = max_runtime(job.kind)
        self.deadline = (job.started_at or timezone.now()) + self.limit
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.lease.total_seconds() / 3):
                now = timezone.now()
                if now >= self.deadline:
                    logger.error(
                        "job %s (%s): still running after its maximum run time (%s); the lease "
                        "is no longer renewed and another worker will take the job back",
                        self.job.uuid,
                        self.job.kind,
                        self.limit,
                    )
                    return
                try:
                    renewed = _fenced(self.job).update(
                        heartbeat_at=now, lease_expires_at=min(now + self.lease, self.deadline)
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


_CURRENT: contextvars.ContextVar[Job | None] = contextvars.ContextVar("felles_job", default=None)


def current_job() -> Job | None:
    """The job whose handler is running in this thread (None outside a handler)."""
    return _CURRENT.get()


def report_progress(job: Job | None, done: int, total: int, label: str | None = None) -> None:
    """Store how far a running job has come (`done` of `total`, and a short label), for its
    progress page. Written at once on the job's row (fenced on the claim, like every write on
    a running job), so call it between transactions, not inside one that the handler holds
    open: readers on other connections see it only once it is committed. `job` None (a
    handler called outside the worker) does nothing."""
    if job is None or job.pk is None:
        return
    done, total = max(0, int(done)), max(0, int(total))
    fields: dict[str, Any] = {
        "progress_done": min(done, total) if total else done,
        "progress_total": total,
    }
    if label is not None:
        fields["progress_label"] = str(label)[:200]
    if job.status == Job.Status.RUNNING:
        _fenced(job).update(**fields)
    else:
        Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


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
    result: dict[str, Any] | None = None
    report_progress(job, 0, 0, "")
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    token = _CURRENT.set(job)
    try:
        try:
            if func is None:
                raise LookupError(f"Ingen håndterer for jobbtypen «{job.kind}».")
            result = func(job.payload, log)
        finally:
            _CURRENT.reset(token)
            heartbeat.stop()
    except Exception:
        logger.exception("job %s (%s) failed", job.uuid, job.kind)
        error = traceback.format_exc()
    now = timezone.now()
    if not error:
        outcome: dict[str, Any] = {"status": Job.Status.SUCCEEDED, "finished_at": now}
        if isinstance(result, dict):
            outcome["result"] = result
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


def _overran(now: dt.datetime) -> Q:
    """Started longer ago than its kind's maximum run time."""
    overran = Q(started_at__lt=now - default_max_runtime()) & ~Q(kind__in=list(_MAX_RUNTIME))
    for kind, limit in _MAX_RUNTIME.items():
        overran |= Q(kind=kind, started_at__lt=now - limit)
    return overran


def _expired(now: dt.datetime) -> Q:
    # A job claimed before leases existed has none: it counts from its start. A job past
    # its maximum run time counts as expired whatever its lease says (the heartbeat stops
    # renewing then anyway; this also covers a lease taken by an older worker).
    return Q(status=Job.Status.RUNNING) & (
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, started_at__lt=now - lease_length())
        | Q(lease_expires_at__isnull=True, started_at__isnull=True)
        | _overran(now)
    )


def overran(job: Job, now: dt.datetime | None = None) -> bool:
    """Whether a running job has been running longer than its maximum run time."""
    now = now or timezone.now()
    return job.started_at is not None and now - job.started_at > max_runtime(job.kind)


def reclaim_expired(now: dt.datetime | None = None) -> list[Job]:
    """Take back every RUNNING job whose lease has run out (its worker died) or that has run
    past its maximum run time (its handler hangs): back into the queue with back-off, or
    FAILED when it has used up `max_attempts`. Each job is moved by a conditional UPDATE on
    the state read, so two workers reclaiming at once (or a late heartbeat) cannot both win.
    Returns the reclaimed jobs, as stored afterwards."""
    now = now or timezone.now()
    reclaimed: list[Job] = []
    for job in Job.objects.filter(_expired(now)).order_by("id"):
        lease_end = job.lease_expires_at or job.started_at
        if job.started_at is not None and overran(job, now):
            limit = _duration(max_runtime(job.kind))
            reason = (
                f"Jobben ble ikke ferdig innen høyeste kjøretid ({limit}, startet "
                f"{timezone.localtime(job.started_at):%d.%m.%Y %H:%M:%S}): arbeideren henger "
                "eller stoppet under kjøring"
            )
        elif lease_end:
            reason = (
                f"Arbeideren stoppet under kjøring (leiekontrakten utløp "
                f"{timezone.localtime(lease_end):%d.%m.%Y %H:%M:%S})"
            )
        else:
            reason = "Arbeideren stoppet under kjøring (jobben hadde ingen leiekontrakt)"
        reason += (
            f"; arbeider {job.worker or 'ukjent'}, forsøk {job.attempts} av {job.max_attempts}."
        )
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


def _duration(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} t"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def run_pending(limit: int | None = None, *, reclaim: bool = True) -> int:
    """Reclaim jobs whose lease has expired (unless `reclaim=False`: the caller has just
    done so), then run due jobs until none is left (or `limit` ran). Returns how many ran."""
    if reclaim:
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
    """What needs an operator's eye: jobs running past their lease or their maximum run
    time (stuck), and recent failures."""

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
