"""The read log of restricted orders (issue 18): every read of a restricted or security
order's content is recorded — who, when, which order, through which route — apart from
the write audit chain. Append-only: nothing here changes a row, the database refuses an
UPDATE, and the retention job deletes rows older than `FELLES_READ_LOG_RETENTION_DAYS`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, allowed
from felles.core.types import AnyUser
from felles.orders.models import Order, OrderRead
from felles.organisations import selectors as org_selectors

ROUTES = frozenset(OrderRead.Route.values)


def _reader(user: AnyUser, **_: Any) -> bool:
    """Whoever reads an order records their own read (the order is visible to them: the
    caller resolved it through `orders_for`)."""
    return bool(getattr(user, "is_authenticated", False))


def _is_party(person: Any, order: Order) -> bool:
    """The orderer's and the beneficiary's reads of their own case are not recorded: the log
    is theirs to read («Hvem har sett saken min»), and a line with their name in the
    auditor's search would say whom the case is about."""
    return person is not None and person.pk in (order.orderer_id, order.beneficiary_id)


@allowed(_reader, gettext_lazy("Bare innloggede brukere leser bestillinger."))
def record_read(*, actor: Actor, order: Order, route: str) -> OrderRead | None:
    """Record that `actor` read the content of `order` through `route` (one of
    `OrderRead.Route`: page, email, approval_link, api, export, feed, meeting_pack). Only
    a restricted or security order is recorded; an open one returns None. Call it where the
    content is shown, after the visibility check."""
    if route not in ROUTES:
        raise ValueError(f"unknown read route {route!r}")
    if not order.service.is_confidential:
        return None
    person = org_selectors.person_for(actor.user) if actor.user is not None else None
    if _is_party(person, order):
        return None
    return OrderRead.objects.create(
        order=order, person=person, reader=actor.label[:150], route=route, read_at=timezone.now()
    )


@allowed(_reader, gettext_lazy("Bare innloggede brukere leser bestillinger."))
def record_reads(*, actor: Actor, orders: Iterable[Order], route: str) -> int:
    """`record_read` for many orders at once (an export, a feed, a meeting pack): one
    INSERT for the restricted ones among them. Returns how many reads were recorded."""
    if route not in ROUTES:
        raise ValueError(f"unknown read route {route!r}")
    person = org_selectors.person_for(actor.user) if actor.user is not None else None
    now = timezone.now()
    rows = [
        OrderRead(order=o, person=person, reader=actor.label[:150], route=route, read_at=now)
        for o in orders
        if o.service.is_confidential and not _is_party(person, o)
    ]
    OrderRead.objects.bulk_create(rows)
    return len(rows)


@allowed(SYSTEM_ONLY, gettext_lazy("Leseloggen ryddes bare av systemet."))
def purge_read_log(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Delete the reads older than the retention period. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FELLES_READ_LOG_RETENTION_DAYS)
    deleted, _kinds = OrderRead.objects.filter(read_at__lt=cutoff).delete()
    return deleted
