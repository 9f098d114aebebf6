"""Reads for the provider queue's inline actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role


def colleagues_by_pair(orders: Iterable[Order]) -> dict[tuple[int, int], list[Person]]:
    """For each (provider, ministry) of `orders`, the colleagues an order may be assigned
    to: the rule of `selectors.colleagues_for_assignment`, asked once per pair on the page (a page's
    orders come from few ministries) rather than once per order."""
    pairs = {(o.service.provider_id, o.ministry_id) for o in orders}
    found: dict[tuple[int, int], list[Person]] = defaultdict(list)
    for provider_id, ministry_id in pairs:
        found[(provider_id, ministry_id)] = list(
            org_selectors.staff_serving(
                provider_id, ministry_id, roles=(Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER)
            ).order_by("last_name", "first_name")
        )
    return found
