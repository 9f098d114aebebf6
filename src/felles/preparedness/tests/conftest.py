from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sec(shop: Any, actor: Any) -> Any:
    """The shop plus FIN's security coordinator (Frode) and DSS's security adviser (Sigrid)
    on the handling team of the sik-* services this app uses."""
    from felles.catalog import services as catalog_services
    from felles.organisations.models import Person, Role
    from felles.organisations.tests.factories import make_person
    from felles.preparedness.demo import TEAM_SERVICES

    p = shop
    p.knut = p.security
    # Per leads KUD here (the top of its line): the leader signs risk analyses
    # (organisations.selectors.ministries_led), not a section head with a leader above.
    # (Hanne, the department head of the shop, reports to him: one person at the top.)
    Person.objects.filter(pk=p.manager.pk).update(line_manager=None)
    Person.objects.filter(pk=p.head.pk).update(line_manager=p.manager)
    p.manager.refresh_from_db()
    p.manager.user.__dict__.pop("_felles_access", None)
    p.frode = make_person(p.fin, "frode", roles=[Role.SECURITY_COORDINATOR])
    p.sigrid = make_person(p.dss, "sigrid", roles=[Role.PROVIDER_AGENT])
    for code in TEAM_SERVICES:
        service = p.services[code]
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb=service.confidentiality_reason_nb or "Sikkerhet",
            team=[p.sigrid],
        )
    return p
