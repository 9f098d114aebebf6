"""What orders tells, and asks, the apps above it (core.events)."""

from __future__ import annotations

from typing import Any

from felles.core.events import AllAnswers, Event, FirstAnswer, Query

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

order_queued = Event(
    "orders.order_queued",
    "An order reached the provider (its «Sendt til leverandøren» event was written), in "
    "the same transaction. Facts: `order`. Handled by tasks (the order's checklist).",
)

resolve_blockers: AllAnswers[str] = AllAnswers(
    "orders.resolve_blockers",
    "Why an order cannot be resolved yet (`order=`): one bokmål text per reason. Answered "
    "by tasks (the required tasks still open) and security (a re-clearance whose decision "
    "is not in the register yet); nothing blocks without them.",
)

order_task_section: Query[str] = Query(
    "orders.order_task_section",
    "The order page's checklist section (rendered HTML) for `user` and `order` (and the "
    "`request`, for its forms' CSRF token): progress "
    "for the orderer, the tasks with their actions for the provider's staff. Answered by "
    "tasks; empty without it.",
    default=lambda **_: "",
)

status_changed = Event(
    "orders.status_changed",
    "An order moved from one status to another (any transition, in the same transaction). "
    "Facts: `actor`, `order`, `before`. Handled by bundles (a parent order follows its "
    "children).",
)

order_links: Query[str] = Query(
    "orders.order_links",
    "The order page's section on linked orders (`order=`, `user=`): the parent it belongs "
    "to, or the children it created, as HTML. Answered by bundles; empty without it.",
    default=lambda *, order, user: "",
)

queue_task_progress: Query[dict[int, str]] = Query(
    "orders.queue_task_progress",
    "The provider queue's task progress per order (`user=`, `orders=`): order id to a "
    "short text («2 av 5 steg ferdig, neste frist …»), in one query for the whole page. "
    "Answered by tasks; nothing without it.",
    default=lambda **_: {},
)

order_form_url: FirstAnswer[str] = FirstAnswer(
    "orders.order_form_url",
    "Another page where a service is ordered (`service=`): a bundle on the bundle's own "
    "form (which makes its children), `hr-lonnsendring` on HR's salary-change page (which "
    "makes the `SalaryChange`), a meeting room in the room search (under the booking "
    "rules). The ordinary form sends there and `POST /orders` refuses it. Asked for every "
    "submission: an answer must not cost a query (bundles reads a per-catalogue-revision "
    "cache, hr and rooms the service's code). Answered by bundles, hr and rooms, each for "
    "its own services; None (the ordinary order form) without them.",
)


container_cancelled = Event(
    "orders.container_cancelled",
    "The orderer cancelled a container order (a bundle's parent), in the same transaction. "
    "Facts: `actor`, `order`, `reason`, `person` (who cancelled). Handled by bundles (the "
    "children that can still be cancelled are cancelled with it).",
)
