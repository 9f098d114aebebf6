"""Usage from resolved orders (imported usage: `invoicing.importing`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import allowed
from felles.core.types import AnyUser
from felles.invoicing.models import UsageRecord
from felles.invoicing.services._common import BILLED_FUNDING
from felles.orders.models import Order
from felles.orders.selectors import is_provider_side


def _delivered_it(user: AnyUser, /, *, order: Order, **_: Any) -> bool:
    """The usage follows the resolution: the provider's side that resolved the order."""
    return is_provider_side(user, order)


@allowed(_delivered_it, "Bare leverandøren som leverte bestillingen, fører forbruket av den.")
def record_order_usage(*, actor: Actor, order: Order) -> UsageRecord | None:
    """Write the usage record of a resolved order, priced at the version valid on the
    delivery date. Appropriation-funded services are recorded too, unpriced, for showback;
    a second resolve of a reopened order does not count twice."""
    day = timezone.localdate(order.resolved_at) if order.resolved_at else timezone.localdate()
    with transaction.atomic():
        if UsageRecord.objects.filter(order=order).exists():
            return None
        version = order.service.price_on(day) if order.funding in BILLED_FUNDING else None
        usage = UsageRecord.objects.create(
            ministry=order.ministry,
            service=order.service,
            provider_id=order.service.provider_id,
            quantity=order.quantity,
            unit_code=order.service.unit_code,
            price_version=version,
            unit_price=version.unit_price if version else None,
            funding=order.funding,
            buyer_reference=order.buyer_reference,
            usage_date=day,
            order=order,
        )
        audit.record(
            actor=actor,
            action="invoicing.usage.create",
            obj=usage,
            changes={
                "quantity": [None, str(order.quantity)],
                "unit_price": [None, audit.to_json_value(usage.unit_price)],
            },
            organisation_id=order.ministry_id,
        )
    return usage
