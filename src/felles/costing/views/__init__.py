"""Cost-model, price-list and budget pages (`prices`, `budgets`)."""

from felles.costing.views.budgets import budget, recovery, transfers
from felles.costing.views.prices import (
    model_detail,
    model_list,
    price_list_detail,
    propose_prices,
)

__all__ = [
    "budget",
    "model_detail",
    "model_list",
    "price_list_detail",
    "propose_prices",
    "recovery",
    "transfers",
]
