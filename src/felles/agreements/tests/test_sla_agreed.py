"""An order's SLA takes the agreement's targets where they are stricter than the service's
standard, per priority and field by field, for the ministry and day the agreement covers.
Deadlines computed by hand: office hours 08:00–15:45 in winter."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from felles.agreements import rules, services
from felles.agreements.models import Agreement
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.sla import clock
from felles.sla import services as sla_services
from felles.sla.models import OrderSla
from felles.sla.tests.test_sla_orders import backdate
from felles.testing import answers

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
D = Decimal
T = rules.Targets


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def minute(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(second=0, microsecond=0) if value else None


def meeting(person) -> Order:
    svc = Service.objects.get(code="srv-moterom")  # no approval: queued at once
    return order_services.submit_order(
        actor=Actor.system("test"), orderer=person, service=svc, answers=answers(svc)
    )


def agree(deal, actor, start: dt.date, end: dt.date | None = None):
    agreement = services.create_draft(
        actor=actor,
        provider=deal.dss,
        ministry=deal.kud,
        valid_from=start,
        valid_to=end,
        notes="Møterom: raskere bekreftelse for KUD.",
    )
    # Meeting rooms' standard (the booking level): normal 2 h / 8 h, high 1 h / 4 h.
    services.save_line(
        actor=actor,
        agreement=agreement,
        service=Service.objects.get(code="srv-moterom"),
        targets={"normal": T(D(1), D(4)), "high": T(D("0.5"), D(4))},
    )
    services.send(actor=actor, agreement=agreement)
    services.accept(actor=actor, agreement=agreement, person=deal.coordinator, side="ministry")
    agreed = services.accept(actor=actor, agreement=agreement, person=deal.siri, side="provider")
    # Agreed before its first day, as in real life (an order keeps the targets valid when it
    # reached the provider: an agreement accepted later does not reach back).
    Agreement.objects.filter(pk=agreed.pk).update(agreed_at=at(start.year, start.month, start.day))
    agreed.refresh_from_db()
    return agreed


def test_the_agreements_stricter_targets_set_the_deadlines(deal, actor) -> None:
    agree(deal, actor, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    order = meeting(deal.employee)  # Kari, KUD
    backdate(order, at(2026, 11, 2, 9, 0))  # Monday, winter hours
    sla = OrderSla.objects.get(order=order)
    # Agreed 1 h / 4 h instead of the standard 2 h / 8 h (business minutes 60 / 240).
    assert (sla.response_target, sla.resolution_target) == (60, 240)
    # 09:00 + 1 h = 10:00; + 4 h = 13:00 the same day; the warning at 75 % (3 h) 12:00.
    assert minute(sla.response_due) == at(2026, 11, 2, 10, 0)
    assert minute(sla.resolution_due) == at(2026, 11, 2, 13, 0)
    assert minute(sla.resolution_warn_at) == at(2026, 11, 2, 12, 0)
    # Field by field: high is agreed 0.5 h / 4 h against the standard 1 h / 4 h.
    assert sla_services.targets_for(order)["high"] == clock.Targets(30, 240)
    # Priorities the agreement does not name keep the standard (low: 4 h / 16 h).
    assert sla_services.targets_for(order)["low"] == clock.Targets(240, 960)


def test_outside_the_agreement_the_standard_holds(deal, actor) -> None:
    agree(deal, actor, dt.date(2026, 11, 3), dt.date(2026, 12, 31))
    before = meeting(deal.employee)
    backdate(before, at(2026, 11, 2, 9, 0))  # the day before the agreement begins
    other = meeting(deal.outsider)  # Ola, FIN: no agreement
    backdate(other, at(2026, 11, 4, 9, 0))
    for order in (before, other):
        sla = OrderSla.objects.get(order=order)
        assert (sla.response_target, sla.resolution_target) == (120, 480)
    inside = meeting(deal.employee)
    backdate(inside, at(2026, 11, 4, 9, 0))
    assert OrderSla.objects.get(order=inside).resolution_target == 240
    assert sla_services.recompute_all() == []


def test_an_agreement_accepted_later_does_not_reach_back_to_an_order(deal, actor) -> None:
    """The agreement runs from 1 October but is accepted only now (December): an order that
    reached the provider on 2 November keeps the standard targets, on every refresh."""
    order = meeting(deal.employee)
    backdate(order, at(2026, 11, 2, 9, 0))
    agreement = agree(deal, actor, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    Agreement.objects.filter(pk=agreement.pk).update(agreed_at=at(2026, 12, 1, 12, 0))
    assert sla_services.recompute_all(write=True) == []  # nothing moved
    sla = OrderSla.objects.get(order=order)
    assert (sla.response_target, sla.resolution_target) == (120, 480)  # standard 2 h / 8 h
    # 09:00 + 8 office hours (08:00–15:45): 6 h 45 on Monday, 1 h 15 on Tuesday → 09:15.
    assert minute(sla.resolution_due) == at(2026, 11, 3, 9, 15)
