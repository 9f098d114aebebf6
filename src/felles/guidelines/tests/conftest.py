"""What the guideline tests share: the seed catalogue, DSS's manager (Marte) and a helper
that takes a version through hearing to adoption."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from felles.core.actor import Actor

SYSTEM = Actor.system("test")
TEXT = "# Formål\nReiser bestilles i felles avtale.\n\n- Fly: økonomiklasse\n- Tog: standard"


@pytest.fixture
def library(personas: Any) -> Any:
    from felles.catalog import services as catalog_services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    catalog_services.seed_catalogue(actor=SYSTEM, price_from=dt.date(2026, 1, 1))
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    return personas


def actor_for(person: Any) -> Actor:
    return Actor(user=person.user, request_id="test")


def draft(p: Any, code: str = "reiser", **kwargs: Any) -> Any:
    from felles.catalog.models import ServiceArea
    from felles.guidelines import services

    today = timezone.localdate()
    return services.create_guideline(
        actor=actor_for(p.marte),
        code=code,
        title=kwargs.get("title", "Reiser"),
        kind="routine",
        area=ServiceArea.objects.get(code="service"),
        owner=p.dss,
        text=kwargs.get("text", TEXT),
        effective_from=today + dt.timedelta(days=10),
        respond_by=today + dt.timedelta(days=30),
    )


def close_hearing(version: Any) -> None:
    from felles.governance.models import Hearing

    Hearing.objects.filter(case=version.case).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )


def adopted(p: Any, code: str = "reiser") -> Any:
    from felles.guidelines import services

    version = services.send_to_hearing(actor=actor_for(p.marte), version=draft(p, code))
    close_hearing(version)
    return services.adopt_version(
        actor=actor_for(p.governance), version=version, reasons="Høringen støtter den."
    )
