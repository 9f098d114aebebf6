"""Workers that die or hang: a real `felles worker` process is killed with SIGKILL in the
middle of a job, or its handler blocks for ever. Its lease runs out (for a hung handler at
the job's maximum run time), another worker takes the job back (and runs it, or fails it
once its attempts are used up), periodic jobs keep their schedule, and the stuck and failed
jobs show in `felles worker --status` and on the jobs page."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from felles.core import jobs
from felles.core.actor import Actor
from felles.core.models import Job

ROOT = Path(__file__).resolve().parents[4]

# The child is a real worker (`felles worker …`) with three test handlers: one that blocks
# the first time it runs (until killed), one that kills its own process and one that hangs
# for ever (as an SMTP call without a timeout would). FELLES_TEST_PERIODIC
# names the only periodic job it schedules (none when empty); that job blocks the same way.
CHILD = """
import os, signal, sys, threading, time
import django
django.setup()
from felles.core import jobs

def blocking(run):
    def handler(payload, log):
        gate = os.environ["FELLES_TEST_GATE"]
        if not os.path.exists(gate):
            open(gate, "w").close()
            time.sleep(600)  # killed long before this ends
        run(payload, log)
    return handler

jobs.handler("test.block")(blocking(lambda payload, log: log("done")))
jobs.handler("test.suicide")(lambda payload, log: os.kill(os.getpid(), signal.SIGKILL))
jobs.handler("test.hang")(lambda payload, log: threading.Event().wait())  # never returns
periodic = os.environ.get("FELLES_TEST_PERIODIC", "")
for kind in list(jobs._PERIODIC):
    if kind != periodic:
        del jobs._PERIODIC[kind]
if periodic:
    jobs.handler(periodic)(blocking(jobs._HANDLERS[periodic]))

