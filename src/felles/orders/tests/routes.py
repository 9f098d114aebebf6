"""Access-matrix rows for the orders app's pages and API operations: the expected
answer for every persona. tests/test_access_matrix.py collects them; a route without a row
fails there."""

from __future__ import annotations

from felles.testing.matrix import (
    ALL,
    KARIS_ORDER,
    KARIS_ORDER_COMMENT,
    ONLY_PER_DECIDES,
    ORDERING,
    PERSONAS,
    Case,
    approval_token,
    meeting_body,
    order_id,
    service_id,
    step_id,
)

WEB: dict[str, Case] = {
    # The read-only auditor places no orders (catalog.selectors.may_order).
    "order_new": Case("GET", {**ORDERING, "auditor": 404}, kwargs=service_id("ikt-videomote")),
    "my_orders": Case("GET", ALL),
    "ministry_orders": Case("GET", {**dict.fromkeys(PERSONAS[1:], 403), "coordinator": 200}),
    "order": Case("GET", KARIS_ORDER, kwargs=order_id),
    "order_action": Case(
        "POST",
        KARIS_ORDER_COMMENT,
        kwargs=order_id,
        body=lambda p: {"action": "comment", "text": "Hei"},
    ),
    "approvals": Case("GET", ALL),
    "approval_decide": Case(
        "POST", ONLY_PER_DECIDES, kwargs=step_id, body=lambda p: {"decision": "approve"}
    ),
    "approval_link": Case("GET", ALL, anonymous=200, kwargs=approval_token),
    "queue": Case("GET", {**dict.fromkeys(PERSONAS[1:], 403), "agent": 200}),
    # The read log of restricted orders: the auditor (and the administrator) search it.
    "read_log": Case("GET", {**dict.fromkeys(PERSONAS[1:], 403), "auditor": 200, "admin": 200}),
}

API: dict[str, Case] = {
    "GET /orders": Case("GET", ALL, anonymous=401),
    "POST /orders": Case(
        "POST",
        {
            **{k: 201 for k in ORDERING if ORDERING[k] == 200},
            "agent": 404,
            "admin": 404,
            "auditor": 404,
        },
        anonymous=401,
        body=meeting_body,
    ),
    "GET /orders/{order_id}": Case("GET", KARIS_ORDER, anonymous=401, kwargs=order_id),
    "POST /orders/{order_id}/actions": Case(
        "POST",
        {k: 200 if v == 302 else v for k, v in KARIS_ORDER_COMMENT.items()},
        anonymous=401,
        kwargs=order_id,
        body=lambda p: {"action": "comment", "text": "Hei"},
    ),
    "GET /approvals": Case("GET", ALL, anonymous=401),
    "POST /approvals/{step_id}": Case(
        "POST",
        {k: 200 if v == 302 else v for k, v in ONLY_PER_DECIDES.items()},
        anonymous=401,
        kwargs=step_id,
        body=lambda p: {"decision": "approve"},
    ),
}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "approval_decide": (404, 404),
    "approval_link": (200, 200),
    "approvals": (200, 200),
    "ministry_orders": (403, 403),
    "my_orders": (200, 200),
    "order": (404, 404),
    "order_action": (404, 404),
    "order_new": (404, 404),
    "queue": (200, 200),
    "read_log": (403, 403),
}

SCOPED_API: dict[str, tuple[int, int]] = {
    "GET /approvals": (200, 200),
    "GET /orders": (200, 200),
    "GET /orders/{order_id}": (404, 404),
    "POST /approvals/{step_id}": (404, 404),
    "POST /orders": (404, 404),
    "POST /orders/{order_id}/actions": (404, 404),
}
