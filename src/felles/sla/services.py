"""SLA writes: refresh one order's clocks from its history, scan for warnings and
breaches, recompute everything. SLA rows are derived data (the audited events are the
truth), so refreshing them is not itself an audit event; the scan's runs are recorded as
jobs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from felles.agreements import selectors as agreement_selectors
from felles.catalog import selectors as catalog_selectors
from felles.core import audit
from felles.core.actor import Actor
from felles.core.calendar import BusinessCalendar, calendar_for
from felles.core.services import SYSTEM_ONLY, ServiceError, allowed
from felles.orders.models import Order
from felles.orders.services import notify_sla
from felles.orders.states import OPEN
from felles.organisations.models import Organisation
from felles.organisations.selectors import manages_provider
from felles.sla import clock
from felles.sla.models import OfficeHoursConfig, OrderSla


def reached_provider_on(events: list[clock.Event], now: dt.datetime) -> dt.date:
    """The local day the order first reached the provider (its first «queued» event): the
    day whose service level applies. An order not there yet is measured by today's."""
    queued = min((e.at for e in events if e.kind == clock.START), default=None)
    return timezone.localdate(queued or now)


def targets_for(order: Any, *, day: dt.date | None = None) -> dict[str, clock.Targets]:
    """An order's SLA targets per priority (business minutes): the one place they are
    resolved. The standard is the service level valid on `day`, the day the order reached
    the provider (`reached_provider_on`; read from its history when not given), so a later
    level never changes an order's targets and recomputing gives the same deadlines.

    Delivery agreements (issue 18) belong here: an agreement's targets for the order's
    ministry take over where they are stricter, `clock.stricter(standard, agreed)`."""
    if day is None:
        day = reached_provider_on(history(order), timezone.now())
    level = catalog_selectors.service_level_on(order.service, day)
    standard = clock.from_hours(level.targets()) if level is not None else {}
    agreed = agreement_selectors.agreed_targets_by_priority(
        order.service.provider_id, order.ministry_id, order.service_id, day
    )
    return clock.stricter(standard, clock.from_hours(agreed)) if agreed else standard


def provider_calendar(provider_id: int) -> BusinessCalendar:
    config = OfficeHoursConfig.objects.filter(organisation_id=provider_id).first()
    return calendar_for(config.as_hours() if config else None)


def history(order: Any) -> list[clock.Event]:
    """The order's events as the clock sees them (provider comments count as a response)."""
    provider_id = order.service.provider_id
    events = []
    for kind, at, text, actor_org in order.events.values_list(
        "kind", "created_at", "text", "actor__organisation_id"
    ):
        if kind == "comment" and actor_org == provider_id:
            kind = "provider_comment"
        events.append(clock.Event(kind, at, text if kind == "priority_changed" else None))
    return events


def compute_for(order: Any, now: dt.datetime | None = None) -> clock.SlaState:
    """Start from the priority the order was submitted with; priority changes in the
    history switch targets from their moment on."""
    now = now or timezone.now()
    events = history(order)
    return clock.compute(
        events,
        targets=targets_for(order, day=reached_provider_on(events, now)),
        priority=order.submitted_priority,
        calendar=provider_calendar(order.service.provider_id),
        now=now,
    )


def _values(state: clock.SlaState, now: dt.datetime) -> dict[str, Any]:
    return {
        "priority": state.priority,
        "state": state.status(now),
        "response_target": state.targets.response if state.targets else None,
        "resolution_target": state.targets.resolution if state.targets else None,
        "approval_minutes": round(state.approval_minutes, 3),
        "response_minutes": round(state.response_minutes, 3),
        "resolution_minutes": round(state.resolution_minutes, 3),
        "paused_minutes": round(state.paused_minutes, 3),
        "started_at": state.started_at,
        "responded_at": state.responded_at,
        "response_due": state.response_due,
        "resolution_due": state.resolution_due,
        "resolution_warn_at": state.resolution_warn_at,
        "response_breached": state.response_breached(now),
        "finished": state.finished or state.resolved,
    }


def refresh(order: Any, now: dt.datetime | None = None) -> OrderSla:
    """Recompute one order's clocks from its history and store them."""
    now = now or timezone.now()
    values = {**_values(compute_for(order, now), now), "computed_at": now}
    # Update first: an order's row exists after its first refresh, and a plain UPDATE avoids
    # update_or_create's savepoints on this hot path. Concurrent refreshes of one order are
    # serialised by the order transition that triggers them.
    if not OrderSla.objects.filter(order=order).update(**values):
        return OrderSla.objects.create(order=order, **values)
    return OrderSla(order=order, **values)


