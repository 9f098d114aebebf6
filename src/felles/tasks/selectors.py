"""Reads for task checklists: who sees an order's tasks, and what they show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from felles.catalog.models import Service
from felles.core import visibility
from felles.core.types import AnyUser
from felles.orders import selectors as order_selectors
from felles.orders import states
from felles.orders.models import Order
from felles.tasks.models import OrderTask, TaskTemplate

# While an order is in one of these states its open tasks can still be worked on.
WORKING_STATES = frozenset(
    s.value
    for s in (states.Status.QUEUED, states.Status.IN_PROGRESS, states.Status.WAITING_FOR_CUSTOMER)
)


def visible_task_filter(user: AnyUser) -> Q:
    """An order's tasks are seen by whoever may read the order's content (issue 18): a
    restricted order's checklist is no metadata."""
    return Q(order__in=Order.objects.filter(order_selectors.content_filter(user)).values("pk"))


visibility.register(OrderTask, visible_task_filter)


def template_on(service: Service, day: dt.date) -> TaskTemplate | None:
    """The service's task template valid on `day`, if any."""
    return (
        TaskTemplate.objects.filter(service=service, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def templates_of(service: Service) -> list[TaskTemplate]:
    """The service's templates, newest first, with their tasks."""
    return list(
        TaskTemplate.objects.filter(service=service)
        .prefetch_related("tasks")
        .order_by("-valid_from")
    )


def tasks_of(order: Order) -> QuerySet[OrderTask]:
    """The order's tasks in order (the caller has checked the user may read them)."""
    return OrderTask.objects.filter(order=order).select_related("assignee", "finished_by")


def may_work_on(user: AnyUser, order: Order) -> bool:
    """The provider's staff serving the order's ministry (for a restricted service, its
    handling team) take, assign, complete and skip its tasks while it is open."""
    return order.status in WORKING_STATES and order_selectors.is_provider_staff(user, order)


@dataclass(frozen=True)
class Progress:
    finished: int
    total: int
    next_due: dt.date | None

    @property
    def text(self) -> str:
        return _("%(done)s av %(total)s steg ferdig") % {"done": self.finished, "total": self.total}


def progress_by_order(user: AnyUser, orders: Iterable[Order]) -> dict[int, Progress]:
    """Each order's progress (finished of all, the earliest due date of an open task) for
    the orders whose tasks `user` may see: one query for any number of orders (the
    queue)."""
    ids = [o.pk for o in orders]
    if not ids:
        return {}
    is_open = Q(status=OrderTask.Status.OPEN)
    rows = (
        OrderTask.objects.visible_to(user)
        .filter(order_id__in=ids)
        .values("order_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=is_open))
        .annotate(next_due=Min("due_on", filter=is_open))
        .order_by()
    )
    return {
        r["order_id"]: Progress(r["total"] - r["open"], r["total"], r["next_due"]) for r in rows
    }


def queue_progress(*, user: AnyUser, orders: Iterable[Order]) -> dict[int, str]:
    """The queue's task column (answers `orders.events.queue_task_progress`)."""
    found: dict[int, str] = {}
    for order_id, progress in progress_by_order(user, orders).items():
        text = progress.text
        if progress.next_due is not None:
            text = _("%(progress)s, neste frist %(day)s") % {
                "progress": text,
                "day": f"{progress.next_due:%d.%m.%Y}",
            }
        found[order_id] = text
    return found


def resolve_blockers(*, order: Order) -> list[str]:
    """The required tasks still open: the order cannot be resolved before they are done or
    skipped (answers `orders.events.resolve_blockers`)."""
    names = list(
        OrderTask.objects.filter(order=order, required=True, status=OrderTask.Status.OPEN)
        .order_by("position")
        .values_list("name_nb", flat=True)
    )
    if not names:
        return []
    return [_("Påkrevde oppgaver er ikke ferdige: %(tasks)s.") % {"tasks": ", ".join(names)}]
