"""Archive jobs, reports, approvals, disposal, spot checks and inspections: who may do
what, what bad input answers, and that nothing is half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.records import demo, selectors, services
from felles.records.models import ArchiveJob, RetentionDecision, SpotCheck, SpotCheckItem

HTML = b"<!DOCTYPE html>\n<html><head><title>Arkade 5</title></head><body>OK</body></html>"


def as_(person) -> Actor:
    return Actor(user=person.user)


def journal(rows: int) -> bytes:
    lines = ["Saksnummer;Tittel;Saksbehandler"]
    lines += [f"2026/{n};Sak {n};SB" for n in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


def test_reach_is_the_ministry_side_and_the_archive_team(archive) -> None:
    p = archive
    assert selectors.reach(p.eva.user) == frozenset({p.kud.pk})
    assert selectors.reach(p.manager.user) == frozenset({p.kud.pk})
    assert selectors.reach(p.dag.user) is None  # a DIO agent serving every ministry
    for other in (p.employee, p.outsider, p.agent, p.dio_other, p.admin, p.auditor):
        assert selectors.reach(other.user) == frozenset(), other
    job = p.job()
    assert list(ArchiveJob.objects.visible_to(p.eva.user)) == [job]
    assert not ArchiveJob.objects.visible_to(p.outsider.user).exists()
    assert not ArchiveJob.objects.visible_to(p.dio_other.user).exists()


def test_only_the_archive_team_opens_a_job_and_only_for_an_archive_order(archive) -> None:
    p = archive
    order = p.order()
    with pytest.raises(Forbidden):
        services.open_job(actor=as_(p.eva), order=order, values={"title": "X"})
    with pytest.raises(ServiceError) as exc:
        services.open_job(actor=as_(p.dag), order=order, values={"title": "  "})
    assert exc.value.field_errors == {"title": ["Må fylles ut."]}
    job = services.open_job(actor=as_(p.dag), order=order, values={"title": "Avlevering"})
    assert job.kind == ArchiveJob.Kind.DEPOSIT  # from the service
    with pytest.raises(Conflict):
        services.open_job(actor=as_(p.dag), order=order, values={"title": "Igjen"})
    phone = p.order("if-kurs")
    with pytest.raises(ServiceError):
        services.open_job(actor=Actor.system("t"), order=phone, values={"title": "Kurs"})
    assert ArchiveJob.objects.count() == 1


def test_report_is_type_checked_by_content_and_size_limited(archive) -> None:
    p = archive
    job = p.job()
    for content in (b"\x89PNG\r\n\x1a\n....", b"just text", b"", b"PK\x03\x04zip"):
        with pytest.raises(ServiceError):
            services.upload_report(actor=as_(p.dag), job=job, name="rapport.html", content=content)
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ServiceError, match="for stor"):
        services.upload_report(actor=as_(p.dag), job=job, name="r.pdf", content=big)
    job.refresh_from_db()
    assert job.report_path == ""
    assert services.report_type(b"%PDF-1.4 ...") == "pdf"
    assert services.report_type(b'<?xml version="1.0"?><arkadeReport/>') == "xml"
    assert services.report_type(b"\xef\xbb\xbf<!doctype html><html>") == "html"
    with pytest.raises(Forbidden):
        services.upload_report(actor=as_(p.eva), job=job, name="r.html", content=HTML)


def test_a_transfer_is_completed_only_with_a_report_and_the_ministrys_approval(archive) -> None:
    p = archive
    job = p.job()
    with pytest.raises(ServiceError) as exc:
        services.complete_job(actor=as_(p.dag), job=job, resolution="Avlevert")
    assert "testrapporten" in exc.value.message and "godkjenne" in exc.value.message
    with pytest.raises(ServiceError, match="Testrapporten"):
        services.approve_job(actor=as_(p.eva), job=job)
    job = services.upload_report(actor=as_(p.dag), job=job, name="arkade.html", content=HTML)
    assert default_storage.exists(job.report_path)
    with pytest.raises(Forbidden):
        services.approve_job(actor=as_(p.dag), job=job)  # DIO prepares, the ministry decides
    job = services.approve_job(actor=as_(p.eva), job=job)
    job = services.complete_job(actor=as_(p.dag), job=job, resolution="Avlevert til Arkivverket")
    job.order.refresh_from_db()
    assert job.completed_at is not None and job.order.status == "resolved"
    assert AuditEvent.objects.filter(action="records.job.close").count() == 1
    with pytest.raises(Conflict):
        services.complete_job(actor=as_(p.dag), job=job, resolution="Igjen")


def test_a_new_report_takes_back_the_approval(archive) -> None:
    p = archive
    job = services.upload_report(actor=as_(p.dag), job=p.job(), name="a.html", content=HTML)
    job = services.approve_job(actor=as_(p.manager), job=job)  # the leader may approve too
    job = services.upload_report(actor=as_(p.dag), job=job, name="b.pdf", content=b"%PDF-1.7")
    assert job.approved_at is None and job.report_type == "pdf"


def test_retention_and_the_disposal_log(archive, frozen_clock) -> None:
    p = archive
    job = p.job(ArchiveJob.Kind.DISPOSAL, "if-kassasjon")
    with pytest.raises(ServiceError) as exc:
        services.add_retention(
            actor=as_(p.dag), job=job, values={"material": "Søknader", "decision": "dispose"}
        )
    assert "disposal_on" in exc.value.field_errors
    # Closed 31.12.2016 + 5 years → 31.12.2021.
    due = services.add_retention(
        actor=as_(p.dag),
        job=job,
        values={
            "material": "Søknader",
            "decision": "dispose",
            "retention_years": 5,
            "closed_on": dt.date(2016, 12, 31),
        },
    )
    assert due.disposal_on == dt.date(2021, 12, 31)
    future = services.add_retention(
        actor=as_(p.dag),
        job=job,
        values={"material": "Nyere", "decision": "dispose", "disposal_on": dt.date(2030, 1, 1)},
    )
    keep = services.add_retention(
        actor=as_(p.dag), job=job, values={"material": "Vedtak", "decision": "keep"}
    )
    with pytest.raises(Forbidden):
        services.approve_disposal(actor=as_(p.dag), decision=due, description="Søknader")
    with pytest.raises(ServiceError) as exc:
        services.approve_disposal(actor=as_(p.eva), decision=future, description="Nyere")
    assert "ikke passert" in exc.value.field_errors["decision"][0]
    with pytest.raises(ServiceError):
        services.approve_disposal(actor=as_(p.eva), decision=keep, description="Vedtak")
    entry = services.approve_disposal(
        actor=as_(p.eva), decision=due, description="Søknader 2012–2016", volume="4 hm"
    )
    assert entry.approved_by == p.eva and list(job.disposals.all()) == [entry]
    assert RetentionDecision.objects.filter(job=job).count() == 3


def test_spot_check_draws_a_reproducible_sample(archive) -> None:
    p = archive
    check = services.create_spot_check(
        actor=as_(p.eva),
        ministry=p.kud,
        title="3. kvartal",
        filename="journal.csv",
        content=journal(150),
        seed=2026,
    )
    assert (check.population, check.sample_size) == (150, 13)  # ⌈√150⌉ = 13
    again = services.create_spot_check(
        actor=as_(p.eva),
        ministry=p.kud,
        title="Igjen",
        filename="journal.csv",
        content=journal(150),
        seed=2026,
    )
    rows = list(check.items.values_list("row_number", flat=True))
    assert rows == list(again.items.values_list("row_number", flat=True))
    first = check.items.first()
    assert first.reference.startswith("2026/") and first.title.startswith("Sak ")
    item = services.record_finding(
        actor=as_(p.eva), item=first, finding="missing_officer", action="Ring SB"
    )
    assert item.is_deviation
    with pytest.raises(ServiceError):
        services.record_finding(actor=as_(p.eva), item=first, finding="")
    with pytest.raises(ServiceError):
        services.record_finding(actor=as_(p.eva), item=first, finding="ok", note="a\x00b")
    with pytest.raises(Forbidden):
        services.record_finding(actor=as_(p.dag), item=first, finding="ok")
    checks = selectors.checks_of(p.eva.user, p.kud)
    trend = selectors.check_trend(checks)
    assert [row["rate"] for row in trend] == [100.0, 0.0]  # 1 of 1 checked; none checked


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("journal.csv", b"Saksnummer;Tittel\n"),  # header only
        ("journal.csv", b""),
        ("journal.pdf", b"%PDF-1.4"),
        ("journal.csv", b"%PDF-1.4 binary \x00\x01"),
    ],
)
def test_a_bad_extract_saves_nothing(archive, name, content) -> None:
    p = archive
    with pytest.raises(ServiceError) as exc:
        services.create_spot_check(
            actor=as_(p.eva), ministry=p.kud, title="X", filename=name, content=content
        )
    assert "file" in exc.value.field_errors
    assert not SpotCheck.objects.exists() and not SpotCheckItem.objects.exists()


def test_inspection_findings_and_status(archive) -> None:
    p = archive
    inspection = services.create_inspection(
        actor=as_(p.eva), ministry=p.kud, title="Tilsyn 2026", held_on=dt.date(2026, 3, 10)
    )
    with pytest.raises(ServiceError):
        services.create_inspection(
            actor=as_(p.eva),
            ministry=p.kud,
            title="Feil",
            held_on=dt.date(2026, 3, 10),
            response_due=dt.date(2026, 3, 1),
        )
    finding = services.add_inspection_finding(
        actor=as_(p.eva),
        inspection=inspection,
        finding="Planen er gammel",
        action="Oppdater planen",
        deadline=dt.date(2026, 12, 31),
    )
    assert [f.pk for f in selectors.open_findings(p.dag.user, p.kud)] == [finding.pk]
    services.set_finding_status(actor=as_(p.eva), finding=finding, status="done")
    assert selectors.open_findings(p.eva.user, p.kud) == []
    with pytest.raises(Forbidden):
        services.set_finding_status(actor=as_(p.dag), finding=finding, status="open")


def test_pages_for_eva_and_nothing_for_others(archive, client: Client) -> None:
    p = archive
    job = p.job()
    client.force_login(p.eva.user)
    page = client.get(f"/arkiv/{p.kud.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("Innsynskrav", "Arkivoppdrag", "Stikkprøvekontroller", "Tilsyn"):
        assert heading in text
    assert job.title in text
    assert client.get("/arkiv/").status_code == 302
    # A control character in the title: a clear error, nothing saved.
    response = client.post(
        f"/arkiv/{p.kud.uuid}/tilsyn/",
        {"title": "Tilsyn\x07", "authority": "Arkivverket", "held_on": "2026-03-10"},
    )
    assert response.status_code == 400 and "kontrolltegn" in response.content.decode()
    # The report refused by its content, on the page.
    client.force_login(p.dag.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/arkiv/oppdrag/{job.uuid}/",
        {"action": "report", "file": SimpleUploadedFile("r.html", b"plain text")},
    )
    assert "HTML, PDF eller XML" in response.content.decode()
    client.force_login(p.outsider.user)
    assert client.get(f"/arkiv/oppdrag/{job.uuid}/").status_code == 404
    assert client.get("/arkiv/").status_code == 404


def test_api_lists_jobs_for_the_team(archive, client: Client) -> None:
    p = archive
    job = p.job()
    client.force_login(p.dag.user)
    rows = client.get("/api/v1/records/jobs").json()
    assert [r["id"] for r in rows] == [str(job.uuid)]
    plan = client.get(f"/api/v1/records/plan/{p.kud.uuid}/2026").json()
    assert plan["ministry"] == "KUD"


def test_demo_loads_once(archive) -> None:
    actor = Actor.system("felles demo")
    assert demo.load(actor=actor) == 3
    assert demo.load(actor=actor) == 0  # the second run creates nothing
    assert ArchiveJob.objects.count() == 3
    assert SpotCheck.objects.count() == 1
    network = selectors.network(archive.eva.user)  # the coordinators' network (an arena)
    assert network is not None and archive.kud in network.members.all()
    assert selectors.network(archive.employee.user) is None
    client = Client()
    client.force_login(archive.eva.user)
    page = client.get(f"/arkiv/{archive.kud.uuid}/").content.decode()
    assert "Koordinatornettverket" in page and "Avlevering av sakarkiv 1997–2001" in page


def test_counts_on_the_spot_check_pages_use_the_plural_rule(archive, client: Client) -> None:
    p = archive
    one = services.create_spot_check(
        actor=as_(p.eva),
        ministry=p.kud,
        title="Én rad",
        filename="journal.csv",
        content=journal(1),
        seed=1,
    )
    client.force_login(p.eva.user)
    text = client.get(f"/arkiv/stikkprover/{one.uuid}/").content.decode()
    assert "1 journalpost," in text and "1 journalposter" not in text
    assert "utvalg på 1 journalpost," in text
    ministry = client.get(f"/arkiv/{p.kud.uuid}/").content.decode()
    assert "0 av 1 journalpost kontrollert" in ministry
    many = services.create_spot_check(
        actor=as_(p.eva),
        ministry=p.kud,
        title="Mange",
        filename="journal.csv",
        content=journal(150),
        seed=1,
    )
    text = client.get(f"/arkiv/stikkprover/{many.uuid}/").content.decode()
    assert "150 journalposter," in text and "utvalg på 13 journalposter" in text
