"""A provider's budget against its accounts (pure; no Django imports). costing.md §1.2:

- Merinntektsfullmakt: an expense post may be overspent against extra revenue on the
  income posts tied to it; headroom = appropriation + (actual − budgeted revenue). Lower
  revenue than budgeted reduces the headroom the same way.
- Carry-over (bevilgningsreglementet § 5): unused appropriation on an operating post may be
  carried to the next year up to 5 % of the post's appropriation; posts marked "kan
  overføres" carry over in full. Extra and missing revenue count in the unused amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CARRY_OVER_SHARE = Decimal("0.05")
ORE = Decimal("0.01")


@dataclass(frozen=True)
class RevenuePost:
    chapter: int
    post: str
    name: str
    budgeted: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        """Extra (positive) or missing (negative) revenue so far."""
        return self.actual - self.budgeted


@dataclass(frozen=True)
class ExpensePost:
    chapter: int
    post: str
    name: str
    appropriation: Decimal
    spent: Decimal
    transferable: bool = False  # "kan overføres"
    revenue: Sequence[RevenuePost] = field(default_factory=tuple)  # under merinntektsfullmakt

    @property
    def revenue_difference(self) -> Decimal:
        return sum((r.difference for r in self.revenue), Decimal(0))

    @property
    def headroom(self) -> Decimal:
        """What may be spent this year: the appropriation adjusted for revenue."""
        return self.appropriation + self.revenue_difference

    @property
    def remaining(self) -> Decimal:
        return self.headroom - self.spent

    @property
    def carry_over(self) -> Decimal:
        """Estimated transfer to next year if spending stopped here."""
        unused = self.remaining
        if unused <= 0:
            return Decimal(0)
        if self.transferable:
            return unused
        cap = (self.appropriation * CARRY_OVER_SHARE).quantize(ORE, ROUND_HALF_UP)
        return min(unused, cap)

    @property
    def utilisation(self) -> Decimal | None:
        """Share of the headroom spent, in percent."""
        if self.headroom <= 0:
            return None
        return (100 * self.spent / self.headroom).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Summary:
    expense: list[ExpensePost]
    revenue: list[RevenuePost]

    @property
    def appropriation(self) -> Decimal:
        return sum((p.appropriation for p in self.expense), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((p.spent for p in self.expense), Decimal(0))

    @property
    def carry_over(self) -> Decimal:
        return sum((p.carry_over for p in self.expense), Decimal(0))


def summarise(expense: Iterable[ExpensePost], revenue: Iterable[RevenuePost]) -> Summary:
    return Summary(list(expense), list(revenue))
