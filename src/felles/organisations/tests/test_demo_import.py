"""The demo has a completed background job to show: KUD's HR export, imported by the
administrator through the worker's code path."""

from __future__ import annotations

from django.test import Client

from felles.core import audit
from felles.core.models import AuditEvent, Job
from felles.organisations import demo
from felles.organisations.models import Person


def test_the_demo_imports_an_hr_export_as_a_finished_job(db, actor, client: Client) -> None:
    from felles.organisations import services

    services.sync_reference_organisations(actor=actor)
    demo.load(actor=actor)
    job = Job.objects.get(kind="core.import")
    assert job.status == Job.Status.SUCCEEDED and job.created_by_label == "admin"
    assert job.result["outcome"] == "done"
    counts = job.result["counts"]
    assert (counts["created"], counts["deactivated"]) == (2, 1)
    assert counts["updated"] == 4  # three promotions and the one who left
    assert job.progress_done == job.progress_total > 0
    assert Person.objects.filter(employee_number="KUD-NY1", active=True).exists()
    assert (
        AuditEvent.objects.filter(action="organisations.person.create", actor_label="admin").count()
        == 2
    )
    assert audit.verify_chain().ok
    client.force_login(Person.objects.get(user__username="admin").user)
    page = client.get(f"/import/jobb/{job.uuid}/").content.decode()
    assert "Importen er fullført" in page and "hr-eksport-kud.csv" in page
