"""The VF § 72 list's archive: issuing snapshots exactly the live list, a later change in
the register leaves the issued list as it was, only the register's readers reach it (404
for everyone else), every view and download is a logged read, and the disposal job
discards it 10 years after issue with an entry in the discard register (no names)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from felles.core.actor import Actor
from felles.core.errors import Forbidden, ServiceError
from felles.core.models import AuditEvent
from felles.organisations import services as org_services
from felles.security import archive, services, workflow
from felles.security.models import DisposalLog, IssuedList, RegisterRead

SYSTEM = Actor.system("test")
D = dt.date
LIVE = reverse("security_authorised") + "?departement=KUD"
LISTS = reverse("security_issued_lists") + "?departement=KUD"


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _register(world: Any) -> dict[str, Any]:
    """Kari: HEMMELIG, cleared to 18.06.2027; Per: BEGRENSET, no clearance needed."""
    clearance = services.add_clearance(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level="hemmelig",
        decided_on=D(2022, 6, 20),
        expires_on=D(2027, 6, 18),
    )
    services.add_declaration(
        actor=SYSTEM, ministry=world.kud, person=world.employee, signed_on=D(2022, 6, 21)
    )
    kari = services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level="hemmelig",
        granted_on=D(2022, 7, 1),
        authorised_by="Departementsråden",
        conversation_on=D(2022, 6, 25),
    )
    per = services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.manager,
        level="begrenset",
        granted_on=D(2023, 1, 2),
        authorised_by="Departementsråden",
    )
    return {"clearance": clearance, "kari": kari, "per": per}


def _issue(world: Any, person: Any = None, **kwargs: Any) -> IssuedList:
    person = person or world.security
    return archive.issue_list(actor=Actor(user=person.user), ministry=world.kud, **kwargs)


def _url(issued: IssuedList, kind: str = "") -> str:
    url = reverse("security_issued_list", kwargs={"list_id": issued.uuid})
    return f"{url}?format={kind}" if kind else url


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_issuing_snapshots_exactly_the_live_list(world: Any, frozen_clock: Any) -> None:
    rows = _register(world)
    knut = _client(world.security)
    live_csv = knut.get(LIVE + "&format=csv").content
    live_xlsx = _sheet(knut.get(LIVE + "&format=xlsx").content)
    RegisterRead.objects.all().delete()

    issued = _issue(world, label="Til tilsyn")
    assert (issued.row_count, issued.label, issued.issued_by) == (2, "Til tilsyn", world.security)
    assert issued.issuer == world.security.full_name
    assert issued.dispose_on == D(2036, 11, 19)  # issued 18.11.2026: kept 10 years, VF § 78
    assert [r["name"] for r in issued.rows] == [world.employee.full_name, world.manager.full_name]
    assert set(issued.rows[0]) == set(archive.KEYS)  # exactly the export's columns
    assert issued.rows[0]["level"] == "hemmelig" and issued.rows[0]["uncovered"] is False
    assert issued.rows[0]["clearance_expires"] == "2027-06-18"
    assert issued.subjects == [world.employee.pk, world.manager.pk]
    # Stored language-neutral, shown in the reader's language.
    with translation.override("en"):
        headers, lines = archive.table(issued.rows)
    assert headers[0] == "Name" and headers[-1] == "Without a valid clearance"
    secret = "SECRET (HEMMELIG)"
    assert lines[0][4:] == [secret, secret, D(2027, 6, 18), D(2022, 6, 25), ""]
    # The issued list's export is byte for byte the live export's content.
    assert knut.get(_url(issued, "csv")).content == live_csv
    assert _sheet(knut.get(_url(issued, "xlsx")).content) == live_xlsx
    # Issuing read the live rows (logged like an export); the audit names no one.
    issued_reads = RegisterRead.objects.filter(route=RegisterRead.Route.ISSUE)
    assert set(issued_reads.values_list("row", flat=True)) == {
        rows["kari"].uuid,
        rows["per"].uuid,
        rows["clearance"].uuid,
    }
    event = AuditEvent.objects.get(action="security.list.issue")
    assert world.employee.last_name not in str(event.changes)
    # The list page offers issuing; the archive lists it with its disposal date.
    assert "Utsted og arkiver listen" in knut.get(LIVE).content.decode()
    archive_page = knut.get(LISTS).content.decode()
    assert "19.11.2036" in archive_page and "Til tilsyn" in archive_page
    assert world.employee.full_name not in archive_page  # the archive's index is no read


def test_the_issue_button_posts_and_the_issued_list_survives_register_changes(
    world: Any, frozen_clock: Any
) -> None:
    rows = _register(world)
    knut = _client(world.security)
    response = knut.post(reverse("security_issue"), {"departement": "KUD", "label": ""})
    assert response.status_code == 302 and response["Location"] == LISTS
    issued = IssuedList.objects.get()
    before_csv = knut.get(_url(issued, "csv")).content
    old_name = world.employee.full_name
    # Per's authorisation ends, Kari is renamed and moves title, Hanne is authorised.
    services.end_authorisation(actor=SYSTEM, row=rows["per"], ended_on=D(2026, 11, 17))
    org_services.save_person(
        actor=SYSTEM,
        organisation=world.kud,
        person=world.employee,
        values={"last_name": "Nyland", "title": "Seniorrådgiver"},
    )
    services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.head,
        level="begrenset",
        granted_on=D(2026, 11, 1),
        authorised_by="Departementsråden",
    )
    live = knut.get(LIVE).content.decode()
    assert "Nyland" in live and world.manager.full_name not in live
    issued.refresh_from_db()
    assert issued.row_count == 2
    assert knut.get(_url(issued, "csv")).content == before_csv
    page = knut.get(_url(issued)).content.decode()
    assert old_name in page
    assert "Nyland" not in page and world.manager.full_name in page
    assert world.head.full_name not in page


def test_only_the_registers_readers_reach_issued_lists_and_each_read_is_logged(
    world: Any, frozen_clock: Any
) -> None:
    _register(world)
    issued = _issue(world)
    RegisterRead.objects.all().delete()
    for person in (world.security, world.deputy, world.sigrid, world.head):
        client = _client(person)
        assert client.get(LISTS).status_code == 200, person
        assert client.get(_url(issued)).status_code == 200, person
    # Each view is one read per person on the list (the list, not the live rows).
    views = RegisterRead.objects.filter(route=RegisterRead.Route.ISSUED)
    assert views.count() == 4 * 2
    assert set(views.values_list("kind", "row", "subject")) == {
        ("issued_list", issued.uuid, world.employee.pk),
        ("issued_list", issued.uuid, world.manager.pk),
    }
    _client(world.sigrid).get(_url(issued, "xlsx"))
    assert RegisterRead.objects.filter(route="export", kind="issued_list").count() == 2
    outside = (world.frode, world.agent, world.coordinator, world.manager, world.auditor)
    for person in (*outside, world.outsider):
        client = _client(person)
        assert client.get(LISTS).status_code == 404, person
        assert client.get(_url(issued)).status_code == 404, person
        assert client.get(_url(issued, "csv")).status_code == 404, person
        response = client.post(reverse("security_issue"), {"departement": "KUD"})
        assert response.status_code == 404, person
    assert IssuedList.objects.count() == 1
    # Frode's FIN archive is his own: KUD's list is not on it.
    fin = _client(world.frode).get(reverse("security_issued_lists")).content.decode()
    assert str(issued.uuid) not in fin
    # The read log shows the reads of the issued list to the ministry side.
    log = _client(world.security).get(reverse("security_reads")).content.decode()
    assert "Utstedt autorisasjonsliste" in log


def test_bad_input_is_refused_and_nothing_is_saved(world: Any, frozen_clock: Any) -> None:
    _register(world)
    with pytest.raises(Forbidden):
        _issue(world, world.frode)  # FIN's coordinator does not serve KUD
    with pytest.raises(Forbidden):
        _issue(world, world.agent)  # a DSS agent outside the personnel-security team
    with pytest.raises(ServiceError, match="Høyst 200 tegn"):
        _issue(world, label="x" * 201)
    with pytest.raises(ServiceError, match="ugyldig tegn"):
        _issue(world, label="Til\x00 tilsyn")
    with pytest.raises(ServiceError, match="ugyldig tegn"):
        _issue(world, label="Til\x1b tilsyn")
    assert IssuedList.objects.count() == 0
    knut = _client(world.security)
    for body in (
        {"departement": "KUD", "label": "x" * 300},
        {"departement": "KUD", "label": "Til\x1b tilsyn"},
    ):
        response = knut.post(reverse("security_issue"), body)
        assert response.status_code == 302 and response["Location"] == LIVE
    # A NUL byte is refused before the view (core.middleware), never a 500.
    assert knut.post(reverse("security_issue"), {"departement": "\x00"}).status_code == 422
    assert knut.post(reverse("security_issue"), {"label": "a\x00"}).status_code == 422
    for body in ({"departement": "FIN"}, {"departement": "X" * 500}):
        assert knut.post(reverse("security_issue"), body).status_code == 404
    assert knut.get(reverse("security_issue")).status_code == 405
    assert IssuedList.objects.count() == 0
    issued = _issue(world)
    assert knut.get(_url(issued, "pdf")).status_code == 200  # an unknown format: the page
    missing = reverse("security_issued_list", kwargs={"list_id": world.kud.uuid})
    assert knut.get(missing).status_code == 404


def test_disposal_ten_years_after_issue_with_a_discard_register_entry(world: Any) -> None:
    _register(world)
    with time_machine.travel(dt.datetime(2024, 2, 29, 10, 0, tzinfo=dt.UTC), tick=False):
        leap = _issue(world)
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False):
        later = _issue(world)
    assert leap.dispose_on == D(2034, 3, 1)  # kept to 28.02.2034 (no 29 February)
    assert later.dispose_on == D(2036, 11, 19)
    assert [e["pk"] for e in workflow.disposal_plan(D(2034, 2, 28))] == []
    plan = workflow.disposal_plan(D(2034, 3, 1))
    assert [(e["kind"], e["pk"]) for e in plan] == [("issued_list", leap.pk)]
    # The dry run lists exactly what the run disposes; the auditor sees the dry run too.
    assert workflow.dispose(actor=SYSTEM, today=D(2034, 3, 1)) == {"issued_list": 1}
    assert list(IssuedList.objects.values_list("pk", flat=True)) == [later.pk]
    entry = DisposalLog.objects.get()
    assert (entry.kind, entry.due_on, entry.disposed_on, entry.ministry) == (
        "issued_list",
        D(2034, 3, 1),
        D(2034, 3, 1),
        world.kud,
    )
    assert entry.concerns == "Autorisasjonsliste utstedt 29.02.2024, 2 personer"
    for person in (world.employee, world.manager):
        assert person.last_name not in entry.concerns
    page = _client(world.auditor).get(reverse("security_disposal")).content.decode()
    assert "Utstedt autorisasjonsliste (VF § 72)" in page
    assert workflow.disposal_plan(D(2034, 3, 1)) == []
    # The register's rows are untouched by the list's disposal.
    assert workflow.dispose(actor=SYSTEM, today=D(2036, 11, 19)) == {"issued_list": 1}
    assert not IssuedList.objects.exists()
