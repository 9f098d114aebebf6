"""Order numbers on PostgreSQL come from a sequence (migration orders 0006): it goes past
every number given before it, and going back hands the yearly counters past every number
it gave."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from felles.orders import services
from felles.orders.models import Order, OrderCounter
from felles.orders.services import _common
from felles.testing import answers

migration = importlib.import_module("felles.orders.migrations.0006_order_number_sequence")

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _place(shop, actor) -> Order:
    svc = shop.services["ikt-ekstra-skjerm"]
    return services.submit_order(
        actor=actor, orderer=shop.employee, service=svc, answers=answers(svc)
    )


@pytest.mark.django_db
def test_back_and_forth_no_number_is_given_twice(shop, actor) -> None:
    order = _place(shop, actor)
    year = order.number.split("-")[1]
    highest = int(order.number.split("-")[2]) + 1000  # given by some other means
    Order.objects.filter(pk=order.pk).update(number=f"B-{year}-{highest:06d}")
    with connection.schema_editor() as editor:
        migration.drop(None, editor)  # back to the counter rows
    assert OrderCounter.objects.get(year=int(year)).last == highest
    with connection.schema_editor() as editor:
        migration.create(None, editor)
    # A restored backup from before the sequence: the counter is behind an order's number,
    # and the sequence exists already (moved, not created twice).
    OrderCounter.objects.filter(year=int(year)).update(last=5)
    with connection.schema_editor() as editor:
        migration.create(None, editor)
    assert _common.order_numbers(int(year)) == [f"B-{year}-{highest + 1:06d}"]
    assert _place(shop, actor).number == f"B-{year}-{highest + 2:06d}"
