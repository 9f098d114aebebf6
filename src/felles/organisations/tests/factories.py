"""Test data builders for organisations (factory_boy), going through the service layer
where the service adds behaviour (login user, roles, audit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from felles.core.actor import Actor
from felles.organisations import services
from felles.organisations.models import Organisation, Person, Unit

TEST_PASSWORD = "riktig-hest-batteri-stift"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Seksjon {n}")
    kind = Unit.Kind.SECTION


def make_person(
    organisation: Organisation,
    username: str,
    *,
    unit: Unit | None = None,
    manager: Person | None = None,
    roles: Iterable[str] = (),
    serves: Iterable[Organisation] = (),
    password: str = TEST_PASSWORD,
    **values: Any,
) -> Person:
    actor = Actor.system("test")
    defaults = {
        "first_name": username.capitalize(),
        "last_name": "Testesen",
        "email": f"{username}@{organisation.email_domain}",
        "employee_number": f"T-{username}",
        "title": "Rådgiver",
        "unit": unit,
        "line_manager": manager,
        "active": True,
    }
    defaults.update(values)
    person = services.save_person(actor=actor, organisation=organisation, values=defaults)
    user = person.user
    user.username = username
    user.set_password(password)
    user.save()
    for role in roles:
        services.assign_role(
            actor=actor, person=person, role=role, organisation=organisation, served=serves
        )
    return person
