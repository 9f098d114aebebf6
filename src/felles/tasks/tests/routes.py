"""Access-matrix rows for the tasks app's pages: the expected answer for every persona.
tests/test_access_matrix.py collects them; a route without a row fails there."""

from __future__ import annotations

from typing import Any

from felles.testing.matrix import (
    ADMIN_ONLY,
    KARIS_ORDER,
    PERSONAS,
    Case,
    karis_phone_order,
    service_id,
)


def queued_task(p) -> dict[str, Any]:
    """Kari's phone order at the provider with one open task."""
    from felles.orders.models import Order
    from felles.tasks.models import OrderTask

    order = karis_phone_order(p)
    Order.objects.filter(pk=order.pk).update(status="queued")
    task = OrderTask.objects.create(order=order, position=1, name_nb="Klargjør", step_nb="Klar")
    return {"order_id": order.uuid, "task_id": task.uuid}


# Kari's order: the orderer's side sees the task but may not work on it; the DSS agent
# serving KUD completes it; FIN's adviser and DFD's governance user do not see the order.
TASK_ACTION = {
    **dict.fromkeys(PERSONAS[1:], 403),
    "outsider": 404,
    "governance": 404,
    "agent": 302,
}

WEB: dict[str, Case] = {
    # No standing persona is a provider manager: the managers' page is tested in test_tasks.
    "task_templates": Case("GET", ADMIN_ONLY, kwargs=service_id("srv-moterom")),
    "task_action": Case(
        "POST", TASK_ACTION, kwargs=queued_task, body=lambda p: {"action": "complete"}
    ),
}

API: dict[str, Case] = {
    # The checklist: whoever reads Kari's order; working on it: the DSS agent serving KUD.
    "GET /orders/{order_id}/tasks": Case("GET", KARIS_ORDER, anonymous=401, kwargs=queued_task),
    "POST /orders/{order_id}/tasks/{task_id}": Case(
        "POST",
        {k: 200 if v == 302 else v for k, v in TASK_ACTION.items()},
        anonymous=401,
        kwargs=queued_task,
        body=lambda p: {"action": "complete"},
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "task_templates": (403, 404),
    "task_action": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /orders/{order_id}/tasks": (404, 404),
    "POST /orders/{order_id}/tasks/{task_id}": (404, 404),
}
