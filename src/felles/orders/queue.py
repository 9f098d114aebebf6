"""Reads for the provider queue's inline actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role

Pair = tuple[int, int, int | None]


def pair_of(order: Order) -> Pair:
    """(provider, ministry, and the service when it is restricted: only its handling team
    may be assigned)."""
    service = order.service
    return (service.provider_id, order.ministry_id, service.pk if service.is_confidential else None)


def colleagues_by_pair(orders: Iterable[Order]) -> dict[Pair, list[Person]]:
    """For each (provider, ministry[, restricted service]) of `orders`, the colleagues an
    order may be assigned to: the rule of `selectors.colleagues_for_assignment`, asked once
    per pair on the page (a page's orders come from few ministries) rather than once per
    order."""
    pairs = {pair_of(o) for o in orders}
    found: dict[Pair, list[Person]] = defaultdict(list)
    for provider_id, ministry_id, service_id in pairs:
        staff = org_selectors.staff_serving(
            provider_id, ministry_id, roles=(Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER)
        )
        if service_id is not None:
            staff = staff.filter(handled_services=service_id)
        found[(provider_id, ministry_id, service_id)] = list(
            staff.order_by("last_name", "first_name")
        )
    return found
