"""What a ministry orders most: the catalogue shows it first (`catalog.events.most_ordered`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from felles.orders.models import Order


def most_ordered(*, ministry_id: int, limit: int = 5, days: int = 365) -> list[int]:
    """Service ids by number of orders from the ministry in the last `days`, most first
    (ties by service id, so the list is stable). One query."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        Order.objects.filter(ministry_id=ministry_id, submitted_at__gte=since)
        .values("service_id")
        .annotate(orders=Count("id"))
        .order_by("-orders", "service_id")[:limit]
    )
    return [row["service_id"] for row in rows]
