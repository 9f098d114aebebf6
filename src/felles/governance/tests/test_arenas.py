"""Arenas: a meeting series with many member ministries (the security leaders' forum, the
coordinators' networks), on the same mechanism as the customer dialogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.core.actor import Actor
from felles.core.services import Forbidden, ServiceError
from felles.governance import selectors, services
from felles.governance.models import MeetingSeries

D = dt.date


@pytest.fixture
def arena(personas, actor) -> Any:
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person

    p = personas
    p.knut = make_person(p.kud, "knut", roles=[Role.SECURITY_COORDINATOR])
    p.frode = make_person(p.fin, "frode", roles=[Role.SECURITY_COORDINATOR])
    p.kld = Organisation.objects.get(abbreviation="KLD")
    p.marte = make_person(p.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    p.network = services.create_arena(
        actor=Actor(user=p.marte.user),
        provider=p.dss,
        name_nb="Nettverk for sikkerhetskoordinatorer",
        name_en="Security coordinators' network",
        members=[p.kud, p.fin],
        member_roles=[Role.SECURITY_COORDINATOR],
        starts_on=D(2026, 1, 1),
    )
    return p


def test_an_arena_has_many_members_and_their_role_holders_take_part(arena) -> None:
    p = arena
    assert set(p.network.members.values_list("abbreviation", flat=True)) == {"KUD", "FIN"}
    assert str(p.network) == "Nettverk for sikkerhetskoordinatorer"
    for who in (p.knut, p.frode, p.marte, p.governance):
        assert selectors.series_for(who.user).filter(pk=p.network.pk).exists()
    for who in (p.employee, p.manager, p.agent):  # not a member role, not an organiser
        assert not selectors.series_for(who.user).filter(pk=p.network.pk).exists()
    meeting = services.record_meeting(
        actor=Actor(user=p.knut.user),
        series=p.network,
        held_on=D(2026, 3, 1),
        minutes="Gjennomgang av hendelser",
        participants=[p.knut, p.frode],
        actions=[("Felles øvelsesplan", p.frode, D(2026, 4, 1))],
    )
    assert meeting.actions.get().owner == p.frode
    with pytest.raises(ServiceError, match="medlemmene"):  # Ola (FIN) is fine, DFD is not
        services.record_meeting(
            actor=Actor(user=p.knut.user),
            series=p.network,
            held_on=D(2026, 3, 2),
            participants=[p.governance],
        )
    with pytest.raises(Forbidden):
        services.record_meeting(
            actor=Actor(user=p.employee.user), series=p.network, held_on=D(2026, 3, 2)
        )
    assert selectors.dialogue_compliance(MeetingSeries.objects.filter(pk=p.network.pk))


def test_create_arena_is_idempotent_by_name_and_refuses_bad_input(arena, actor) -> None:
    p = arena
    again = services.create_arena(
        actor=actor,
        provider=p.dss,
        name_nb="Nettverk for sikkerhetskoordinatorer",
        members=[p.kud, p.fin, p.kld],
        member_roles=["security_coordinator"],
    )
    assert again.pk == p.network.pk and again.members.count() == 3
    for bad, match in (
        ({"name_nb": " "}, "navn"),
        ({"name_nb": "X\x00"}, "kontrolltegn"),
        ({"members": []}, "minst ett medlem"),
        ({"members": [p.dss]}, "departementer"),
        ({"member_roles": ["sjef"]}, "roller"),
    ):
        kwargs = {
            "name_nb": "Ny arena",
            "members": [p.kud],
            "member_roles": ["security_coordinator"],
            **bad,
        }
        with pytest.raises(ServiceError, match=match):
            services.create_arena(actor=actor, provider=p.dss, **kwargs)
    assert not MeetingSeries.objects.filter(name_nb="Ny arena").exists()
    with pytest.raises(Forbidden):
        services.create_arena(
            actor=Actor(user=p.knut.user),
            provider=p.dss,
            name_nb="Ny arena",
            members=[p.kud],
            member_roles=["security_coordinator"],
        )


def test_a_dialogue_has_its_ministry_as_its_one_member(personas, actor) -> None:
    p = personas
    series = services.save_series(actor=actor, provider=p.dss, ministry=p.kud, level="operative")
    assert list(series.members.all()) == [p.kud]
    assert not series.is_arena
