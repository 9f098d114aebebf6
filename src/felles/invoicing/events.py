"""What invoicing asks the apps above it (core.events)."""

from __future__ import annotations

from decimal import Decimal

from felles.core.events import Query

full_cost_prices: Query[dict[int, Decimal]] = Query(
    "invoicing.full_cost_prices",
    "Full-cost unit price per service id for a year (`year=`): the value showback puts on "
    "appropriation-funded usage. Answered by costing from the providers' cost models; "
    "without an answer, showback shows volumes without a value.",
    default=lambda *, year: {},
)
