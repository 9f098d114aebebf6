"""Background jobs: queued after commit, claimed once, outcome stored."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from felles.core import jobs
from felles.core.actor import Actor
from felles.core.models import Job

CALLS: list[dict] = []


@jobs.handler("test.echo")
def echo(payload: dict, log) -> None:
    log(f"echo {payload['n']}")
    CALLS.append(payload)


@jobs.handler("test.fail")
def fail(payload: dict, log) -> None:
    log("about to fail")
    raise ValueError("boom")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_job_is_queued_only_when_the_transaction_commits(actor: Actor) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue("test.echo", {"n": 1}, actor=actor)
        raise RuntimeError("rollback")
    assert Job.objects.count() == 0
    with transaction.atomic():
        jobs.enqueue("test.echo", {"n": 2}, actor=actor)
    assert Job.objects.get().status == Job.Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_worker_runs_each_job_once_and_stores_the_log(actor: Actor) -> None:
    for n in range(3):
        jobs.enqueue("test.echo", {"n": n}, actor=actor)
    call_command("worker", once=True, interval=0)
    assert sorted(c["n"] for c in CALLS) == [0, 1, 2]
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.SUCCEEDED}
    assert "echo 0" in Job.objects.get(payload__n=0).log
    assert jobs.run_pending() == 0  # nothing runs twice


@pytest.mark.django_db(transaction=True)
def test_claim_is_exclusive(actor: Actor) -> None:
    jobs.enqueue("test.echo", {"n": 1}, actor=actor)
    first = jobs.claim_next("worker-a")
    second = jobs.claim_next("worker-b")
    assert first is not None and first.worker == "worker-a" and first.attempts == 1
    assert second is None


@pytest.mark.django_db(transaction=True)
def test_failing_job_is_retried_then_marked_failed(actor: Actor) -> None:
    jobs.enqueue("test.fail", {}, actor=actor)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    job = jobs.run_job(jobs.claim_next())
    assert job.status == Job.Status.QUEUED and "ValueError: boom" in job.error
    Job.objects.filter(pk=job.pk).update(run_after=job.created_at)
    job = jobs.run_job(jobs.claim_next())
    assert job.status == Job.Status.FAILED
    assert "about to fail" in job.log


def test_unknown_kind_is_refused(actor: Actor) -> None:
    with pytest.raises(ValueError):
        jobs.enqueue("no.such.job", {}, actor=actor)


@pytest.mark.django_db(transaction=True)
def test_running_job_whose_lease_expired_is_requeued(actor: Actor) -> None:
    import datetime as dt

    from django.utils import timezone

    jobs.enqueue("test.echo", {"n": 9}, actor=actor)
    job = jobs.claim_next()
    assert job.lease_expires_at > timezone.now()
    assert jobs.reclaim_expired() == []  # a live lease is left alone
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    [reclaimed] = jobs.reclaim_expired()
    assert reclaimed.status == Job.Status.QUEUED and reclaimed.worker == ""
    assert "Arbeideren stoppet under kjøring" in reclaimed.error
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())  # skip the back-off
    assert jobs.run_pending() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_worker_that_lost_its_lease_cannot_overwrite_the_reclaim(actor: Actor) -> None:
    import datetime as dt

    from django.utils import timezone

    jobs.enqueue("test.echo", {"n": 7}, actor=actor)
    job = jobs.claim_next("worker-a")  # worker-a hangs past its lease …
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert len(jobs.reclaim_expired()) == 1
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    rerun = jobs.claim_next("worker-b")  # … another worker has taken the job over …
    assert rerun.pk == job.pk and rerun.attempts == 2
    assert jobs.run_job(job).status == Job.Status.RUNNING  # … so worker-a's result is dropped
    assert jobs.run_job(rerun).status == Job.Status.SUCCEEDED
    assert [c["n"] for c in CALLS] == [7, 7]  # at least once: handlers must be repeatable


def test_job_page_lists_jobs_in_pages_for_administrators(personas, client) -> None:
    Job.objects.bulk_create([Job(kind="test.echo", payload={"n": n}) for n in range(55)])
    client.force_login(personas.admin.user)
    body = client.get("/jobber/").content.decode()
    assert "Side 1 av 2" in body and "side=2" in body
    assert "Side 2 av 2" in client.get("/jobber/", {"side": 2}).content.decode()


def test_periodic_jobs_are_queued_once_per_interval(db) -> None:
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    assert jobs.schedule_periodic(now) >= 1  # orders.scan is registered by the orders app
    assert jobs.schedule_periodic(now) == 0  # already queued
    Job.objects.filter(kind="orders.scan").update(status=Job.Status.SUCCEEDED)
    assert jobs.schedule_periodic(now + dt.timedelta(minutes=5)) == 0
    assert jobs.schedule_periodic(now + dt.timedelta(minutes=16)) >= 1
    Job.objects.filter(status=Job.Status.QUEUED).update(run_after=now)
    ran = jobs.run_pending()
    assert ran >= 1
    assert "avsluttet 0" in Job.objects.filter(kind="orders.scan").latest("created_at").log


@jobs.handler("test.slow", max_runtime=60)
def slow(payload: dict, log) -> None:
    log("slow")


def test_max_runtime_per_kind_caps_the_lease_and_marks_a_job_past_it_stuck(
    actor: Actor, personas, client
) -> None:
    import datetime as dt

    from django.utils import timezone

    assert jobs.max_runtime("test.slow") == dt.timedelta(minutes=1)
    assert jobs.max_runtime("test.echo") == dt.timedelta(minutes=15)  # the default
    Job.objects.create(kind="test.slow", created_by_label=actor.label)
    job = jobs.claim_next("worker-a")
    assert job.lease_expires_at == job.started_at + dt.timedelta(minutes=1)  # not 2 min
    # A lease that reaches further (an older worker's) does not keep the job from counting
    # as stuck once it has run longer than its maximum run time …
    Job.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=61),
        lease_expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    job.refresh_from_db()
    assert jobs.health(job.started_at + dt.timedelta(seconds=59)).stuck == []
    assert [j.pk for j in jobs.health().stuck] == [job.pk]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("worker", status=True, stdout=out)
    assert f"FASTLÅST test.slow {job.uuid}" in out.getvalue()
    assert "over høyeste kjøretid" in out.getvalue()
    client.force_login(personas.admin.user)
    body = client.get("/jobber/").content.decode()
    assert "1 jobb står fast" in body and str(job.uuid) in body[: body.index("<table")]
    assert 'data-color="danger">Fastlåst</span>' in body
    # … and it is taken back.
    [reclaimed] = jobs.reclaim_expired()
    assert reclaimed.status == Job.Status.QUEUED
    assert "ikke ferdig innen høyeste kjøretid (1 min" in reclaimed.error


@pytest.mark.django_db(transaction=True)
def test_worker_reclaims_once_per_pass(actor: Actor, monkeypatch) -> None:
    calls: list[None] = []
    reclaim = jobs.reclaim_expired

    def counted(*args, **kwargs):
        calls.append(None)
        return reclaim(*args, **kwargs)

    monkeypatch.setattr(jobs, "reclaim_expired", counted)
    jobs.enqueue("test.echo", {"n": 1}, actor=actor)
    call_command("worker", once=True, interval=0, stdout=StringIO())
    assert len(calls) == 1 and CALLS == [{"n": 1}]


def test_smtp_connections_time_out() -> None:
    from django.conf import settings
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT == 30
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == 30  # Django's default (None) would wait for ever
