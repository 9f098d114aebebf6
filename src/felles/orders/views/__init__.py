"""Ordering pages, by topic: ordering and the order page (`ordering`), approvals
(`approvals`) and the provider queue (`queue`)."""

from felles.orders.views._common import DONE
from felles.orders.views.approvals import approval_decide, approval_link, approvals
from felles.orders.views.ordering import (
    ministry_orders,
    my_orders,
    order_action,
    order_detail,
    order_new,
)
from felles.orders.views.queue import queue

__all__ = [
    "DONE",
    "approval_decide",
    "approval_link",
    "approvals",
    "ministry_orders",
    "my_orders",
    "order_action",
    "order_detail",
    "order_new",
    "queue",
]
