"""The reads every order request makes, compiled once per connection (core.prepared): the
order behind the reader's visibility rule, its timeline and its approval steps. Each gives
what the ORM query of `selectors` gives (`orders_for`, `events_for`, `order.steps`);
orders/tests/test_confidential.py holds them equal for every persona."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from felles.core import prepared
from felles.core.types import AnyUser
from felles.orders import selectors
from felles.orders.models import ApprovalStep, Order, OrderEvent
from felles.organisations import selectors as org_selectors

M = TypeVar("M", bound=Model)


def rule_key(user: AnyUser) -> tuple[object, ...]:
    """Everything `selectors.content_filter` and `visible_order_filter` read of a user:
    being a superuser, the person, the roles, the provider roles with the ministries they
    serve, and today's date (a substitute's reach). Users with equal keys get equal rules,
    so the statement compiled from a rule is kept under its key: far cheaper than building
    the rule to use it as the key. A new input to the rules must come in here too;
    orders/tests/test_confidential.py holds the compiled reads equal to the ORM's for every
    persona."""
    access = org_selectors.access_for(user)
    return (
        bool(getattr(user, "is_superuser", False)),
        access.person.pk if access.person is not None else None,
        access.roles,
        access.provider_roles,
        timezone.localdate(),
    )


def visible_order(user: AnyUser, order_uuid: uuid.UUID, *related: str) -> Order | None:
    """The order with this uuid from `orders_for(user)` with `related` joined too, or None.
    The statement is compiled once per connection and visibility rule (core.prepared),
    kept under what the rule is made of (`rule_key`): a person whose access changes gets
    a statement of their own."""
    found = prepared.run(
        ("orders.visible_order", rule_key(user), related),
        lambda order_uuid: _joined(
            selectors.orders_for(user).select_related(*related).filter(uuid=order_uuid),
            *selectors.ORDER_JOINS,
        ),
        order_uuid=order_uuid,
    )
    return found[0] if found else None


def order_or_404(user: AnyUser, order_uuid: uuid.UUID, *related: str) -> Order:
    """`visible_order`, or Http404 for an order the user may not see (or that is not)."""
    order = visible_order(user, order_uuid, *related) if isinstance(order_uuid, uuid.UUID) else None
    if order is None:
        raise Http404
    return order


def _joined(queryset: QuerySet[M], *joined: str) -> QuerySet[M]:
    """`queryset.select_related(*joined)` without the joined rows' bookkeeping columns
    (`created_at`, `updated_at`) of the people, services and organisations: no answer shows
    when such a row was written, and they were a third of the timestamps an order read
    parsed. Only on the compiled reads: the ORM would pay for the deferral in compiling
    every time."""
    return queryset.select_related(*joined).defer(
        *(f"{name}__{column}" for name in joined for column in ("created_at", "updated_at"))
    )


# The API's detail shows neither when a step's row was written nor when an event's was
# last changed (an event shows when it happened: its `created_at`).
def _steps(order_id: int) -> QuerySet[ApprovalStep]:
    return _joined(
        ApprovalStep.objects.filter(order_id=order_id), "approver", "decided_by", "on_behalf_of"
    ).defer("created_at", "updated_at")


def _events(order_id: int, staff: bool) -> QuerySet[OrderEvent]:
    return _joined(selectors.events_query(order_id, staff), "actor", "on_behalf_of").defer(
        "updated_at"
    )


def steps_of(order: Order) -> list[ApprovalStep]:
    """The order's approval steps with their people, compiled once per connection, and
    kept on the order as a prefetch would keep them: `order.steps.all()` (the status
    sentence, the actions) asks no query of its own."""
    steps = prepared.run("orders.steps", _steps, order_id=order.pk)
    for step in steps:
        step.order = order
    # As Django's own prefetch keeps them: the filter is built only if the queryset is
    # asked for more than its rows (building it on every read was not free).
    cached = ApprovalStep.objects.all()
    cached._defer_next_filter = True  # type: ignore[attr-defined]  # Django's, not in the stubs
    cached = cached.filter(order_id=order.pk)
    cached._result_cache, cached._prefetch_done = steps, True
    order._prefetched_objects_cache = {
        **getattr(order, "_prefetched_objects_cache", {}),
        "steps": cached,
    }
    return steps


def timeline(user: AnyUser, order: Order) -> list[OrderEvent]:
    """`events_for` as a list, its statement compiled once per connection (the API's
    order read)."""
    staff = selectors.is_provider_staff(user, order)
    return prepared.run(("orders.timeline", staff), _events, order_id=order.pk, staff=staff)
