"""Set-based writes for imports: `audit.record_many` chains like `record`, and the bulk
INSERT/UPDATE helpers store what the ORM would."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.bulk import insert_objects, insert_values, update_rows
from felles.core.models import AuditEvent, Job
from felles.organisations.models import Organisation


@pytest.mark.django_db
def test_record_many_continues_the_chain_as_record_does(personas, actor: Actor) -> None:
    kud, fin = personas.kud, personas.fin
    before = AuditEvent.objects.count()
    with transaction.atomic():
        audit.record(actor=actor, action="test.one", obj=kud, changes={"a": [1, 2]})
        written = audit.record_many(
            actor=actor,
            entries=[
                audit.Entry("test.many", kud, {"name": [None, "Å"]}, kud.pk),
                audit.Entry("test.many", fin, {}, None, "FIN med egen beskrivelse"),
            ],
        )
        audit.record(actor=actor, action="test.after", obj=fin)
    assert written == 2
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert [e.action for e in events] == ["test.one", "test.many", "test.many", "test.after"]
    assert events[1].changes == {"name": [None, "Å"]} and events[1].organisation_id == kud.pk
    assert events[1].object_id == str(kud.uuid) and events[1].object_repr == str(kud)
    assert events[2].object_repr == "FIN med egen beskrivelse"
    assert events[1].uuid != events[2].uuid
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_many_must_run_in_a_transaction(actor: Actor) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        audit.record_many(actor=actor, entries=[audit.Entry("test", Organisation(), {})])


@pytest.mark.django_db
def test_bulk_insert_and_update_store_what_the_orm_reads_back(db) -> None:
    now = timezone.now().replace(microsecond=0)
    jobs = [
        Job(kind=f"test.{n}", payload={"n": n, "tekst": "æøå"}, run_after=now) for n in range(3)
    ]
    insert_objects(jobs)
    assert all(job.pk for job in jobs)
    stored = Job.objects.get(pk=jobs[1].pk)
    assert stored.payload == {"n": 1, "tekst": "æøå"} and stored.uuid == jobs[1].uuid
    assert stored.run_after == now and stored.started_at is None
    for n, job in enumerate(jobs):
        job.status, job.started_at, job.progress_done = Job.Status.RUNNING, now, n * 10
    jobs[2].started_at = None
    assert update_rows(jobs, ["status", "started_at", "progress_done"]) == 3
    assert list(
        Job.objects.order_by("pk").values_list("status", "started_at", "progress_done")
    ) == [
        (Job.Status.RUNNING, now, 0),
        (Job.Status.RUNNING, now, 10),
        (Job.Status.RUNNING, None, 20),
    ]
    keys = insert_values(
        Job,
        [
            "kind",
            "uuid",
            "payload",
            "run_after",
            "created_at",
            "status",
            "attempts",
            "max_attempts",
            "log",
            "error",
            "worker",
            "created_by_label",
            "progress_done",
            "progress_total",
            "progress_label",
            "result",
        ],
        [
            [
                "test.raw",
                uuid.uuid4(),
                {},
                now - dt.timedelta(days=1),
                now,
                "queued",
                0,
                3,
                "",
                "",
                "",
                "",
                0,
                0,
                "",
                {"ok": True},
            ]
        ],
        returning=True,
    )
    assert Job.objects.get(pk=keys[0]).result == {"ok": True}
    assert Organisation.objects.count() == 0  # nothing else touched
