"""Linked orders: a parent order (a bundle, felles.bundles) that closes by itself when
the children it created are all finished. Only the system calls this (the bundles app, on
`events.status_changed` of a child)."""

from __future__ import annotations

from django.utils import timezone

from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, allowed
from felles.orders.models import Order, OrderEvent
from felles.orders.services._common import _event, _locked, _transition


@allowed(SYSTEM_ONLY, "Bare systemet avslutter en samlebestilling.")
def complete_parent(*, actor: Actor, order: Order, text: str = "") -> Order:
    """Close the parent order (from any state at the provider) with a timeline entry."""
    with _locked(order) as order:
        now = timezone.now()
        extra = {} if order.resolved_at else {"resolved_at": now}
        order = _transition(order, "complete", actor=actor, closed_at=now, **extra)
        _event(order, OrderEvent.Kind.CLOSED, None, text)
    return order
