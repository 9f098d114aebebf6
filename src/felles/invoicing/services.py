"""Invoicing writes. For now: recording usage from resolved orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from felles.catalog.models import Funding
from felles.core import audit
from felles.core.actor import Actor
from felles.invoicing.models import UsageRecord

if TYPE_CHECKING:
    from felles.orders.models import Order


def record_order_usage(*, actor: Actor, order: Order) -> UsageRecord | None:
    """Write the usage record of a resolved order, priced at the version valid on the
    delivery date. Appropriation-funded services produce none; a second resolve of a
    reopened order does not count twice."""
    if order.funding == Funding.APPROPRIATION:
        return None
    day = timezone.localdate(order.resolved_at) if order.resolved_at else timezone.localdate()
    with transaction.atomic():
        if UsageRecord.objects.filter(order=order).exists():
            return None
        version = order.service.price_on(day)
        usage = UsageRecord.objects.create(
            ministry=order.ministry,
            service=order.service,
            quantity=order.quantity,
            unit_code=order.service.unit_code,
            price_version=version,
            unit_price=version.unit_price if version else None,
            funding=order.funding,
            usage_date=day,
            order=order,
        )
        audit.record(
            actor=actor,
            action="invoicing.usage.create",
            obj=usage,
            changes={
                "quantity": [None, str(order.quantity)],
                "unit_price": [None, str(usage.unit_price)],
            },
            organisation_id=order.ministry_id,
        )
    return usage