from felles.cli import main
main(["felles", *sys.argv[1:]])
"""


@jobs.handler("test.block")
def finish_block(payload: dict[str, Any], log: Any) -> None:
    log("done")  # in this process the gate is open: the job just finishes


def _child_env(
    lease: int, gate: Path, periodic: str = "", max_runtime: int = 900
) -> dict[str, str]:
    """The environment of a worker on this test's database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "felles.conf.settings",
        "FELLES_SECRET_KEY": "job-crash-test",
        "FELLES_JOB_LEASE_SECONDS": str(lease),
        "FELLES_JOB_MAX_RUNTIME_SECONDS": str(max_runtime),
        "FELLES_TEST_GATE": str(gate),
        "FELLES_TEST_PERIODIC": periodic,
        "PYTHONPATH": str(ROOT / "src"),
    }
    if db["ENGINE"] == "django.db.backends.sqlite3":
        env.pop("DATABASE_URL", None)
        env["FELLES_SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    return env


def _worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CHILD, "worker", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD, "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(child: subprocess.Popen[str], condition: Any, what: str, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.order_by("-id").first()
        if job is not None and condition(job):
            return job
        if child.poll() is not None:
            break
        time.sleep(0.1)
    if child.poll() is None:
        child.kill()
    _, err = child.communicate(timeout=30)
    raise AssertionError(f"{what} did not happen; worker said:\n{err}")


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _wait_past_lease(job: Job) -> None:
    job.refresh_from_db()
    assert job.lease_expires_at is not None
    time.sleep(max(0.0, (job.lease_expires_at - timezone.now()).total_seconds()) + 0.2)


def _status(settings: Any, max_runtime: int = 900) -> tuple[int, str]:
    """`felles worker --status` (its exit status and report), run here rather than in a
    process of its own (a second start of Django): the report only reads the database.
    `max_runtime` is the workers' FELLES_JOB_MAX_RUNTIME_SECONDS."""
    settings.FELLES_JOB_MAX_RUNTIME_SECONDS = max_runtime
    out = StringIO()
    try:
        call_command("worker", status=True, stdout=out)
    except CommandError:
        return 1, out.getvalue()
    return 0, out.getvalue()


def _make_due(job: Job) -> None:
    """Skip the retry back-off (a minute and more) instead of waiting it out."""
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_job_is_reclaimed_by_another_worker(actor: Actor, tmp_path: Path) -> None:
    env = _child_env(lease=2, gate=tmp_path / "gate")
    jobs.enqueue("test.block", {}, actor=actor)
    child = _start_worker(env)
    try:
        # The live worker's heartbeat renews the lease while the handler runs …
        job = _wait_for(
            child,
            lambda j: j.status == Job.Status.RUNNING and j.heartbeat_at > j.started_at,
            "a heartbeat",
        )
        assert job.lease_expires_at > job.heartbeat_at and job.attempts == 1
    finally:
        _kill(child)
    # … so nobody takes the job while its lease lasts, although its worker is dead now.
    assert jobs.reclaim_expired() == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    _wait_past_lease(job)
    # Another worker's loop takes it back: queued again (attempt 1 of 3) with back-off.
    other = _worker(env, "--once")
    assert other.returncode == 0, other.stderr
    assert f"Tok tilbake test.block {job.uuid} (lagt i kø igjen)" in other.stdout
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.worker == "" and job.lease_expires_at is None
    assert "Arbeideren stoppet under kjøring (leiekontrakten utløp" in job.error
    assert job.run_after > timezone.now()
    _make_due(job)
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2 and "done" in job.log


@pytest.mark.django_db(transaction=True)
def test_job_that_kills_its_worker_ends_failed_after_max_attempts(
    actor: Actor, tmp_path: Path, settings: Any
) -> None:
    env = _child_env(lease=1, gate=tmp_path / "gate")
    Job.objects.create(kind="test.suicide", max_attempts=2, created_by_label=actor.label)
    for attempt in (1, 2):
        died = _worker(env, "--once")
        assert died.returncode == -signal.SIGKILL, died.stderr
        job = Job.objects.get()
        assert job.status == Job.Status.RUNNING and job.attempts == attempt
        _wait_past_lease(job)
        survivor = _worker(env, "--once")  # reclaims, and runs nothing that is not due
        assert survivor.returncode == 0, survivor.stderr
        job.refresh_from_db()
        if attempt == 1:
            assert job.status == Job.Status.QUEUED
            _make_due(job)
    assert job.status == Job.Status.FAILED and job.attempts == 2
    assert job.finished_at is not None and job.lease_expires_at is None
    assert "Arbeideren stoppet under kjøring" in job.error
    assert "forsøk 2 av 2" in job.error and "Ingen flere forsøk" in job.error
    assert f"Tok tilbake test.suicide {job.uuid} (feilet)" in survivor.stdout
    assert jobs.run_pending() == 0  # no loop: nothing left to run
    code, report = _status(settings)
    assert code == 1
    assert f"FEILET test.suicide {job.uuid}" in report
    assert "forsøk 2 av 2: Arbeideren stoppet under kjøring" in report


@pytest.mark.django_db(transaction=True)
def test_hung_job_is_reported_and_reclaimed_after_its_maximum_run_time(
    actor: Actor, tmp_path: Path, settings: Any
) -> None:
    env = _child_env(lease=1, gate=tmp_path / "gate", max_runtime=2)
    Job.objects.create(kind="test.hang", created_by_label=actor.label)
    child = _start_worker(env)
    try:
        # While the handler is within its maximum run time, the heartbeat renews the lease …
        job = _wait_for(
            child,
            lambda j: j.status == Job.Status.RUNNING and j.heartbeat_at > j.started_at,
            "a heartbeat",
        )
        assert job.lease_expires_at <= job.started_at + dt.timedelta(seconds=2)
        # … and after it no more: the lease runs out although the worker lives on, hung
        # (past the deadline by more than one heartbeat interval, a third of the lease).
        deadline = job.started_at + dt.timedelta(seconds=2)
        time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.7)
        job.refresh_from_db()
        assert child.poll() is None, "the hung worker is still alive"
        assert job.status == Job.Status.RUNNING and job.lease_expires_at <= deadline
        code, report = _status(settings, max_runtime=2)
        assert code == 1, report
        assert f"FASTLÅST test.hang {job.uuid}" in report
        assert "over høyeste kjøretid" in report
        # Another worker takes the job back: queued again (attempt 1 of 3) with back-off.
        other = _worker(env, "--once")
        assert other.returncode == 0, other.stderr
        assert f"Tok tilbake test.hang {job.uuid} (lagt i kø igjen)" in other.stdout
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED and job.worker == "" and job.attempts == 1
        assert "Jobben ble ikke ferdig innen høyeste kjøretid (2 s" in job.error
        assert "arbeideren henger" in job.error and job.run_after > timezone.now()
        assert _status(settings, max_runtime=2)[0] == 0  # nothing stuck any more
    finally:
        _kill(child)


