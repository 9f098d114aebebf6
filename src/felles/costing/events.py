"""What costing asks the apps above it (core.events)."""

from __future__ import annotations

from typing import Any

from felles.core.events import Query


def _no_register(**_: Any) -> Any:
    raise LookupError("No governance app answers costing.events.decided_cases.")


decided_cases: Query[Any] = Query(
    "costing.decided_cases",
    "The published decision log (a queryset of decided governance cases): a price-list "
    "approval may rest on one of DFD's decisions. Answered by governance.",
    default=_no_register,
)
