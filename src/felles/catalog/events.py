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

most_ordered: Query[list[int]] = Query(
    "catalog.most_ordered",
    "The ids of the services a ministry (`ministry_id=`) ordered most over the last year, "
    "most first, at most `limit=`; shown at the top of the catalogue. Answered by orders; "
    "none without it.",
    default=lambda *, ministry_id, limit: [],
)
