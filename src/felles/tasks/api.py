"""API router: an order's checklist. Whoever may read the order's content lists its tasks
(the orderer's side sees the customer-facing steps and their progress, never the internal
names, teams or notes); the provider's staff who may work on the order take, assign,
complete and skip them (tasks.services decides). Added under the orders router by
TasksConfig.ready()."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.orders import compiled as order_compiled
from felles.orders import selectors as order_selectors
from felles.orders.models import Order
from felles.organisations.models import Person
from felles.tasks import selectors, services
from felles.tasks.models import TEXT_MAX, OrderTask

router = Router(tags=["oppgaver"])


class TaskOut(Schema):
    id: UUID
    position: int
    step: str = Field(description="The step as the orderer sees it")
    name: str = Field(description="The task's internal name (empty for the orderer's side)")
    team: str
    required: bool
    status: str = Field(description="open, done or skipped")
    due_on: dt.date | None
    assignee: str | None
    finished_by: str | None
    finished_at: dt.datetime | None
    note: str = Field(description="The reason for skipping (the provider's staff only)")


class TasksOut(Schema):
    order_id: UUID
    progress: str
    finished: int
    total: int
    may_work: bool
    tasks: list[TaskOut]


class TaskActionIn(Schema):
    action: Literal["take", "assign", "complete", "skip"]
    reason: str = Field("", max_length=TEXT_MAX, description="Why the task is skipped (skip)")
    assignee_id: UUID | None = Field(None, description="The colleague to assign (assign)")


def _task_out(task: OrderTask, staff: bool) -> dict[str, Any]:
    return {
        "id": task.uuid,
        "position": task.position,
        "step": task.step_nb,
        "name": task.name_nb if staff else "",
        "team": task.team if staff else "",
        "required": task.required,
        "status": task.status,
        "due_on": task.due_on,
        "assignee": task.assignee.full_name if staff and task.assignee else None,
        "finished_by": task.finished_by.full_name if staff and task.finished_by else None,
        "finished_at": task.finished_at,
        "note": task.note if staff else "",
    }


def _tasks_out(user: Any, order: Order) -> dict[str, Any]:
    tasks = list(
        OrderTask.objects.visible_to(user)
        .filter(order=order)
        .select_related("assignee", "finished_by")
        .order_by("position")
    )
    staff = order_selectors.is_provider_staff(user, order)
    finished = sum(1 for t in tasks if not t.is_open)
    return {
        "order_id": order.uuid,
        "progress": selectors.Progress(finished, len(tasks), None).text if tasks else "",
        "finished": finished,
        "total": len(tasks),
        "may_work": bool(tasks) and staff and selectors.may_work_on(user, order),
        "tasks": [_task_out(t, staff) for t in tasks],
    }


@router.get("/orders/{order_id}/tasks", response=responses(TasksOut))
@api_requires(authenticated)
def list_tasks(request: HttpRequest, order_id: UUID) -> object:
    order = order_compiled.order_or_404(request.user, order_id)
    return _tasks_out(request.user, order)


@router.post("/orders/{order_id}/tasks/{task_id}", response=responses(TasksOut))
@api_requires(authenticated)
def task_action(
    request: HttpRequest, order_id: UUID, task_id: UUID, payload: TaskActionIn
) -> object:
    """Take, assign, complete or skip one task; answers the checklist as it is now. 403
    for those who may see the task but not work on it, 409 when another agent finished
    it first or the order is no longer open for work."""
    order = order_compiled.order_or_404(request.user, order_id)
    task = get_visible_or_404(OrderTask.objects.visible_to(request.user), uuid=task_id, order=order)
    actor = Actor.from_request(request)
    if payload.action == "take":
        services.take(actor=actor, task=task)
    elif payload.action == "complete":
        services.complete(actor=actor, task=task)
    elif payload.action == "skip":
        services.skip(actor=actor, task=task, reason=payload.reason)
    else:
        assignee = Person.objects.filter(uuid=payload.assignee_id).first()
        services.assign(actor=actor, task=task, assignee=assignee)
    order.refresh_from_db()
    return _tasks_out(request.user, order)
