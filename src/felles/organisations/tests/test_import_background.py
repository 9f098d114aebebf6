"""Large imports run as a background job: confirm → job page with progress → result."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from felles.core import audit, jobs
from felles.core.models import Job
from felles.organisations.models import Person, Role
from felles.organisations.tests.factories import make_person
from felles.organisations.tests.test_import import PEOPLE_CSV, UNITS_CSV, run


@pytest.fixture
def background(settings, personas, actor):
    settings.FELLES_IMPORT_BACKGROUND_ROWS = 2  # every file of two rows or more
    run(personas, "units", UNITS_CSV, actor=actor)
    return personas


def upload(client: Client, text: str) -> str:
    response = client.post(
        "/import/",
        {
            "organisation": "KUD",
            "kind": "people",
            "file": SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    assert "kjører i bakgrunnen" in body and "Importer 4 personer til KUD" in body
    return response.context["token"]


@pytest.mark.django_db(transaction=True)
def test_confirmed_import_runs_as_a_job_with_progress_and_a_result(background, client) -> None:
    client.force_login(background.admin.user)
    token = upload(client, PEOPLE_CSV)
    response = client.post("/import/", {"confirm": token})
    assert response.status_code == 302 and "/import/jobb/" in response["Location"]
    job = Job.objects.get(kind="core.import")
    stored = job.payload["file"]
    assert default_storage.exists(stored) and not stored.endswith("hr.csv")
    assert not Person.objects.filter(employee_number="102").exists()  # nothing yet

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "står i kø" in body and "<progress" in body and 'hx-trigger="every 1s"' in body
    assert '<meta http-equiv="refresh"' in body  # without script: the page refreshes

    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert not default_storage.exists(stored)  # the file is removed once imported

    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # polling stops
    assert "Importen er fullført" in body and "<td>4</td>" in body
    tor = Person.objects.get(employee_number="102")
    assert tor.line_manager.employee_number == "101"
    assert tor.user.username == "tor.radgiver@kud.dep.no"
    assert tor.line_manager.roles.filter(role=Role.LINE_MANAGER).exists()
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_job_validates_again_and_writes_nothing_when_data_changed(background, client):
    client.force_login(background.admin.user)
    token = upload(client, PEOPLE_CSV)
    location = client.post("/import/", {"confirm": token})["Location"]
    make_person(background.fin, "tyv", email="tor.radgiver@kud.dep.no")
    jobs.run_pending()
    body = client.get(location).content.decode()
    assert "E-postadressen tilhører en annen person" in body and "ikke importert" in body
    assert not Person.objects.filter(organisation=background.kud, employee_number="100").exists()


@pytest.mark.django_db(transaction=True)
def test_only_the_person_who_started_an_import_sees_its_page(background, client) -> None:
    client.force_login(background.admin.user)
    token = upload(client, PEOPLE_CSV)
    location = client.post("/import/", {"confirm": token})["Location"]
    other_admin = make_person(background.dss, "admin2", roles=[Role.ADMINISTRATOR])
    client.force_login(other_admin.user)
    assert client.get(location).status_code == 404
    client.force_login(background.coordinator.user)
    assert client.get(location).status_code == 403


@pytest.mark.django_db
def test_small_files_are_still_imported_on_the_page(personas, actor, client) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    client.force_login(personas.admin.user)
    response = client.post(
        "/import/",
        {
            "organisation": "KUD",
            "kind": "people",
            "file": SimpleUploadedFile("hr.csv", PEOPLE_CSV.encode(), content_type="text/csv"),
        },
    )
    assert "bakgrunnen" not in response.content.decode()
    response = client.post("/import/", {"confirm": response.context["token"]}, follow=True)
    assert "Importert: 4 nye" in response.content.decode()
    assert not Job.objects.filter(kind="core.import").exists()
