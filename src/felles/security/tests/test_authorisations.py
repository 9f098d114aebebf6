"""The gaps a review found: recording a held authorisation conversation, authorisations
resting on a clearance and one at a time, the decision only on an approved order,
the team's overview of its ministries, and declarations' disposal (VF § 78)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.security import selectors, services, workflow
from felles.security.models import Authorisation, Declaration, RegisterRead

SYSTEM = Actor.system("test")
D = dt.date


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _clear(world: Any, level: str, decided: D, expires: D, person: Any = None) -> Any:
    return services.add_clearance(
        actor=SYSTEM,
        ministry=world.kud,
        person=person or world.employee,
        level=level,
        decided_on=decided,
        expires_on=expires,
    )


def _authorise(world: Any, level: str, granted: D, person: Any = None, **kw: Any) -> Any:
    """An authorisation; at KONFIDENSIELT or higher with its conversation (the grant day
    unless given) and a declaration signed that day (VF §§ 67, 68)."""
    person = person or world.employee
    if level != "begrenset":
        kw.setdefault("conversation_on", granted)
        if not Declaration.objects.filter(person=person, signed_on__lte=granted).exists():
            services.add_declaration(
                actor=SYSTEM, ministry=world.kud, person=person, signed_on=granted
            )
    return services.add_authorisation(
        actor=kw.pop("actor", SYSTEM),
        ministry=world.kud,
        person=person,
        level=level,
        granted_on=granted,
        authorised_by="Departementsråden",
        **kw,
    )


def test_a_held_conversation_clears_its_reminder(world: Any) -> None:
    knut = Actor(user=world.security.user)
    # STRENGT HEMMELIG, last conversation 29.02.2024; the clearance (14.01.2029) starts
    # re-clearance 14.07.2028 (a Friday): the two-year rule comes first, 28.02.2026.
    _clear(world, "strengt_hemmelig", D(2024, 1, 15), D(2029, 1, 14))
    row = _authorise(world, "strengt_hemmelig", D(2024, 3, 1), conversation_on=D(2024, 2, 29))
    assert row.next_conversation_due == D(2026, 2, 28)
    assert selectors.reminders(world.security.user, world.kud, D(2026, 2, 20))["conversations"]
    # Held 20.02.2026: next 20.02.2028 (two years; earlier than 14.07.2028).
    services.record_conversation(actor=knut, row=row, held_on=D(2026, 2, 20), today=D(2026, 2, 20))
    row.refresh_from_db()
    assert (row.conversation_on, row.next_conversation_due) == (D(2026, 2, 20), D(2028, 2, 20))
    assert not selectors.reminders(world.security.user, world.kud, D(2026, 2, 20))["conversations"]
    with pytest.raises(ServiceError, match="før forrige registrerte samtale"):
        services.record_conversation(
            actor=knut, row=row, held_on=D(2025, 1, 1), today=D(2026, 3, 1)
        )
    with pytest.raises(ServiceError, match="frem i tid"):
        services.record_conversation(
            actor=knut, row=row, held_on=D(2026, 3, 2), today=D(2026, 3, 1)
        )
    frode = Actor(user=world.frode.user)
    with pytest.raises(ServiceError):  # Forbidden: not his ministry
        services.record_conversation(actor=frode, row=row, held_on=D(2026, 2, 21))
    row.refresh_from_db()
    assert row.conversation_on == D(2026, 2, 20)


def test_conversation_from_the_register_page_and_the_api(world: Any) -> None:
    # HEMMELIG: the conversation is due at re-clearance, 18.12.2026 (expiry 18.06.2027).
    _clear(world, "hemmelig", D(2022, 6, 20), D(2027, 6, 18))
    row = _authorise(world, "hemmelig", D(2022, 7, 1), conversation_on=D(2022, 7, 1))
    assert row.next_conversation_due == D(2026, 12, 18)
    page = _client(world.security).get(reverse("security_register"))
    assert reverse("security_conversation", args=[row.uuid]) in page.content.decode()
    # Held 02.11.2026, before re-clearance starts: still due 18.12.2026.
    done = _client(world.security).post(
        reverse("security_conversation", args=[row.uuid]), {"held_on": "2026-11-02"}
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.conversation_on, row.next_conversation_due) == (D(2026, 11, 2), D(2026, 12, 18))
    url = f"/api/v1/security/rows/{row.uuid}/conversation"
    assert (
        _client(world.frode)
        .post(url, {"held_on": "2026-11-03"}, content_type="application/json")
        .status_code
        == 404
    )
    bad = _client(world.sigrid).post(
        url, {"held_on": "2026-01-01"}, content_type="application/json"
    )
    assert bad.status_code in (400, 409, 422) and "forrige registrerte samtale" in bad.text
    ok = _client(world.sigrid).post(url, {"held_on": "2026-11-03"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["next_conversation_due"] == "2026-12-18"


def test_an_authorisation_needs_a_clearance_and_one_at_a_time(world: Any) -> None:
    knut = Actor(user=world.security.user)
    with pytest.raises(ServiceError, match="sikkerhetsloven §§ 8-1 og 8-2"):
        _authorise(world, "hemmelig", D(2024, 6, 1), actor=knut)
    _clear(world, "konfidensielt", D(2024, 5, 1), D(2029, 4, 30))
    with pytest.raises(ServiceError, match="samme eller høyere nivå"):
        _authorise(world, "hemmelig", D(2024, 6, 1), actor=knut)
    begrenset = _authorise(world, "begrenset", D(2024, 1, 1), actor=knut)
    # A higher level granted later replaces the open lower one (ended the day before).
    konf = _authorise(world, "konfidensielt", D(2024, 6, 1), actor=knut)
    begrenset.refresh_from_db()
    assert begrenset.ended_on == D(2024, 5, 31)
    # Ended 31.05.2024 while cleared to 30.04.2029 (VF § 78 (2)): disposed 01.05.2029.
    assert begrenset.dispose_on == D(2029, 5, 1)
    # A lower (or equal) level while one is open is refused: end it first (VF § 74).
    # The refusal names neither the other row's level nor its dates (no logged read).
    with pytest.raises(Conflict, match="én autorisasjon om gangen") as refused:
        _authorise(world, "begrenset", D(2025, 1, 1), actor=knut)
    assert "KONFIDENSIELT" not in str(refused.value) and "2024" not in str(refused.value)
    services.end_authorisation(actor=knut, row=konf, ended_on=D(2024, 12, 31))
    with pytest.raises(Conflict, match="samme periode") as refused:  # in the ended one's time
        _authorise(world, "begrenset", D(2024, 5, 1), actor=knut)
    assert "KONFIDENSIELT" not in str(refused.value) and "2024" not in str(refused.value)
    assert Authorisation.objects.count() == 2
    # The form shows the rule in bokmål and saves nothing.
    response = _client(world.security).post(
        reverse("security_add", kwargs={"kind": "autorisasjon"}) + "?departement=KUD",
        {
            "person": world.manager.pk,
            "level": "hemmelig",
            "granted_on": "2025-01-01",
            "authorised_by": "Departementsråden",
        },
    )
    assert response.status_code == 200 and "sikkerhetsloven §§ 8-1 og 8-2" in response.text
    # … and so does the API.
    url = "/api/v1/security/KUD/authorisations"
    body = {
        "person": str(world.manager.uuid),
        "level": "hemmelig",
        "granted_on": "2025-01-01",
        "authorised_by": "Departementsråden",
    }
    api = _client(world.sigrid).post(url, body, content_type="application/json")
    assert api.status_code == 422 and "sikkerhetsloven §§ 8-1 og 8-2" in api.json()["message"]
    assert _client(world.frode).post(url, body, content_type="application/json").status_code == 404
    assert Authorisation.objects.count() == 2
    made = _client(world.sigrid).post(
        url, {**body, "level": "begrenset"}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["level"] == "begrenset"


def test_declarations_and_authorisation_data_get_their_disposal_day(world: Any) -> None:
    knut = Actor(user=world.security.user)
    row = _authorise(world, "begrenset", D(2020, 1, 1))
    services.end_authorisation(actor=knut, row=row, ended_on=D(2024, 2, 29))
    # Registered afterwards: 10 years from 29.02.2024, kept to 28.02.2034, gone 01.03.2034.
    late = services.add_declaration(
        actor=knut, ministry=world.kud, person=world.employee, signed_on=D(2019, 12, 15)
    )
    assert (late.ended_on, late.dispose_on) == (D(2024, 2, 29), D(2034, 3, 1))
    # Authorised again: the declaration binds again until that one ends.
    again = _authorise(world, "begrenset", D(2025, 1, 1))
    late.refresh_from_db()
    assert (late.ended_on, late.dispose_on) == (None, None)
    services.end_authorisation(actor=knut, row=again, ended_on=D(2025, 6, 30))
    late.refresh_from_db()
    assert late.dispose_on == D(2035, 7, 1)
    # Authorisation data is kept while the clearance is valid (VF § 78 (2)); the clearance
    # ending early brings the day back: ended 15.01.2026, cleared to 30.06.2028 → 01.07.2028;
    # the clearance ends 01.03.2026 → 1 year after the end: 15.01.2027 + 1 = 16.01.2027.
    clearance = _clear(world, "hemmelig", D(2023, 7, 1), D(2028, 6, 30), person=world.manager)
    held = _authorise(world, "hemmelig", D(2023, 8, 1), person=world.manager)
    services.end_authorisation(actor=knut, row=held, ended_on=D(2026, 1, 15))
    held.refresh_from_db()
    assert held.dispose_on == D(2028, 7, 1)
    services.end_clearance(actor=knut, row=clearance, ended_on=D(2026, 3, 1))
    held.refresh_from_db()
    assert held.dispose_on == D(2027, 1, 16)
    # The dry run lists exactly what the run disposes, declarations included.
    run_on = D(2035, 7, 1)
    plan = {(e["kind"], e["pk"]) for e in workflow.disposal_plan(run_on)}
    assert ("declaration", late.pk) in plan and ("authorisation", held.pk) in plan
    counts = workflow.dispose(actor=SYSTEM, today=run_on)
    assert sum(counts.values()) == len(plan) and counts["declaration"] == 1
    assert not Declaration.objects.filter(pk=late.pk).exists()
    assert workflow.disposal_plan(run_on) == []


def test_the_team_first_sees_its_ministries_with_counts_and_no_names(world: Any) -> None:
    _clear(world, "hemmelig", D(2022, 6, 20), D(2027, 6, 18))
    page = _client(world.sigrid).get(reverse("security_register"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="ministries-overview"' in body
    assert "?departement=KUD" in body and "?departement=FIN" in body
    assert world.employee.full_name not in body
    assert not RegisterRead.objects.exists()
    rows = {
        r["ministry"].abbreviation: r
        for r in selectors.overview(world.sigrid.user, D(2026, 12, 18))
    }
    assert rows["KUD"]["renew"] == 1 and rows["FIN"]["renew"] == 0
    # Knut (KUD's coordinator) still opens on KUD's register.
    knut = _client(world.security).get(reverse("security_register")).content.decode()
    assert "ministries-overview" not in knut and world.employee.full_name in knut
