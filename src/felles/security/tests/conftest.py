"""The security app's test world: the shop (KUD with Knut as security coordinator), Sigrid
on DSS's personnel-security team, FIN's coordinator Frode, and a deputy coordinator in
KUD (an order a coordinator places is approved by another, as every order)."""

from __future__ import annotations

from typing import Any

import pytest

from felles.core.actor import Actor


@pytest.fixture
def world(shop: Any) -> Any:
    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    actor = Actor.system("test")
    shop.sigrid = make_person(shop.dss, "sigrid", roles=[Role.PROVIDER_AGENT])
    shop.frode = make_person(shop.fin, "frode", roles=[Role.SECURITY_COORDINATOR])
    shop.deputy = make_person(shop.kud, "solveig", roles=[Role.SECURITY_COORDINATOR])
    for svc in Service.objects.filter(code__in=("sik-klarering", "sik-autorisasjon")):
        catalog_services.set_confidentiality(
            actor=actor,
            service=svc,
            confidentiality=svc.confidentiality,
            reason_nb=svc.confidentiality_reason_nb or "Personellsikkerhet.",
            reason_en=svc.confidentiality_reason_en,
            team=[shop.sigrid],
        )
    return shop
