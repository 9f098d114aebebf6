"""Fixtures for ordering: the seed catalogue and a three-level management line in KUD
(Kari → Per → Hanne, the department head and budget holder)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.organisations import services as org_services
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person


@pytest.fixture
def shop(personas, actor) -> Any:
    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    head = make_person(personas.kud, "hanne", roles=[Role.BUDGET_HOLDER])
    org_services.save_person(
        actor=actor,
        organisation=personas.kud,
        values={"line_manager": head},
        person=personas.manager,
    )
    # Per is a line manager without budget authority here, so large orders need Hanne too.
    org_services.remove_role(
        actor=actor, assignment=personas.manager.roles.get(role=Role.BUDGET_HOLDER)
    )
    security = make_person(personas.kud, "knut", roles=[Role.SECURITY_COORDINATOR])
    personas.manager.refresh_from_db()
    personas.head = head
    personas.security = security
    personas.services = {s.code: s for s in Service.objects.all()}
    return personas


def answers(service: Service, **values: Any) -> dict[str, Any]:
    return {f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in service.fields.all()}
