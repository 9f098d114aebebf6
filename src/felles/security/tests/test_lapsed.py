"""A clearance that lapses: expired without being ended it is no longer current, a new
decision replaces the old one, and the authorisations at KONFIDENSIELT or higher it no
longer covers are flagged on the register page, in the scan and in the VF § 72 list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from felles.core.actor import Actor
from felles.core.errors import ServiceError
from felles.security import selectors, services, workflow
from felles.security.models import Authorisation, Clearance, Reclearance

SYSTEM = Actor.system("test")
D = dt.date
TODAY = D(2026, 11, 18)  # frozen_clock


def _clear(world: Any, level: str, decided: D, expires: D) -> Clearance:
    return services.add_clearance(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level=level,
        decided_on=decided,
        expires_on=expires,
    )


def _authorise(world: Any, level: str, granted: D) -> Authorisation:
    services.add_declaration(
        actor=SYSTEM, ministry=world.kud, person=world.employee, signed_on=granted
    )
    return services.add_authorisation(
        actor=SYSTEM,
        ministry=world.kud,
        person=world.employee,
        level=level,
        granted_on=granted,
        authorised_by="Departementsråden",
        conversation_on=granted,
    )


def _uncovered(world: Any, today: D) -> list[Any]:
    return selectors.reminders(world.security.user, world.kud, today)["uncovered"]


def test_an_expired_clearance_is_not_current_and_a_new_one_replaces_it(
    world: Any, frozen_clock: Any
) -> None:
    # Expired 01.06.2026, never ended: no re-clearance reminder or draft, no clearance in
    # the § 72 list, and the next conversation no longer waits for its re-clearance.
    old = _clear(world, "hemmelig", D(2021, 6, 2), D(2026, 6, 1))
    auth = _authorise(world, "begrenset", D(2021, 7, 1))
    assert selectors.reminders(world.security.user, world.kud, TODAY)["clearances"] == []
    assert workflow.scan(actor=SYSTEM, today=TODAY)["drafts"] == 0
    assert not Reclearance.objects.exists()
    client = Client()
    client.force_login(world.security.user)
    page = client.get(reverse("security_authorised") + "?departement=KUD").content.decode()
    assert "01.06.2026" not in page and auth.person.full_name in page
    # A new decision 01.11.2026 ends the old clearance the day before (here: its expiry).
    new = _clear(world, "hemmelig", D(2026, 11, 1), D(2031, 10, 31))
    old.refresh_from_db()
    assert old.ended_on == D(2026, 6, 1)
    # A clearance still valid is ended the day before the new decision.
    newer = _clear(world, "konfidensielt", D(2026, 11, 10), D(2031, 11, 9))
    new.refresh_from_db()
    assert new.ended_on == D(2026, 11, 9)
    assert Clearance.objects.filter(ended_on__isnull=True).get() == newer


def test_authorisations_without_a_valid_clearance_are_flagged(
    world: Any, frozen_clock: Any
) -> None:
    clearance = _clear(world, "hemmelig", D(2022, 6, 20), D(2027, 6, 18))
    auth = _authorise(world, "hemmelig", D(2022, 7, 1))
    assert _uncovered(world, TODAY) == []
    assert workflow.scan(actor=SYSTEM, today=TODAY)["uncovered"] == 0
    # Expired (never ended): flagged from the day after its expiry.
    assert _uncovered(world, D(2027, 6, 18)) == []
    assert _uncovered(world, D(2027, 6, 19)) == [auth]
    assert workflow.scan(actor=SYSTEM, today=D(2027, 6, 19))["uncovered"] == 1
    # A re-clearance decided at a LOWER level: the HEMMELIG authorisation is no longer
    # covered (the old clearance ends the day before).
    _clear(world, "konfidensielt", D(2026, 11, 1), D(2031, 10, 31))
    clearance.refresh_from_db()
    assert clearance.ended_on == D(2026, 10, 31)
    assert _uncovered(world, TODAY) == [auth]
    client = Client()
    client.force_login(world.security.user)
    register = client.get(reverse("security_register") + "?departement=KUD").content.decode()
    assert "uten gyldig klarering" in register
    listing = client.get(reverse("security_authorised") + "?departement=KUD").content.decode()
    assert 'data-testid="uncovered"' in listing
    export = client.get(reverse("security_authorised") + "?departement=KUD&format=csv")
    assert "Uten gyldig klarering" in export.content.decode("utf-8-sig")
    # Granting with a past date is checked against the clearance valid on that date: the
    # HEMMELIG clearance ended 31.10.2026, so a HEMMELIG authorisation from 05.11.2026 is
    # refused, even though it is dated in the past.
    services.end_authorisation(actor=SYSTEM, row=auth, ended_on=D(2026, 11, 2))
    with pytest.raises(ServiceError, match="gyldig"):
        _authorise(world, "hemmelig", D(2026, 11, 5))
    assert _uncovered(world, TODAY) == []
