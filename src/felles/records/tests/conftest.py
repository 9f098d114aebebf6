"""Fixtures for archive work: KUD's information-management coordinator (Eva) and DIO's
archive team (Dag, on the handling team of the archive services)."""

from __future__ import annotations

from typing import Any

import pytest

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.orders import services as order_services
from felles.organisations.models import Organisation, Role
from felles.organisations.tests.factories import make_person
from felles.records import selectors, services
from felles.records.models import ArchiveJob


@pytest.fixture
def archive(shop: Any) -> Any:
    p = shop
    actor = Actor.system("test")
    p.dio = Organisation.objects.get(abbreviation="DIO")
    p.eva = make_person(p.kud, "eva", manager=p.manager, roles=[Role.INFORMATION_COORDINATOR])
    p.dag = make_person(p.dio, "dag", roles=[Role.PROVIDER_AGENT])
    p.dio_other = make_person(p.dio, "hilde", roles=[Role.PROVIDER_AGENT])
    for service in Service.objects.filter(code__in=selectors.ARCHIVE_SERVICES):
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb="",
            team=[p.dag],
        )

    def order(code: str = "if-deponering") -> Any:
        placed = order_services.submit_order(
            actor=actor,
            orderer=p.eva,
            service=Service.objects.get(code=code),
            answers={"beskrivelse": {"label": "Hva", "value": "Arkivarbeid"}},
        )
        for step in placed.steps.order_by("position"):
            step.refresh_from_db()
            approver = step.approver or p.manager
            order_services.decide(
                actor=actor, step=step, decider=approver, on_behalf_of=approver, approve=True
            )
        placed.refresh_from_db()
        return placed

    def job(kind: str = ArchiveJob.Kind.TRANSFER, code: str = "if-deponering") -> ArchiveJob:
        return services.open_job(
            actor=actor, order=order(code), values={"kind": kind, "title": "Avlevering 1997–2001"}
        )

    p.order = order
    p.job = job
    return p