COMPARED = (
    "priority",
    "response_target",
    "resolution_target",
    "started_at",
    "responded_at",
    "response_due",
    "resolution_due",
    "resolution_warn_at",
    "finished",
)


def recompute_all(
    *, now: dt.datetime | None = None, write: bool = False
) -> list[tuple[int, dict[str, tuple[Any, Any]]]]:
    """Recompute every stored SLA from history. Returns the orders whose stored deadlines
    differ from the recomputation (there should be none); `write` stores the new values."""
    now = now or timezone.now()
    differences = []
    orders = Order.objects.select_related("service", "sla").prefetch_related("service__levels")
    for order in orders.iterator(chunk_size=500):
        values = _values(compute_for(order, now), now)
        stored = getattr(order, "sla", None)
        diff = {
            k: (getattr(stored, k, None), values[k])
            for k in COMPARED
            if stored is None or getattr(stored, k) != values[k]
        }
        if diff:
            differences.append((order.pk, diff))
            if write:
                OrderSla.objects.update_or_create(
                    order=order, defaults={**values, "computed_at": now}
                )
    return differences


OFFICE_HOURS = ("start", "end", "summer_end", "half_day_end")


@allowed(
    lambda user, *, provider, **_: manages_provider(user, provider.pk),
    "Bare leverandørens ledere setter åpningstidene.",
)
def set_office_hours(
    *,
    actor: Actor,
    provider: Organisation,
    start: dt.time,
    end: dt.time,
    summer_end: dt.time,
    half_day_end: dt.time,
) -> OfficeHoursConfig:
    """Set a provider's office hours and recompute the deadlines of its open orders, which
    move with the hours (time already spent is kept: it is measured from history)."""
    if not start < half_day_end <= end or not start < summer_end <= end:
        raise ServiceError(
            "Åpningstidene henger ikke sammen: åpning før stengning, og "
            "sommer- og halvdagsstengning innenfor ordinær dag."
        )
    with transaction.atomic():
        config, created = OfficeHoursConfig.objects.select_for_update().get_or_create(
            organisation=provider
        )
        # A provider's first hours are recorded whole; later ones as what changed (the
        # same hours again are neither saved nor recorded).
        before = None if created else audit.snapshot(config, OFFICE_HOURS)
        config.start, config.end = start, end
        config.summer_end, config.half_day_end = summer_end, half_day_end
        audit.save_audited(
            config, actor=actor, fields=OFFICE_HOURS, before=before, action="sla.office_hours.set"
        )
        for order in (
            Order.objects.filter(service__provider=provider, status__in=[s.value for s in OPEN])
            .select_related("service")
            .prefetch_related("service__levels")
        ):
            refresh(order)
    return config


@allowed(SYSTEM_ONLY, "SLA-skanningen kjøres av systemet.")
def scan(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Flag warnings (75 %) and breaches (100 %) set-based, then notify the assignee and
    the provider's managers once per order and state. Idempotent: a flagged order is not
    flagged or notified again."""
    now = now or timezone.now()
    with transaction.atomic():
        # Candidates by deadline alone (not by the stored state, which an event may have
        # refreshed after the deadline passed); paused clocks have no deadline.
        breached = list(
            OrderSla.objects.filter(
                finished=False, breached_at__isnull=True, resolution_due__lte=now
            ).values_list("order_id", flat=True)
        )
        OrderSla.objects.filter(order_id__in=breached).update(
            state=OrderSla.State.BREACHED, breached_at=now
        )
        warned = list(
            OrderSla.objects.filter(
                finished=False,
                warned_at__isnull=True,
                breached_at__isnull=True,
                resolution_warn_at__lte=now,
                resolution_due__gt=now,
            ).values_list("order_id", flat=True)
        )
        OrderSla.objects.filter(order_id__in=warned).update(
            state=OrderSla.State.WARNING, warned_at=now
        )
        responses = OrderSla.objects.filter(
            response_breached=False,
            responded_at__isnull=True,
            response_due__lte=now,
            finished=False,
        ).update(response_breached=True)
        flagged: dict[str, list[int]] = defaultdict(list)
        flagged["breached"], flagged["warning"] = breached, warned
        notify_sla(flagged)
    return {"breached": len(breached), "warned": len(warned), "response_breached": responses}
