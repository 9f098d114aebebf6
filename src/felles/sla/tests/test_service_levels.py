"""An order's SLA follows its service's own level, the one valid on the day the order
reached the provider; a later level never changes it. Deadlines computed by hand: ministry
office hours 08:00–15:45, in summer (15 May–14 Sep) 08:00–15:00."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from felles.catalog import selectors
from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.orders import services
from felles.orders.models import Order
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.sla import clock
from felles.sla import services as sla_services
from felles.sla.models import OrderSla
from felles.sla.tests.test_sla_orders import backdate
from felles.testing import answers

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
D = Decimal


def meeting(shop, actor) -> Order:
    svc = Service.objects.get(code="srv-moterom")  # no approval: queued at once
    return services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def minute(value: dt.datetime | None) -> dt.datetime | None:
    """To the minute: the backdated order reached the provider a moment after 09:00."""
    return value.replace(second=0, microsecond=0) if value else None


def test_an_order_runs_on_its_services_own_targets(shop, actor) -> None:
    # Meeting rooms are seeded with the booking level: normal priority 2 h to first
    # response, 8 h to resolution (the standard is 8 h / 40 h).
    order = meeting(shop, actor)
    backdate(order, at(2026, 11, 2, 9, 0))  # Monday, winter hours
    sla = OrderSla.objects.get(order=order)
    assert (sla.response_target, sla.resolution_target) == (120, 480)
    # 09:00 + 2 h = 11:00. Resolution: Monday 09:00–15:45 is 6.75 h, the last 1.25 h run
    # from Tuesday 08:00 to 09:15. The warning at 75 % (6 h) falls on Monday 15:00.
    assert minute(sla.response_due) == at(2026, 11, 2, 11, 0)
    assert minute(sla.resolution_due) == at(2026, 11, 3, 9, 15)
    assert minute(sla.resolution_warn_at) == at(2026, 11, 2, 15, 0)


def test_a_change_mid_year_applies_to_orders_reaching_the_provider_after_it(shop, actor) -> None:
    marte = make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    rooms = Service.objects.get(code="srv-moterom")
    faster = {
        "low_response": D(2),
        "low_resolution": D(8),
        "normal_response": D(1),
        "normal_resolution": D(4),
        "high_response": D("0.5"),
        "high_resolution": D(2),
        "critical_response": D("0.25"),
        "critical_resolution": D(1),
    }
    with time_machine.travel(at(2026, 5, 4, 10, 0), tick=False):
        catalog_services.add_service_level(
            actor=Actor(user=marte.user),
            service=rooms,
            valid_from=dt.date(2026, 7, 1),
            targets=faster,
            opening_hours="Hverdager 08:00–15:45 (sommer 08:00–15:00)",
        )
    before, after = meeting(shop, actor), meeting(shop, actor)
    backdate(before, at(2026, 6, 29, 9, 0))  # Monday, summer hours: the old level, 2 h / 8 h
    backdate(after, at(2026, 7, 1, 9, 0))  # Wednesday: the new level, 1 h / 4 h
    old, new = OrderSla.objects.get(order=before), OrderSla.objects.get(order=after)
    assert (old.response_target, old.resolution_target) == (120, 480)
    # 09:00–15:00 is 6 h on Monday; the last 2 h run Tuesday 08:00–10:00.
    assert minute(old.response_due) == at(2026, 6, 29, 11, 0)
    assert minute(old.resolution_due) == at(2026, 6, 30, 10, 0)
    assert (new.response_target, new.resolution_target) == (60, 240)
    assert minute(new.response_due) == at(2026, 7, 1, 10, 0)
    assert minute(new.resolution_due) == at(2026, 7, 1, 13, 0)
    # A priority change takes the new priority's target from the order's own level: high
    # is 1 h / 4 h in the old level, 0.5 h / 2 h in the new one.
    assert sla_services.targets_for(before)["high"] == clock.Targets(60, 240)
    assert sla_services.targets_for(after)["high"] == clock.Targets(30, 120)
    # Recomputing from history gives the same deadlines, whatever level holds today.
    assert sla_services.recompute_all() == []


def test_an_order_not_yet_at_the_provider_is_measured_by_todays_level(shop, actor) -> None:
    svc = Service.objects.get(code="ikt-ekstra-skjerm")  # waits for the line manager
    order = services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, quantity=D(1), answers=answers(svc)
    )
    # Equipment: normal 8 h / 40 h.
    assert sla_services.targets_for(order)["normal"] == clock.Targets(8 * 60, 40 * 60)


def test_the_stricter_of_two_targets_wins_field_by_field() -> None:
    standard = {"normal": clock.Targets(480, 2400), "high": clock.Targets(240, 960)}
    agreed = {"normal": clock.Targets(600, 1800), "critical": clock.Targets(30, 240)}
    assert clock.stricter(standard, agreed) == {
        "normal": clock.Targets(480, 1800),  # response stays 8 h, resolution 30 h
        "high": clock.Targets(240, 960),
        "critical": clock.Targets(30, 240),
    }
    assert clock.from_hours({"low": (D("0.25"), D(2))}) == {"low": clock.Targets(15, 120)}


def test_submitting_reads_the_level_with_the_cached_definition(shop, actor) -> None:
    svc = Service.objects.get(code="srv-moterom")
    meeting(shop, actor)  # loads and caches the definition
    definition = selectors.orderable_service(shop.employee.user, svc.uuid)
    assert definition is not None
    with CaptureQueriesContext(connection) as queries:
        order = services.submit_order(
            actor=actor, orderer=shop.employee, service=definition, answers=answers(definition)
        )
    assert OrderSla.objects.get(order=order).resolution_target == 480
    assert not [q for q in queries if "catalog_servicelevel" in q["sql"]]
