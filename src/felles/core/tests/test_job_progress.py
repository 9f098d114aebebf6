"""Jobs report their progress while they run and keep their result for the result page."""

from __future__ import annotations

import pytest

from felles.core import jobs
from felles.core.actor import Actor
from felles.core.models import Job

SEEN: list[tuple[int, int, str]] = []


@jobs.handler("test.progress")
def counting(payload: dict, log) -> dict:
    job = jobs.current_job()
    assert job is not None
    for done in range(0, payload["n"] + 1, 5):
        jobs.report_progress(job, done, payload["n"], "Teller")
        stored = Job.objects.get(pk=job.pk)
        SEEN.append((stored.progress_done, stored.progress_total, stored.progress_label))
    return {"counted": payload["n"]}


@jobs.handler("test.progress_fails_once")
def fails_once(payload: dict, log) -> None:
    job = jobs.current_job()
    jobs.report_progress(job, 7, 10, "Halvveis")
    if job.attempts == 1:
        raise RuntimeError("first attempt fails")


@pytest.fixture(autouse=True)
def _reset() -> None:
    SEEN.clear()


@pytest.mark.django_db(transaction=True)
def test_progress_is_stored_while_the_job_runs_and_the_result_kept(actor: Actor) -> None:
    jobs.enqueue("test.progress", {"n": 10}, actor=actor)
    assert jobs.run_pending() == 1
    assert SEEN == [(0, 10, "Teller"), (5, 10, "Teller"), (10, 10, "Teller")]
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (10, 10)
    assert job.result == {"counted": 10}
    assert jobs.current_job() is None  # only set while the handler runs


@pytest.mark.django_db(transaction=True)
def test_a_retried_job_starts_its_progress_again(actor: Actor) -> None:
    jobs.enqueue("test.progress_fails_once", actor=actor)
    job = jobs.claim_next("worker-a")
    jobs.run_job(job)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    job = jobs.claim_next("worker-a") or Job.objects.get()
    if job.status == Job.Status.QUEUED:  # back-off: run it now
        Job.objects.filter(pk=job.pk).update(run_after=job.created_at)
        job = jobs.claim_next("worker-a")
    assert job.progress_done == 7  # still the first attempt's until it starts
    jobs.run_job(job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.progress_label) == (7, 10, "Halvveis")


def test_progress_outside_the_worker_does_nothing() -> None:
    jobs.report_progress(None, 1, 2, "ingen jobb")  # no database touched
