"""An agreement between DSS and KUD: Siri manages DSS (every ministry), Ingrid coordinates
KUD's orders; FIN's coordinator Frida is the wrong ministry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from felles.agreements import rules, services
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person

T = rules.Targets


@pytest.fixture
def deal(shop: Any, actor: Any) -> Any:
    shop.siri = make_person(shop.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    shop.frida = make_person(shop.fin, "frida", roles=[Role.ORDERING_COORDINATOR])
    return shop


def draft(p: Any, actor: Any, start: dt.date = dt.date(2027, 1, 1), **kw: Any) -> Any:
    agreement = services.create_draft(
        actor=actor, provider=p.dss, ministry=p.kud, valid_from=start, **kw
    )
    services.save_line(
        actor=actor,
        agreement=agreement,
        service=p.services["srv-mobil"],
        volume=40,
        targets={"normal": T(Decimal(4), Decimal(16))},
    )
    return agreement


def agreed(p: Any, actor: Any, start: dt.date = dt.date(2027, 1, 1), **kw: Any) -> Any:
    agreement = draft(p, actor, start, **kw)
    services.send(actor=actor, agreement=agreement)
    services.accept(actor=actor, agreement=agreement, person=p.coordinator, side="ministry")
    return services.accept(actor=actor, agreement=agreement, person=p.siri, side="provider")
