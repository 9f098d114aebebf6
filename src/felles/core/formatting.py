"""How amounts and numbers are written for Norwegian readers (pure): kr 30 102,00 with a
narrow no-break space between thousands. Used by templates and by the domain's own texts
(cost statements, price bases), so both always agree."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NNBSP = "\u202f"  # narrow no-break space, the thousands separator in Norwegian


def _group(whole: str) -> str:
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return NNBSP.join(groups) or "0"


def kroner(value: Any) -> str:
    """'kr 30 102,00' (no-break space after 'kr'); empty for None or ''."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}kr\u00a0{_group(whole)},{cents}"


def number(value: Decimal) -> str:
    """'150 000' or '37,5': thousands grouped, decimal comma, no trailing zeros."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = sign + _group(whole.lstrip("-"))
    return f"{grouped},{fraction}" if fraction else grouped


def percent(share: Decimal) -> str:
    """A share as Norwegians write a percentage: 0.141 → '14,1 %'."""
    return f"{number(share * 100)}\u00a0%"