@pytest.mark.django_db(transaction=True)
def test_periodic_job_is_rescheduled_after_its_worker_was_killed(tmp_path: Path) -> None:
    env = _child_env(lease=2, gate=tmp_path / "gate", periodic="orders.scan")
    child = _start_worker(env)
    try:
        scan = _wait_for(
            child,
            lambda j: j.kind == "orders.scan" and j.status == Job.Status.RUNNING,
            "the orders scan",
        )
    finally:
        _kill(child)
    Job.objects.filter(pk=scan.pk).update(max_attempts=1)  # this was its last attempt
    scans = Job.objects.filter(kind="orders.scan")
    later = timezone.now() + dt.timedelta(minutes=16)
    # While its lease lasts, the run counts as running: no second scan is queued …
    jobs.schedule_periodic(later)
    assert list(scans.values_list("pk", flat=True)) == [scan.pk]
    _wait_past_lease(scan)
    # … and once it has run out, the dead run ends as failed and the schedule goes on.
    jobs.schedule_periodic(later)
    scan.refresh_from_db()
    assert scan.status == Job.Status.FAILED and "Arbeideren stoppet" in scan.error
    assert scans.filter(status=Job.Status.QUEUED).count() == 1
    Job.objects.filter(status=Job.Status.QUEUED).update(run_after=timezone.now())
    assert jobs.run_pending() >= 1
    rerun = scans.latest("id")
    assert rerun.pk != scan.pk and rerun.status == Job.Status.SUCCEEDED
    assert "avsluttet 0" in rerun.log


def test_stuck_and_failed_jobs_are_reported_by_the_worker_and_the_jobs_page(
    personas: Any, client: Any
) -> None:
    now = timezone.now()
    stuck = Job.objects.create(
        kind="orders.scan",
        status=Job.Status.RUNNING,
        attempts=1,
        worker="vm-3:4711",
        started_at=now - dt.timedelta(minutes=10),
        heartbeat_at=now - dt.timedelta(minutes=9),
        lease_expires_at=now - dt.timedelta(minutes=7),
    )
    running = Job.objects.create(
        kind="sla.scan",
        status=Job.Status.RUNNING,
        attempts=1,
        worker="vm-3:4712",
        started_at=now,
        lease_expires_at=now + dt.timedelta(minutes=2),
    )
    failed = Job.objects.create(
        kind="test.fail",
        status=Job.Status.FAILED,
        attempts=3,
        finished_at=now - dt.timedelta(hours=1),
        error="Traceback (most recent call last):\nValueError: boom",
    )
    Job.objects.create(  # an old failure is history, not an alarm
        kind="test.fail",
        status=Job.Status.FAILED,
        attempts=3,
        finished_at=now - dt.timedelta(days=3),
        error="ValueError: old",
    )

    health = jobs.health(now)
    assert [j.pk for j in health.stuck] == [stuck.pk]
    assert [j.pk for j in health.failed] == [failed.pk]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("worker", status=True, stdout=out)
    text = out.getvalue()
    assert "1 fastlåst(e), 1 feilet" in text
    assert f"FASTLÅST orders.scan {stuck.uuid}: arbeider vm-3:4711" in text
    assert f"FEILET test.fail {failed.uuid}" in text and "ValueError: boom" in text
    assert str(running.uuid) not in text and "ValueError: old" not in text

    client.force_login(personas.admin.user)
    body = client.get("/jobber/").content.decode()
    assert "1 jobb står fast" in body and "1 jobb har feilet det siste døgnet" in body
    alarm = body[: body.index("<table")]
    assert str(stuck.uuid) in alarm and "vm-3:4711" in alarm
    assert str(failed.uuid) in alarm and "ValueError: boom" in alarm
    assert str(running.uuid) not in alarm
    assert 'data-color="danger">Fastlåst</span>' in body  # its row in the table too

    Job.objects.filter(pk__in=[stuck.pk, failed.pk]).delete()
    out = StringIO()
    call_command("worker", status=True, stdout=out)
    assert "ingen fastlåste eller feilede" in out.getvalue()
    assert "står fast" not in client.get("/jobber/").content.decode()
