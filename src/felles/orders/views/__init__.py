"""Ordering pages, by topic: ordering and the order page (`ordering`), approvals
(`approvals`), the provider queue (`queue`) and the read log of restricted orders
(`reads`)."""

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
from felles.orders.views.reads import read_log

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
    "read_log",
]
