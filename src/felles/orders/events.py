"""What orders tells, and asks, the apps above it (core.events)."""

from __future__ import annotations

from typing import Any

from felles.core.events import Event, Query

history_changed = Event(
    "orders.history_changed",
    "An order's history moved (an event was written, or its dates were set): the clocks "
    "computed from it must follow. Facts: `order`. Handled by sla (refreshes the SLA).",
)

order_resolved = Event(
    "orders.order_resolved",
    "The provider resolved an order: what was delivered is usage to bill or show back, "
    "written in the same transaction. Facts: `actor`, `order`. Handled by invoicing.",
)

sla_pauses: Query[list[Any]] = Query(
    "orders.sla_pauses",
    "The periods an order's SLA clock stood still (waiting for the customer), for the "
    "order page (`order=`). Answered by sla; none without it.",
    default=lambda *, order: [],
)
