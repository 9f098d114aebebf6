"""What the catalogue asks the apps above it (core.events)."""

from __future__ import annotations

from typing import Any

from felles.core.events import Query

service_satisfaction: Query[dict[str, Any]] = Query(
    "catalog.service_satisfaction",
    "Average rating (1–5) and number of answers for a service (`service_id=`), shown on the "
    "service page. Answered by orders, where the ratings are; none without it.",
    default=lambda *, service_id: {"average": None, "count": 0},
)
