"""What every order service shares: the row lock, order numbers, timeline events, guarded
transitions, the person acting, and the rules declaring which side of an order may call a
service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from felles.core import audit, prepared
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError
from felles.core.types import AnyUser
from felles.orders import events, selectors, states
from felles.orders.models import Order, OrderCounter, OrderEvent
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person


class NotFound(ServiceError):
    """The object is not the actor's to act on; views and the API answer 404."""

    status = 404


# --- order numbers --------------------------------------------------------------------------

NUMBER_SEQUENCE = "orders_order_number"  # PostgreSQL; created by migration 0006


def order_numbers(year: int, count: int = 1) -> list[str]:
    """`count` new readable order numbers, `B-<year>-<number>`, in increasing order.

    PostgreSQL draws them from one sequence: a draw locks nothing, so orders placed at the
    same time never wait for each other's commit (a counter row would stay locked from the
    draw to the commit's disk flush, and every submission would queue behind it). The
    number after the year therefore counts on from one year to the next, and a number drawn
    by a transaction that rolls back is skipped. SQLite, which writes one transaction at a
    time anyway, takes the year's counter row with one `UPDATE … RETURNING`."""
    if connection.vendor == "postgresql":
        drawn = prepared.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [NUMBER_SEQUENCE, count]
        )
        values = sorted(row[0] for row in drawn)
    else:
        with connection.cursor() as cursor:
            values = _from_counter(cursor, year, count)
    return [f"B-{year}-{n:06d}" for n in values]


def _from_counter(cursor: Any, year: int, count: int) -> list[int]:
    table, last, year_column = map(
        connection.ops.quote_name, (OrderCounter._meta.db_table, "last", "year")
    )
    sql = (
        f"UPDATE {table} SET {last} = {last} + %s "  # noqa: S608 - names, not input
        f"WHERE {year_column} = %s RETURNING {last}"
    )
    cursor.execute(sql, [count, year])
    row = cursor.fetchone()
    if row is None:
        OrderCounter.objects.get_or_create(year=year)  # safe if two first orders race
        cursor.execute(sql, [count, year])
        row = cursor.fetchone()
    end = int(row[0])
    return list(range(end - count + 1, end + 1))


# --- rules: which side of an order may call a service --------------------------------------

CUSTOMER_ONLY = gettext_lazy("Bare bestilleren eller den bestillingen gjelder kan gjøre dette.")
PROVIDER_ONLY = gettext_lazy("Bare leverandørens saksbehandlere for departementet kan gjøre dette.")
COMMENTERS_ONLY = gettext_lazy(
    "Bare bestillerens og leverandørens side kan skrive på bestillingen."
)


def customer_rule(
    user: AnyUser,
    *,
    order: Order,
    person: Person | None = None,
    author: Person | None = None,
    **_: Any,
) -> bool:
    """The orderer's side (selectors.is_customer), acting in their own name."""
    return selectors.is_customer(user, order, person or author)


def provider_rule(user: AnyUser, *, order: Order, agent: Person | None = None, **_: Any) -> bool:
    """Provider staff serving the order's ministry (selectors.is_provider_side)."""
    return selectors.is_provider_side(user, order, agent)


def comment_rule(
    user: AnyUser,
    *,
    order: Order,
    author: Person | None = None,
    internal: bool = False,
    **_: Any,
) -> bool:
    """Either side may comment; only the provider's writes internal notes."""
    return selectors.may_comment(user, order, author, internal=internal)


def acting(actor: Actor, person: Person | None) -> Person:
    """The person the timeline names: `person` if given, else the acting user's own (the
    service's rule has made sure a user acts in their own name)."""
    if person is None and actor.user is not None:
        person = org_selectors.person_for(actor.user)
    if person is None:
        raise TypeError("A system actor must name the person acting.")
    return person


# --- locking, events, transitions ---------------------------------------------------------


@contextmanager
def _locked(order: Order) -> Iterator[Order]:
    """One transaction that starts by locking the order's row. Every order service takes
    its locks in the same sequence (the order, then its steps, the audit chain head and its
    SLA row), so two people acting on one order queue up instead of deadlocking, and the
    state each one checks is the current one."""
    with transaction.atomic():
        yield (
            Order.objects.select_for_update(of=("self",))
            .select_related(
                "service", "service__provider", "ministry", "orderer", "beneficiary", "assignee"
            )
            .get(pk=order.pk)
        )


def _event(
    order: Order,
    kind: str,
    actor: Person | None,
    text: str = "",
    *,
    internal: bool = False,
    on_behalf_of: Person | None = None,
) -> OrderEvent:
    event = prepared.insert(
        OrderEvent(
            order=order,
            kind=kind,
            actor=actor,
            text=text,
            internal=internal,
            on_behalf_of=on_behalf_of,
        )
    )
    # The SLA clocks are a function of the events: refresh them with every event that can
    # move them (before the order reaches the provider there is no clock to move).
    if kind != OrderEvent.Kind.SUBMITTED or order.status != states.Status.AWAITING_APPROVAL:
        events.history_changed.publish(order=order)
    if kind == OrderEvent.Kind.QUEUED:
        events.order_queued.publish(order=order)
    return event


# A container (a bundle's parent order) is no work at the provider: its state follows its
# children, so nobody takes, assigns, asks on or resolves it.
CONTAINER_WORK = frozenset({"take", "assign", "request_info", "resolve"})
CONTAINER_REFUSAL = gettext_lazy(
    "Dette er en samlebestilling: den følger delbestillingene og avsluttes av seg selv når "
    "alle er ferdige. Arbeidet gjøres i delbestillingene."
)


def _transition(order: Order, action: str, *, actor: Actor, **fields: Any) -> Order:
    """Move the order along `action` if (and only if) it is still in an allowed state."""
    if order.container and action in CONTAINER_WORK:
        raise Conflict(str(CONTAINER_REFUSAL))
    sources, target = states.TRANSITIONS[action]
    before = order.status
    previous = {k: audit.to_json_value(getattr(order, k, None)) for k in fields}
    updated = Order.objects.filter(pk=order.pk, status__in=[s.value for s in sources]).update(
        status=target.value, updated_at=timezone.now(), **fields
    )
    order.refresh_from_db()
    if not updated:
        raise Conflict(states.refusal(action, order.status, gettext))
    audit.record(
        actor=actor,
        action=f"orders.order.{action}",
        obj=order,
        changes={
            "status": [before, target.value],
            **{
                k: [previous[k], audit.to_json_value(v)]
                for k, v in fields.items()
                if not hasattr(v, "resolve_expression")
            },
        },
        organisation_id=order.ministry_id,
    )
    events.status_changed.publish(actor=actor, order=order, before=before)
    return order
