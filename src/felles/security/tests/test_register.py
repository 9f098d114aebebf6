"""The register's services, access and read log, the reminder scan, re-clearance through
an order, offboarding and disposal."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.organisations.tests.factories import make_person
from felles.security import services, workflow
from felles.security.models import (
    Authorisation,
    Clearance,
    Declaration,
    DisposalLog,
    Reclearance,
    RegisterRead,
)

SYSTEM = Actor.system("test")
D = dt.date


EXPIRES = D(2027, 6, 18)


def _clearance(world: Any, person: Any = None, expires: D = EXPIRES, **kw: Any) -> Clearance:
    return services.add_clearance(
        actor=SYSTEM,
        ministry=world.kud,
        person=person or world.employee,
        level=kw.get("level", "hemmelig"),
        decided_on=kw.get("decided", D(2022, 6, 20)),
        expires_on=expires,
    )


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_bad_input_is_refused_in_bokmal_and_nothing_is_saved(world: Any) -> None:
    knut = Actor(user=world.security.user)
    _clearance(world, decided=D(2023, 6, 20), expires=D(2028, 6, 19))  # HEMMELIG
    with pytest.raises(ServiceError, match="høyst 5 år"):
        services.add_clearance(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            decided_on=D(2024, 2, 29),
            expires_on=D(2029, 3, 1),
        )
    with pytest.raises(ServiceError, match="Ukjent nivå"):
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="topp_hemmelig",
            granted_on=D(2024, 1, 1),
            authorised_by="Departementsråden",
        )
    with pytest.raises(ServiceError, match="hører ikke til"):
        services.add_declaration(
            actor=knut, ministry=world.kud, person=world.outsider, signed_on=D(2024, 1, 1)
        )
    with pytest.raises(ServiceError, match="ugyldig tegn"):
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            granted_on=D(2024, 1, 1),
            authorised_by="Råd\x00en",
        )
    # KONFIDENSIELT or higher: the conversation and the declaration come first (VF §§ 67, 68).
    with pytest.raises(ServiceError, match="VF § 68"):
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            granted_on=D(2024, 1, 1),
            authorised_by="Departementsråden",
        )
    with pytest.raises(ServiceError, match="VF § 67"):
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            granted_on=D(2024, 1, 1),
            authorised_by="Departementsråden",
            conversation_on=D(2023, 12, 20),
        )
    assert Authorisation.objects.count() == 0
    services.add_declaration(
        actor=knut, ministry=world.kud, person=world.employee, signed_on=D(2023, 12, 20)
    )
    first = services.add_authorisation(
        actor=knut,
        ministry=world.kud,
        person=world.employee,
        level="hemmelig",
        granted_on=D(2024, 1, 1),
        authorised_by="Departementsråden",
        conversation_on=D(2023, 12, 20),
    )
    with pytest.raises(Conflict, match="allerede en autorisasjon"):
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            granted_on=D(2025, 1, 1),
            authorised_by="Departementsråden",
            conversation_on=D(2023, 12, 20),
        )
    services.end_authorisation(actor=knut, row=first, ended_on=D(2024, 6, 30))
    with pytest.raises(Conflict):  # starts before the first one ended
        services.add_authorisation(
            actor=knut,
            ministry=world.kud,
            person=world.employee,
            level="hemmelig",
            granted_on=D(2024, 6, 1),
            authorised_by="Departementsråden",
            conversation_on=D(2023, 12, 20),
        )
    assert Clearance.objects.count() == 1
    assert Authorisation.objects.count() == 1
    assert Declaration.objects.count() == 1  # the one signed before the grant


def test_the_form_shows_an_expiry_beyond_five_years_as_an_error(world: Any) -> None:
    client = _client(world.security)
    response = client.post(
        reverse("security_add", kwargs={"kind": "klarering"}) + "?departement=KUD",
        {
            "person": world.employee.pk,
            "level": "hemmelig",
            "authority": "skm",
            "decided_on": "2024-02-29",
            "expires_on": "2029-03-01",
        },
    )
    assert response.status_code == 200
    assert "høyst 5 år" in response.content.decode()
    assert "Felles holder bare metadata" in response.content.decode()
    bad = client.post(
        reverse("security_add", kwargs={"kind": "klarering"}) + "?departement=KUD",
        {"person": "x\x00", "level": "kosmisk", "decided_on": "99999-01-01"},
    )
    assert bad.status_code in (200, 422)  # a NUL byte is refused before the view
    assert Clearance.objects.count() == 0


def test_who_sees_the_register_and_every_read_is_logged(world: Any) -> None:
    clearance = _clearance(world)
    url = reverse("security_register") + "?departement=KUD"
    # Hanne tops KUD's line (Per reports to her): she is the leader, Per is not.
    for person in (world.security, world.deputy, world.sigrid, world.head):
        page = _client(person).get(url)
        assert page.status_code == 200, person
        assert world.employee.full_name in page.content.decode()
    for person in (world.frode, world.agent, world.coordinator, world.manager, world.auditor):
        assert _client(person).get(url).status_code == 404, person
    # Frode sees FIN's register (empty), never KUD's.
    fin = _client(world.frode).get(reverse("security_register"))
    assert fin.status_code == 200
    assert world.employee.full_name not in fin.content.decode()
    readers = set(RegisterRead.objects.filter(row=clearance.uuid).values_list("reader", flat=True))
    assert readers == {"knut", "solveig", "sigrid", "hanne"}
    log = _client(world.security).get(reverse("security_reads"))
    assert log.status_code == 200 and "Sigrid" in log.content.decode()
    assert _client(world.auditor).get(reverse("security_reads")).status_code == 200
    frodes = _client(world.frode).get(reverse("security_reads")).content.decode()
    assert "Sigrid" not in frodes
    api = _client(world.sigrid).get(f"/api/v1/security/rows/{clearance.uuid}")
    assert api.status_code == 200 and api.json()["expires_on"] == "2027-06-18"
    assert _client(world.frode).get(f"/api/v1/security/rows/{clearance.uuid}").status_code == 404
    assert RegisterRead.objects.filter(route="api").count() == 1


def test_the_register_page_reads_a_constant_number_of_queries(world: Any) -> None:
    def count() -> int:
        client = _client(world.security)
        client.get(reverse("security_register"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("security_register")).status_code == 200
        return len(queries)

    _clearance(world, level="strengt_hemmelig")
    services.add_declaration(
        actor=SYSTEM, ministry=world.kud, person=world.employee, signed_on=D(2025, 1, 1)
    )
    services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level="strengt_hemmelig",
        granted_on=D(2025, 1, 1),
        authorised_by="Departementsråden",
        conversation_on=D(2025, 1, 1),
    )
    few = count()
    for i in range(15):
        person = make_person(world.kud, f"p{i}")
        _clearance(
            world, person, expires=D(2027, 1, 1) + dt.timedelta(days=i), level="strengt_hemmelig"
        )
        services.add_declaration(
            actor=SYSTEM, ministry=world.kud, person=person, signed_on=D(2025, 1, 1)
        )
        services.add_authorisation(
            actor=SYSTEM,
            ministry=world.kud,
            person=person,
            level="strengt_hemmelig",
            granted_on=D(2025, 1, 1),
            authorised_by="Departementsråden",
            conversation_on=D(2025, 1, 1),
        )
    assert count() == few


def test_reclearance_from_reminder_to_new_clearance(world: Any, frozen_clock: Any) -> None:
    from felles.core.models import OutboundMail
    from felles.orders import services as order_services

    # Today is 18.11.2026 (frozen_clock); the clearance expires 18.06.2027, 7 months on:
    # re-clearance from 18.12.2026 (a Friday).
    old = _clearance(world)
    assert old.reclearance_from == D(2026, 12, 18)
    # Kari's HEMMELIG authorisation: her next conversation is at re-clearance (VF § 68).
    services.add_declaration(
        actor=SYSTEM, ministry=world.kud, person=world.employee, signed_on=D(2022, 7, 1)
    )
    talk = services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level="hemmelig",
        granted_on=D(2022, 7, 1),
        authorised_by="Departementsråden",
        conversation_on=D(2022, 7, 1),
    )
    assert talk.next_conversation_due == D(2026, 12, 18)
    assert workflow.scan(actor=SYSTEM) == {"drafts": 0, "conversations": 0, "uncovered": 0}
    assert workflow.scan(actor=SYSTEM, today=D(2026, 12, 18))["drafts"] == 1
    assert workflow.scan(actor=SYSTEM, today=D(2026, 12, 19))["drafts"] == 0  # idempotent
    assert Reclearance.objects.count() == 1
    assert OutboundMail.objects.filter(to=world.security.email).exists()
    renewal = Reclearance.objects.get()
    page = _client(world.frode).get(reverse("security_reclearance", args=[renewal.uuid]))
    assert page.status_code == 404
    response = _client(world.security).post(
        reverse("security_reclearance", args=[renewal.uuid]), {"justification": "Fortsatt behov."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    renewal.refresh_from_db()
    order = renewal.order
    assert renewal.state == "ordered" and order.service.code == "sik-klarering"
    assert order.beneficiary == world.employee and order.orderer == world.security
    # Awaiting approval: no «Registrer vedtak» for Sigrid, and the service refuses it.
    sigrids = _client(world.sigrid).get(reverse("security_register") + "?departement=KUD")
    assert reverse("security_decision", args=[renewal.uuid]) not in sigrids.content.decode()
    with pytest.raises(Conflict, match="godkjent"):
        workflow.record_decision(
            actor=Actor(user=world.sigrid.user),
            reclearance=renewal,
            level="hemmelig",
            authority="skm",
            decided_on=D(2026, 11, 18),
            expires_on=D(2031, 11, 18),
        )
    assert not Clearance.objects.filter(order=order).exists()
    waiting = _client(world.sigrid).get(reverse("security_decision", args=[renewal.uuid]))
    assert 'data-testid="not-decidable"' in waiting.content.decode()
    step = order.steps.get()
    order_services.decide(
        actor=Actor(user=world.deputy.user),
        step=step,
        decider=world.deputy,
        on_behalf_of=world.deputy,
        approve=True,
    )
    sigrids = _client(world.sigrid).get(reverse("security_register") + "?departement=KUD")
    assert reverse("security_decision", args=[renewal.uuid]) in sigrids.content.decode()
    # Delivered from the ordinary queue before the decision is recorded: refused (the
    # draft would stay «Bestilt» for ever), nothing changes.
    order.refresh_from_db()
    order = order_services.take(actor=Actor(user=world.sigrid.user), order=order)
    with pytest.raises(Conflict, match="Registrer klareringsvedtaket"):
        order_services.resolve(actor=Actor(user=world.sigrid.user), order=order, resolution="Ok")
    order.refresh_from_db()
    assert order.status != "resolved"
    # Frode, FIN's coordinator, may not record the decision; Sigrid does.
    refused = _client(world.frode).post(reverse("security_decision", args=[renewal.uuid]), {})
    assert refused.status_code == 404
    done = _client(world.sigrid).post(
        reverse("security_decision", args=[renewal.uuid]),
        {
            "level": "hemmelig",
            "authority": "skm",
            "decided_on": "2026-11-18",
            "expires_on": "2031-11-18",
        },
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    order.refresh_from_db()
    renewal.refresh_from_db()
    old.refresh_from_db()
    assert order.status == "resolved"
    assert renewal.state == "done"
    assert old.ended_on == D(2026, 11, 17)
    new = Clearance.objects.get(order=order)
    assert new.expires_on == D(2031, 11, 18)
    # The next conversation moves to the new clearance's re-clearance: 18.05.2031 is a
    # Sunday, so Friday 16.05.2031 (Ascension Day 2031 is 22 May).
    talk.refresh_from_db()
    assert talk.next_conversation_due == D(2031, 5, 16)


def test_offboarding_ends_authorisations_and_asks_to_end_the_clearance(world: Any) -> None:
    clearance = _clearance(world)
    services.add_declaration(
        actor=SYSTEM, ministry=world.kud, person=world.employee, signed_on=D(2024, 1, 1)
    )
    auth = services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level="hemmelig",
        granted_on=D(2024, 1, 1),
        authorised_by="Departementsråden",
        conversation_on=D(2024, 1, 1),
    )
    order = SimpleNamespace(
        status="closed",
        service=SimpleNamespace(code="hr-offboarding"),
        bundle_order=SimpleNamespace(person=world.employee),
        beneficiary=world.employee,
    )
    workflow.on_status_changed(actor=SYSTEM, order=order, before="in_progress")
    auth.refresh_from_db()
    clearance.refresh_from_db()
    assert auth.ended_on is not None
    # Kept while the clearance is valid (to 18.06.2027), disposed the day after.
    assert auth.dispose_on == max(
        auth.ended_on.replace(year=auth.ended_on.year + 1), D(2027, 6, 18)
    ) + dt.timedelta(days=1)
    assert clearance.end_requested_on is not None and clearance.ended_on is None
    from felles.core.models import OutboundMail

    assert OutboundMail.objects.filter(to=world.security.email).exists()
    assert Declaration.objects.get().ended_on == auth.ended_on


def test_disposal_dry_run_equals_the_real_run(world: Any) -> None:
    knut = Actor(user=world.security.user)
    due = services.add_authorisation(
        actor=knut,
        ministry=world.kud,
        person=world.employee,
        level="begrenset",
        granted_on=D(2020, 1, 1),
        authorised_by="Departementsråden",
    )
    services.end_authorisation(actor=knut, row=due, ended_on=D(2024, 2, 29))  # disposed 01.03.2025
    kept = services.add_authorisation(
        actor=knut,
        ministry=world.kud,
        person=world.manager,
        level="begrenset",
        granted_on=D(2020, 1, 1),
        authorised_by="Departementsråden",
    )
    services.end_authorisation(actor=knut, row=kept, ended_on=D(2024, 3, 2))  # 03.03.2025
    old = _clearance(world, decided=D(2010, 1, 1), expires=D(2014, 12, 31))  # 01.01.2025
    fresh = _clearance(world, world.manager)
    run_on = D(2025, 3, 1)
    plan = workflow.disposal_plan(run_on)
    assert {(e["kind"], e["pk"]) for e in plan} == {
        ("authorisation", due.pk),
        ("clearance", old.pk),
    }
    dry = _client(world.security).get(reverse("security_disposal")).content.decode()
    assert "Kari" in dry  # today's dry run lists the same rows (both are long past due)
    assert workflow.dispose(actor=SYSTEM, today=run_on) == {"authorisation": 1, "clearance": 1}
    assert not Authorisation.objects.filter(pk=due.pk).exists()
    assert not Clearance.objects.filter(pk=old.pk).exists()
    assert (
        Authorisation.objects.filter(pk=kept.pk).exists()
        and Clearance.objects.filter(pk=fresh.pk).exists()
    )
    log = list(DisposalLog.objects.values_list("kind", "concerns", "due_on", "disposed_on"))
    assert sorted(log) == [
        ("authorisation", world.employee.full_name, D(2025, 3, 1), run_on),
        ("clearance", world.employee.full_name, D(2025, 1, 1), run_on),
    ]
    assert workflow.disposal_plan(run_on) == []


def test_a_rejected_reclearance_order_gives_the_draft_back(world: Any) -> None:
    old = _clearance(world)
    renewal = workflow.prepare_reclearance(actor=Actor(user=world.security.user), clearance=old)
    order = workflow.order_reclearance(
        actor=Actor(user=world.security.user), reclearance=renewal, justification="Behov."
    )
    renewal.refresh_from_db()
    assert renewal.state == "ordered" and renewal.order == order
    order.status = "rejected"  # as orders' transition leaves it when the event is published
    workflow.on_status_changed(actor=SYSTEM, order=order, before="awaiting_approval")
    renewal.refresh_from_db()
    assert renewal.state == "draft" and renewal.order is None
